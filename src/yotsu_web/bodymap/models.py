from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.bodymap import LeftRightTrunkJudgement


class LeftRightSession(models.Model):
    """One session of the left/right trunk judgement task in the browser."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="left_right_sessions")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    n_trials = models.PositiveSmallIntegerField(_("trials"))
    accuracy = models.FloatField(_("accuracy"))
    median_rt_ms = models.FloatField(_("median response time (ms)"))
    trials = models.JSONField(default=list)

    class Meta:
        verbose_name = _("left/right session")
        verbose_name_plural = _("left/right sessions")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"left/right session #{self.pk}"

    def judgement(self) -> LeftRightTrunkJudgement:
        return LeftRightTrunkJudgement(accuracy=self.accuracy, median_rt_ms=self.median_rt_ms, n_trials=self.n_trials)


class ClinicTest(models.Model):
    """Body-map tests measured in the clinic by the practitioner."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="clinic_tests")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    date = models.DateField(_("date"))
    tpd_mm = models.FloatField(
        _("two-point discrimination (mm)"), null=True, blank=True,
        validators=(MinValueValidator(1), MaxValueValidator(200)),
    )  # fmt: skip
    repositioning_error_deg = models.FloatField(
        _("repositioning error (degrees)"), null=True, blank=True,
        validators=(MinValueValidator(0.1), MaxValueValidator(45)),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("in-clinic body-map test")
        verbose_name_plural = _("in-clinic body-map tests")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"clinic test #{self.pk}"
