"""Each patient's latest personal-model fit (computed in the task queue), and the forecast made at each plan change."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("being computed")
    READY = "ready", _("ready")
    FAILED = "failed", _("could not be computed")


class PersonalForecast(models.Model):
    """The latest fit of the personal model to the patient's diary (``yotsu.pathway.personal``, JSON contract).

    ``fingerprint`` hashes what it was computed from (diary, plan, model version): a page that finds a
    different fingerprint asks the queue for a new fit and shows this one, with its date, meanwhile.
    """

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="personal_forecast")
    fingerprint = models.CharField(max_length=64, blank=True)
    wanted = models.CharField(max_length=64, blank=True)  # the fingerprint a queued fit will compute
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal forecast")
        verbose_name_plural = _("personal forecasts")

    def __str__(self) -> str:
        return f"personal forecast #{self.pk}"

    @property
    def updating(self) -> bool:
        """A newer fit (with the latest entries) is queued."""
        return bool(self.wanted) and self.fingerprint != self.wanted


class ForecastSnapshot(models.Model):
    """The forecast of the plan in force, kept when that plan changed, to set beside what then happened."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="forecast_snapshots")
    plan_key = models.CharField(max_length=64)
    plan_title = models.JSONField()  # {"en": ..., "ja": ...}
    made_on = models.DateField()
    baseline_pain = models.FloatField()
    forecast = models.JSONField()  # one entry of the contract's "forecasts"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-made_on", "-pk")
        verbose_name = _("forecast at a plan change")
        verbose_name_plural = _("forecasts at plan changes")

    def __str__(self) -> str:
        return f"forecast snapshot #{self.pk}"
