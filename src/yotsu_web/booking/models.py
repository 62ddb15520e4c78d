"""Visit types, practitioners' weekly availability and time off, bookings — and the cells that make a
double booking impossible: every booking holds one ``BookedCell`` per 5-minute cell it covers, unique per
practitioner and cell, so two overlapping bookings cannot both commit on any database."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

CELL = dt.timedelta(minutes=5)


class VisitType(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="visit_types")
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=40)
    price_yen = models.PositiveIntegerField(_("price (yen, tax included)"), default=0)
    first_visit = models.BooleanField(_("first visit"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        verbose_name = _("visit type")
        verbose_name_plural = _("visit types")
        constraints = (
            models.CheckConstraint(condition=models.Q(minutes__gte=5, minutes__lte=480), name="visit_5_to_480_min"),
        )

    def __str__(self) -> str:
        return self.name

    def name_for(self, lang: str) -> str:
        return (self.name_en if lang == "en" else "") or self.name

    @property
    def duration(self) -> dt.timedelta:
        # rounded up to whole cells, so a booking always covers the cells it occupies
        return CELL * -(-self.minutes // 5)


class Availability(models.Model):
    """A weekly window in which a practitioner takes bookings; a break is the gap between two windows."""

    practitioner = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        constraints = (
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="window_ends_after_start"),
        )

    def __str__(self) -> str:
        return f"availability #{self.pk}"


class TimeOff(models.Model):
    """A holiday, a day's break or any exception: no booking starts or runs into it. Without a practitioner
    it closes the whole clinic."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="time_off")
    practitioner = models.ForeignKey(
        "clinics.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="time_off"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("holiday or time off")
        verbose_name_plural = _("holidays and time off")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="time_off_ends_after_start"
            ),
        )

    def __str__(self) -> str:
        return f"time off #{self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("no-show")

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="bookings")
    practitioner = models.ForeignKey("clinics.Membership", on_delete=models.PROTECT, related_name="appointments")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="bookings")
    patient = models.ForeignKey(
        "clinics.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="bookings"
    )
    guest_name = models.CharField(_("name"), max_length=100, blank=True)
    guest_phone = models.CharField(_("phone"), max_length=20, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    token = models.CharField(max_length=64, default=new_token, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ("starts_at",)
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(patient=None) | ~models.Q(guest_name=""), name="booking_has_a_person"
            ),
        )

    def __str__(self) -> str:
        return f"booking #{self.pk}"

    @property
    def who(self) -> str:
        if self.patient_id is None:
            return self.guest_name
        return str(self.patient.user.display_name())  # type: ignore[union-attr]

    @property
    def email(self) -> str:
        return self.guest_email if self.patient_id is None else self.patient.user.email  # type: ignore[union-attr]


class BookedCell(models.Model):
    """One 5-minute cell of a practitioner's time held by a live booking (deleted when it is cancelled)."""

    practitioner = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    cell = models.DateTimeField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="cells")

    class Meta:
        constraints = (models.UniqueConstraint(fields=["practitioner", "cell"], name="one_booking_per_cell"),)

    def __str__(self) -> str:
        return f"cell #{self.pk}"


class CalendarFeed(models.Model):
    """A practitioner's iCalendar feed: its secret address (the token) opens their bookings in a calendar app.

    The events carry the visit type and a booking number, never the patient's name or health data: a phone's
    or Google's calendar is outside the clinic. A new token makes the old address stop working."""

    practitioner = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, default=new_token, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"
