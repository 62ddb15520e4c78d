"""What a booking sends: the confirmation at once and the reminder the day before, by e-mail and by LINE push
where the patient linked LINE, through the queue's deliveries (one row per booking, purpose and channel, so
each goes out exactly once however often the queue runs). The texts carry the time, the visit type and the
booking's link, never health data.

A guest (no account) who gave an e-mail address gets the same e-mails (never LINE), through the same
deliveries addressed to the booking; the links carry the booking's secret, as the guest's page does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yotsu_web.booking.models import Booking
from yotsu_web.messaging.models import Channel
from yotsu_web.messaging.send import can_push, may_email, queue_delivery, queue_guest_email


def intake_url(booking: Booking) -> str | None:
    """The intake questionnaire's link for a first visit by a new patient, put in the confirmation (None
    when the booking has no intake)."""
    from yotsu_web.intake.service import intake_url as url_of

    return url_of(booking)


def _queue(booking: Booking, what: str) -> int:
    patient = booking.patient
    if patient is None:
        return int(bool(booking.guest_email) and queue_guest_email(booking, f"booking:{booking.pk}:{what}:email"))
    queued = 0
    if may_email(patient, reminder=what == "remind"):  # the day-before reminder needs a confirmed address
        queued += queue_delivery(patient, f"booking:{booking.pk}:{what}:email", Channel.EMAIL)
    if can_push(patient):
        queued += queue_delivery(patient, f"booking:{booking.pk}:{what}:line", Channel.LINE)
    return queued


def booking_made(booking: Booking) -> None:
    """Called inside the booking's transaction; the confirmation leaves after it commits. A first visit by a
    new patient gets its intake here, so the confirmation carries the intake's link."""
    from yotsu_web.intake.service import create_for

    create_for(booking)
    _queue(booking, "made")


def booking_changed(booking: Booking, what: str) -> None:
    """The clinic moved (``what`` = ``moved-<new start>``, one message per move) or cancelled a booking: the
    patient is told, through the queue, after the change commits."""
    _queue(booking, what)


def due_reminders(now: dt.datetime | None = None) -> int:
    """Queue the day-before reminder of tomorrow's bookings whose clinic's reminder time has come."""
    local = timezone.localtime(now or timezone.now())
    start = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time()))
    tomorrow = Booking.objects.filter(
        Q(patient__isnull=False) | ~Q(guest_email=""), status=Booking.Status.BOOKED, starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    ).select_related("clinic", "patient__user")  # fmt: skip
    return sum(_queue(b, "remind") for b in tomorrow if local.time() >= b.clinic.reminder_time)


def text(booking_id: int, what: str, patient_id: int | None) -> tuple[str, str]:
    """(subject, body) of a booking's confirmation, reminder or change, in the active language; a guest's
    (``patient_id`` None) links carry the booking's secret."""
    booking = Booking.objects.select_related("clinic", "visit_type").get(pk=booking_id, patient_id=patient_id)
    when = timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M")
    url = settings.YOTSU_BASE_URL + reverse("booking:booking", args=[booking.clinic.slug, booking.pk])
    if patient_id is None:
        url += f"?t={booking.token}"
    facts = {"clinic": booking.clinic.name, "visit": booking.visit_type.name, "when": when, "url": url}
    if what == "cancelled":
        return (
            _("Your booking at %(clinic)s was cancelled") % facts,
            _("%(clinic)s has cancelled your booking — %(visit)s, %(when)s. To book another time: %(book)s")
            % {**facts, "book": settings.YOTSU_BASE_URL + reverse("booking:start", args=[booking.clinic.slug])},
        )
    if what.startswith("moved"):
        return (
            _("Your booking at %(clinic)s has a new time") % facts,
            _("%(clinic)s has moved your booking — %(visit)s, now %(when)s.\nTo change or cancel: %(url)s") % facts,
        )
    if what == "remind":
        return (
            _("Your visit tomorrow at %(clinic)s") % facts,
            _("A reminder from %(clinic)s: %(visit)s tomorrow, %(when)s.\nTo change or cancel: %(url)s") % facts,
        )
    body = _("%(clinic)s: your booking is confirmed — %(visit)s, %(when)s.\nTo change or cancel: %(url)s") % facts
    intake = intake_url(booking)
    if intake is not None:
        body += "\n" + _("Before your first visit, please answer the questionnaire (about 5 minutes): %(url)s") % {
            "url": intake
        }
    return _("Your booking at %(clinic)s") % facts, body
