"""Open slots, booking and cancelling. The database decides who gets a slot: ``book`` inserts the
booking's cells inside one transaction, and the unique (practitioner, cell) constraint refuses the loser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yotsu_web.booking.models import CELL, Availability, BookedCell, Booking, TimeOff, VisitType
from yotsu_web.clinics.models import Clinic, Membership, Role


class SlotTaken(Exception):
    """Someone else booked (part of) this time a moment ago."""


class NotBookable(Exception):
    """The time is outside the practitioner's availability, in time off, in the past or too far ahead."""


class TooLate(Exception):
    """The clinic's cut-off for changing or cancelling online has passed."""


class NotOpen(Exception):
    """Only a visit still booked can be marked, moved or cancelled (it was cancelled or marked already)."""


class NotYet(Exception):
    """A visit can be marked attended from its day on, and as a no-show only once it has begun."""


@dataclass(frozen=True)
class Slot:
    practitioner: Membership
    starts_at: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.practitioner.pk}-{int(self.starts_at.timestamp())}"


def slot_from_key(visit_type: VisitType, key: str) -> Slot | None:
    """The slot a ``Slot.key`` names (practitioner id and start time), or None for a key that names none:
    not two numbers, no such practitioner of the visit type's clinic, or a time out of range."""
    person, _sep, stamp = key.partition("-")
    if not (person.isdigit() and stamp.isdigit()):
        return None
    practitioner = Membership.objects.filter(
        clinic=visit_type.clinic, pk=int(person), role__in=[Role.PRACTITIONER, Role.ADMIN]
    ).first()
    if practitioner is None:
        return None
    try:
        return Slot(practitioner, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC))
    except (ValueError, OverflowError, OSError):
        return None


def cells(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    out, at = [], start
    while at < end:
        out.append(at)
        at += CELL
    return out


def _windows(practitioner: Membership, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_current_timezone()
    rows = Availability.objects.filter(practitioner=practitioner, weekday=day.weekday()).order_by("start")
    return [(dt.datetime.combine(day, a.start, tz), dt.datetime.combine(day, a.end, tz)) for a in rows]


def _busy(
    clinic: Clinic, practitioner: Membership, lo: dt.datetime, hi: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    off = TimeOff.objects.filter(clinic=clinic, starts_at__lt=hi, ends_at__gt=lo).filter(
        Q(practitioner=None) | Q(practitioner=practitioner)
    )
    spans = [(t.starts_at, t.ends_at) for t in off]
    taken = BookedCell.objects.filter(practitioner=practitioner, cell__gte=lo - CELL, cell__lt=hi)
    spans += [(c, c + CELL) for c in taken.values_list("cell", flat=True)]
    return spans


def practitioners(clinic: Clinic) -> list[Membership]:
    staff = Membership.objects.filter(clinic=clinic, role__in=[Role.PRACTITIONER, Role.ADMIN])
    return list(staff.filter(availability__isnull=False).distinct().select_related("user").order_by("pk"))


def bookable_days(clinic: Clinic, now: dt.datetime | None = None) -> list[dt.date]:
    today = timezone.localdate(now or timezone.now())
    return [today + dt.timedelta(days=i) for i in range(clinic.booking_horizon_days + 1)]


def open_slots(
    visit_type: VisitType, day: dt.date, now: dt.datetime | None = None, *, practitioner: Membership | None = None
) -> list[Slot]:
    """Start times on ``day`` at which some practitioner (or the one given) is free for the whole visit;
    one slot per time (the first free practitioner), in time order."""
    clinic = visit_type.clinic
    now = now or timezone.now()
    if day not in bookable_days(clinic, now):
        return []
    step = dt.timedelta(minutes=clinic.booking_step_minutes)
    found: dict[dt.datetime, Slot] = {}
    for person in practitioners(clinic) if practitioner is None else [practitioner]:
        for lo, hi in _windows(person, day):
            busy = _busy(clinic, person, lo, hi)
            at = lo
            while at + visit_type.duration <= hi:
                end = at + visit_type.duration
                if at > now and at not in found and not any(b0 < end and at < b1 for b0, b1 in busy):
                    found[at] = Slot(person, at)
                at += step
    return [found[k] for k in sorted(found)]


def check_bookable(
    visit_type: VisitType, practitioner: Membership, starts_at: dt.datetime, now: dt.datetime | None = None
) -> None:
    """Raise :class:`NotBookable` unless ``starts_at`` is an offered start for this practitioner (ignoring
    bookings: the cells decide those)."""
    now = now or timezone.now()
    clinic = visit_type.clinic
    local = timezone.localtime(starts_at)
    if starts_at <= now or local.date() not in bookable_days(clinic, now):
        raise NotBookable
    end = starts_at + visit_type.duration
    if not any(lo <= starts_at and end <= hi for lo, hi in _windows(practitioner, local.date())):
        raise NotBookable
    if (starts_at - dt.datetime.combine(local.date(), dt.time(0), local.tzinfo)) % CELL:
        raise NotBookable
    off = TimeOff.objects.filter(clinic=clinic, starts_at__lt=end, ends_at__gt=starts_at).filter(
        Q(practitioner=None) | Q(practitioner=practitioner)
    )
    if off.exists():
        raise NotBookable


def book(
    visit_type: VisitType,
    practitioner: Membership,
    starts_at: dt.datetime,
    *,
    patient: Membership | None = None,
    guest_name: str = "",
    guest_phone: str = "",
    guest_email: str = "",
) -> Booking:
    """Book the visit, or raise :class:`SlotTaken` when another booking holds any of its cells."""
    check_bookable(visit_type, practitioner, starts_at)
    end = starts_at + visit_type.duration
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                clinic=visit_type.clinic, practitioner=practitioner, visit_type=visit_type, patient=patient,
                guest_name=guest_name, guest_phone=guest_phone, guest_email=guest_email,
                starts_at=starts_at, ends_at=end,
            )  # fmt: skip
            BookedCell.objects.bulk_create(
                [BookedCell(practitioner=practitioner, cell=c, booking=booking) for c in cells(starts_at, end)]
            )
            from yotsu_web.booking.notify import booking_made

            booking_made(booking)
    except IntegrityError:
        raise SlotTaken from None
    return booking


def can_change(booking: Booking, now: dt.datetime | None = None) -> bool:
    cutoff = booking.starts_at - dt.timedelta(hours=booking.clinic.booking_cutoff_hours)
    return booking.status == Booking.Status.BOOKED and (now or timezone.now()) < cutoff


@transaction.atomic
def cancel(booking: Booking, *, by_clinic: bool = False) -> None:
    """Cancel and free the cells. A patient or guest may do it only before the clinic's cut-off; the clinic
    any time before the visit has been marked. A cancellation by the clinic is sent to the patient."""
    if booking.status != Booking.Status.BOOKED:
        raise NotOpen
    if not by_clinic and not can_change(booking):
        raise TooLate
    if by_clinic:
        from yotsu_web.booking.notify import booking_changed

        booking_changed(booking, "cancelled")
    BookedCell.objects.filter(booking=booking).delete()
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    booking.status = Booking.Status.CANCELLED


def move(booking: Booking, practitioner: Membership, starts_at: dt.datetime, *, by_clinic: bool = False) -> Booking:
    """Move to a new time: the new cells are taken before the old ones are released, in one transaction."""
    if not by_clinic and not can_change(booking):
        raise TooLate
    check_bookable(booking.visit_type, practitioner, starts_at)
    end = starts_at + booking.visit_type.duration
    try:
        with transaction.atomic():
            BookedCell.objects.filter(booking=booking).delete()
            BookedCell.objects.bulk_create(
                [BookedCell(practitioner=practitioner, cell=c, booking=booking) for c in cells(starts_at, end)]
            )
            Booking.objects.filter(pk=booking.pk).update(practitioner=practitioner, starts_at=starts_at, ends_at=end)
    except IntegrityError:
        raise SlotTaken from None
    booking.refresh_from_db()
    if by_clinic:
        from yotsu_web.booking.notify import booking_changed

        booking_changed(booking, f"moved-{int(starts_at.timestamp())}")
    return booking


def mark(booking: Booking, status: str, now: dt.datetime | None = None) -> None:
    """Record that the patient came (from the visit's day on) or did not (once the visit has begun).
    The update is conditional on the booking still being booked, so two clicks record it once."""
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise ValueError(f"a visit is marked attended or no_show, not {status!r}")
    now = now or timezone.now()
    if booking.status != Booking.Status.BOOKED:
        raise NotOpen
    if status == Booking.Status.ATTENDED and timezone.localdate(now) < timezone.localtime(booking.starts_at).date():
        raise NotYet
    if status == Booking.Status.NO_SHOW and now < booking.starts_at:
        raise NotYet
    if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(status=status):
        raise NotOpen
    booking.status = status


def schedule(
    clinic: Clinic, first_day: dt.date, days: int, practitioner: Membership | None = None
) -> list[tuple[dt.date, list[Booking]]]:
    """The clinic's bookings day by day from ``first_day`` for ``days`` days (one practitioner's, or all),
    cancelled ones included so that the desk sees them."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(first_day, dt.time(0), tz)
    hi = dt.datetime.combine(first_day + dt.timedelta(days=days), dt.time(0), tz)
    rows = Booking.objects.filter(clinic=clinic, starts_at__gte=lo, starts_at__lt=hi)
    if practitioner is not None:
        rows = rows.filter(practitioner=practitioner)
    rows = rows.select_related("visit_type", "practitioner__user", "patient__user").order_by("starts_at", "pk")
    by_day: dict[dt.date, list[Booking]] = {first_day + dt.timedelta(days=i): [] for i in range(days)}
    for booking in rows:
        by_day[timezone.localtime(booking.starts_at).date()].append(booking)
    return list(by_day.items())
