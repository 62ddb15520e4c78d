from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts.identity import age_on


class User(AbstractUser):
    """Yotsu's user. A custom model from the start so fields can be added without a data migration.

    The identity fields are optional here (staff, demo and older accounts have none); the patient
    sign-up form requires them."""

    full_name = models.CharField(_("name (氏名)"), max_length=100, blank=True)
    furigana = models.CharField(_("name reading (フリガナ)"), max_length=100, blank=True, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    def display_name(self) -> str:
        """The name staff see: 氏名 if known, else the username."""
        return self.full_name or self.username

    def age_on(self, day: dt.date) -> int | None:
        return None if self.birth_date is None else age_on(self.birth_date, day)

    @property
    def age(self) -> int | None:
        """Full years today (the clinic's time zone); None without a date of birth."""
        return self.age_on(timezone.localdate())


class Consent(models.Model):
    """A patient's explicit consent, in one clinic, to the privacy notice of one version (APPI: collecting
    要配慮個人情報 needs prior consent). Never edited except to record a withdrawal; kept after the patient's
    data is deleted as the record of what was agreed and when (it holds ids, dates and the version only)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="consents")
    patient = models.ForeignKey(
        "clinics.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    patient_ref = models.PositiveBigIntegerField(_("patient record id"))
    notice_version = models.CharField(_("privacy notice version"), max_length=32)
    given_at = models.DateTimeField(_("consent given"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("-given_at", "-pk")

    def __str__(self) -> str:
        return f"consent #{self.pk} ({self.notice_version})"
