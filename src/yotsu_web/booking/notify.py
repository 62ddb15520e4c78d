"""What a booking sends: the confirmation at once and the reminder the day before (hooks for the queue)."""

from __future__ import annotations

from yotsu_web.booking.models import Booking


def intake_url(booking: Booking) -> str | None:
    """The intake questionnaire's link for a first visit, put in the confirmation.

    Returns None until the intake app exists; helper ``records`` wires it to
    ``yotsu_web.intake.services.intake_link_for(...)``.
    """
    return None


def booking_made(booking: Booking) -> None:
    """Called inside the booking's transaction; queues the confirmation (added with the notifications)."""
