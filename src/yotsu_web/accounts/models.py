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
