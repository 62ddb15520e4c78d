"""A patient's plan as the practitioner set it (one row per change, so the history is the timeline),
and the patient's pain responses to exercises, which drive progression (``yotsu.pathway.next_level``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.exercises import exercise_library
from yotsu.pathway.plan import CarePlan, PlannedExercise, RiskGroup, build_plan

RISK_GROUP_LABELS = {
    RiskGroup.LOW: _("low risk"),
    RiskGroup.MEDIUM: _("medium risk"),
    RiskGroup.HIGH: _("high risk"),
}
ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))


class PlanVersion(models.Model):
    """The plan from a given moment on: the builder's choices (risk group, weeks, sleep care, comfortable
    massage) and the exercises from the library with their starting levels. Never edited in place."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="plan_versions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    start_date = models.DateField(_("plan start"))
    risk_group = models.CharField(_("risk group"), max_length=8, choices=list(RISK_GROUP_LABELS.items()))
    weeks = models.PositiveSmallIntegerField(_("weeks"), validators=(MinValueValidator(1), MaxValueValidator(52)))
    sleep_care = models.BooleanField(_("sleep care"), default=False)
    massage_pressure = models.FloatField(_("comfortable massage pressure (0-10)"), null=True, blank=True,
                                         validators=ZERO_TO_TEN)  # fmt: skip
    exercises = models.JSONField(default=list)  # [{"id": exercise id, "level": starting level}, ...]
    changes = models.JSONField(default=list)  # what differs from the plan before: see plans.changes
    note = models.TextField(_("reason for the change"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"plan version #{self.pk}"

    def care_plan(self) -> CarePlan:
        """The pathway's plan for these choices, with the practitioner's exercises and levels."""
        plan = build_plan(
            self.risk_group, weeks=self.weeks, sleep_problem=self.sleep_care, massage_pressure=self.massage_pressure
        )
        library = exercise_library()
        chosen = tuple(PlannedExercise(exercise=library.get(e["id"]), level=e["level"]) for e in self.exercises)
        return plan.model_copy(update={"exercises": chosen})

    def change_lines(self) -> list[str]:
        """What this version changed, in the page's language (for the timeline)."""
        from yotsu_web.plans.changes import change_lines

        return change_lines(self.changes)


class ExerciseLog(models.Model):
    """Pain (NRS 0-10) before an exercise session, the most during it, and the next morning (optional:
    the next day's diary pain is used when it is left empty)."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="exercise_logs")
    exercise = models.CharField(_("exercise"), max_length=48)
    date = models.DateField(_("date"))
    pain_before = models.PositiveSmallIntegerField(_("pain before (0-10)"), validators=ZERO_TO_TEN)
    pain_during_max = models.PositiveSmallIntegerField(_("most pain during (0-10)"), validators=ZERO_TO_TEN)
    pain_next_morning = models.PositiveSmallIntegerField(
        _("pain the next morning (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exercise pain response")
        verbose_name_plural = _("exercise pain responses")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"exercise log #{self.pk}"

    @property
    def exercise_name(self) -> str:
        from yotsu_web.plans.changes import exercise_name

        return exercise_name(self.exercise)
