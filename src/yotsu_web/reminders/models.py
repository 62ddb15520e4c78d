from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderPreference(models.Model):
    """When and how a patient wants to be reminded of their exercises."""

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="reminder")
    enabled = models.BooleanField(_("remind me"), default=True)
    time = models.TimeField(_("time of day"), default=dt.time(19, 0))
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_line = models.BooleanField(_("by LINE (once LINE is linked)"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        indexes = (models.Index(fields=["enabled", "time"]),)

    def __str__(self) -> str:
        return f"reminder setting #{self.pk}"
