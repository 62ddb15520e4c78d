"""The diary as stored; :mod:`yotsu_web.diary.records` turns it into the pathway's ``Diary``."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.diary import SessionKind

ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))

SESSION_KIND_LABELS = {
    SessionKind.EDUCATION: _("education"),
    SessionKind.GRADED_EXERCISE: _("graded exercise"),
    SessionKind.NEURO_TRAINING: _("body-map (neuro) training"),
    SessionKind.GENTLE_MANUAL: _("gentle manual therapy"),
    SessionKind.CBT: _("psychological support (CBT)"),
    SessionKind.SLEEP_CARE: _("sleep care"),
    SessionKind.MASSAGE: _("massage"),
}


class DiaryDay(models.Model):
    """One day: pain (NRS 0-10), sleep quality (0 very poor - 10 very good), stress 0-10, activity."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="diary_days")
    date = models.DateField(_("date"))
    pain_nrs = models.PositiveSmallIntegerField(_("pain (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN)
    sleep_quality = models.PositiveSmallIntegerField(
        _("sleep quality (0 very poor - 10 very good)"), null=True, blank=True, validators=ZERO_TO_TEN
    )
    stress = models.PositiveSmallIntegerField(_("stress (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN)
    activity_minutes = models.PositiveSmallIntegerField(
        _("active minutes"), null=True, blank=True, validators=(MaxValueValidator(24 * 60),)
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("diary day")
        verbose_name_plural = _("diary days")
        ordering = ("date",)
        constraints = (models.UniqueConstraint(fields=["patient", "date"], name="one_diary_day_per_date"),)

    def __str__(self) -> str:
        return f"diary day #{self.pk}"


class DiarySession(models.Model):
    """A care session: kind, perceived pressure 0-10 (massage, gentle manual), relief and how long."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="diary_sessions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=24, choices=list(SESSION_KIND_LABELS.items()))
    pressure = models.PositiveSmallIntegerField(_("pressure (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN)
    relief = models.PositiveSmallIntegerField(_("relief felt (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN)
    relief_days = models.FloatField(
        _("days the relief lasted"),
        null=True,
        blank=True,
        validators=(MinValueValidator(0), MaxValueValidator(60)),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"session #{self.pk}"


class SymptomReport(models.Model):
    """A red-flag symptom the patient reported after the self-check; it re-runs triage."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="symptom_reports")
    date = models.DateField(_("date"))
    flag = models.CharField(_("red flag"), max_length=48)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reported symptom")
        verbose_name_plural = _("reported symptoms")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"symptom report #{self.pk}"
