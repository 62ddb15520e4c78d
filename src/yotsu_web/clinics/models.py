from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), unique=True, help_text=_("Used in the clinic's web address."))
    notification_email = models.EmailField(
        _("notification e-mail"), blank=True, help_text=_("New inquiries are announced to this address.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ja")
    line_channel_secret = models.CharField(
        _("LINE channel secret"),
        max_length=64,
        blank=True,
        help_text=_("From the LINE Developers console; leave empty to turn the LINE webhook off."),
    )
    # The public page (yotsu_web.public): the clinic's own words and how to reach it.
    description = models.TextField(
        _("what the clinic does"), blank=True, max_length=3000, help_text=_("In the clinic's own words, in Japanese.")
    )
    description_en = models.TextField(
        _("what the clinic does (English)"), blank=True, max_length=3000, help_text=_("Shown to English readers.")
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    map_url = models.URLField(
        _("map link"), blank=True, help_text=_("Leave empty to link a map search for the address.")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    hours = models.TextField(_("opening hours"), blank=True, max_length=500, help_text=_("One line per day or range."))
    holidays = models.CharField(_("closed on"), max_length=200, blank=True)
    line_add_friend_url = models.URLField(
        _("LINE add-friend link"), blank=True, help_text=_("From LINE Official Account Manager, e.g. https://lin.ee/…")
    )
    # Booking (yotsu_web.booking): the clinic's rules for self-service booking and reminders.
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("change or cancel online until (hours before)"),
        default=24,
        validators=[MaxValueValidator(14 * 24)],
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("bookable days ahead"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    booking_step_minutes = models.PositiveSmallIntegerField(
        _("start times every (minutes)"),
        default=30,
        choices=[(5, "5"), (10, "10"), (15, "15"), (20, "20"), (30, "30"), (60, "60")],
    )
    reminder_time = models.TimeField(
        _("reminder the day before, at"), default=dt.time(18, 0), help_text=_("Local time of the clinic.")
    )
    # Sessions (yotsu_web.middleware.idle_logout): staff are logged out after this long without a request.
    staff_idle_minutes = models.PositiveSmallIntegerField(
        _("log staff out after (minutes without activity)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
        help_text=_("Practitioners and admins see many patients' health data; 5 to 720 minutes."),
    )
    # Patients too: a phone's browser rarely "closes" (it restores its tabs and their login), so the end of
    # the browser alone does not end a patient's login. Longer than staff's: the patient's own device, and
    # a questionnaire or an exercise session must fit without a logout half-way.
    patient_idle_minutes = models.PositiveSmallIntegerField(
        _("log patients out after (minutes without activity)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_("A patient's own health data on their own phone or computer; 5 to 1440 minutes."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name

    def description_for(self, lang: str) -> str:
        """The clinic's own words in ``lang`` ('ja' or 'en'), falling back to the Japanese text."""
        return (self.description_en if lang == "en" else "") or self.description


class Role(models.TextChoices):
    PATIENT = "patient", _("patient")
    PRACTITIONER = "practitioner", _("practitioner")
    ADMIN = "admin", _("clinic admin")


STAFF_ROLES = (Role.PRACTITIONER, Role.ADMIN)


class Membership(models.Model):
    """One person's role in one clinic. A patient record hangs off the patient's membership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = (models.UniqueConstraint(fields=["user", "clinic"], name="one_role_per_clinic"),)

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES
