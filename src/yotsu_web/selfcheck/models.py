from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSelfCheck(models.Model):
    """A self-check the patient chose to keep in their record (nothing is stored otherwise)."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="self_checks")
    route = models.CharField(_("result"), max_length=24)
    raised_flags = models.JSONField(_("red flags"), default=list)
    answers = models.JSONField(_("answers"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved self-check")
        verbose_name_plural = _("saved self-checks")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"self-check #{self.pk}"

    @property
    def is_referral(self) -> bool:
        return bool(self.raised_flags)
