"""A patient's plan as the practitioner set it (one row per change, so the history is the timeline): risk
group, weeks, sleep care and comfortable massage. The exercises, their logs and progression are the home
programme's (``yotsu_web.programme``), the one owner of prescribed exercises."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.plan import CarePlan, RiskGroup, build_plan

RISK_GROUP_LABELS = {
    RiskGroup.LOW: _("low risk"),
    RiskGroup.MEDIUM: _("medium risk"),
    RiskGroup.HIGH: _("high risk"),
}
ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))


class PlanVersion(models.Model):
    """The plan from a given moment on: the builder's choices (risk group, weeks, sleep care, comfortable
    massage). Never edited in place."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="plan_versions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    start_date = models.DateField(_("plan start"))
    risk_group = models.CharField(_("risk group"), max_length=8, choices=list(RISK_GROUP_LABELS.items()))
    weeks = models.PositiveSmallIntegerField(_("weeks"), validators=(MinValueValidator(1), MaxValueValidator(52)))
    sleep_care = models.BooleanField(_("sleep care"), default=False)
    massage_pressure = models.FloatField(_("comfortable massage pressure (0-10)"), null=True, blank=True,
                                         validators=ZERO_TO_TEN)  # fmt: skip
    changes = models.JSONField(default=list)  # what differs from the plan before: see plans.changes
    note = models.TextField(_("reason for the change"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"plan version #{self.pk}"

    def care_plan(self) -> CarePlan:
        """The pathway's plan for these choices (its exercises are suggestions for the programme builder)."""
        return build_plan(
            self.risk_group, weeks=self.weeks, sleep_problem=self.sleep_care, massage_pressure=self.massage_pressure
        )

    def change_lines(self) -> list[str]:
        """What this version changed, in the page's language (for the timeline)."""
        from yotsu_web.plans.changes import change_lines

        return change_lines(self.changes)
