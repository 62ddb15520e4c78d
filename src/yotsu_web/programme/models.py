"""A patient's home programme: exercises from the pathway's library with their dose, the sessions the
patient logs, next-morning pain, the progressions the pathway's rule proposes and the alerts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.exercises import Dose, Exercise, exercise_library

ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))


class ClinicProgrammeSettings(models.Model):
    """How a clinic runs home programmes."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="programme_settings")
    apply_progressions_automatically = models.BooleanField(
        _("apply proposed progressions automatically"),
        default=False,
        help_text=_("Otherwise a practitioner accepts or overrides each proposal."),
    )

    class Meta:
        verbose_name = _("home programme settings")
        verbose_name_plural = _("home programme settings")

    def __str__(self) -> str:
        return f"programme settings #{self.pk}"


class Programme(models.Model):
    """One patient's home programme. ``baseline_pain_nrs`` is the person's usual pain before exercising
    (the pathway's ``PainResponse.before``), set by the practitioner."""

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="programme")
    baseline_pain_nrs = models.PositiveSmallIntegerField(_("usual pain before exercise (0-10)"), validators=ZERO_TO_TEN)
    start_date = models.DateField(_("start"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("home programme")
        verbose_name_plural = _("home programmes")

    def __str__(self) -> str:
        return f"programme #{self.pk}"


class ProgrammeExercise(models.Model):
    """An exercise of the library in a programme, at a level, with the dose the practitioner set."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exercises")
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    exercise_id = models.CharField(_("exercise"), max_length=48)
    level = models.PositiveSmallIntegerField(_("level"), validators=(MinValueValidator(1),))
    level_since = models.DateField(_("at this level since"))
    sets = models.PositiveSmallIntegerField(_("sets"), validators=(MinValueValidator(1), MaxValueValidator(10)))
    reps = models.PositiveSmallIntegerField(
        _("repetitions"), null=True, blank=True, validators=(MinValueValidator(1), MaxValueValidator(100))
    )
    hold_seconds = models.PositiveSmallIntegerField(
        _("seconds"), null=True, blank=True, validators=(MinValueValidator(1), MaxValueValidator(3600))
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("days per week"), validators=(MinValueValidator(1), MaxValueValidator(7))
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("programme exercise")
        verbose_name_plural = _("programme exercises")
        ordering = ("position", "pk")
        constraints = (models.UniqueConstraint(fields=["programme", "exercise_id"], name="one_entry_per_exercise"),)

    def __str__(self) -> str:
        return f"programme exercise #{self.pk}"

    @property
    def exercise(self) -> Exercise:
        return exercise_library().get(self.exercise_id)

    @property
    def dose(self) -> Dose:
        return Dose(sets=self.sets, reps=self.reps, hold_seconds=self.hold_seconds, days_per_week=self.days_per_week)

    def set_dose(self, dose: Dose) -> None:
        self.sets, self.reps, self.hold_seconds, self.days_per_week = (
            dose.sets,
            dose.reps,
            dose.hold_seconds,
            dose.days_per_week,
        )


class Status(models.TextChoices):
    DONE = "done", _("done")
    PARTLY = "partly", _("partly")
    SKIPPED = "skipped", _("not today")


class SessionLog(models.Model):
    """One day's session of one exercise, logged by the patient in two taps."""

    entry = models.ForeignKey(ProgrammeExercise, on_delete=models.CASCADE, related_name="logs")
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    status = models.CharField(_("done?"), max_length=8, choices=Status.choices)
    pain_during = models.PositiveSmallIntegerField(
        _("pain during (0-10)"), null=True, blank=True, validators=ZERO_TO_TEN
    )
    level = models.PositiveSmallIntegerField(_("level"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exercise session")
        verbose_name_plural = _("exercise sessions")
        ordering = ("date", "pk")
        constraints = (models.UniqueConstraint(fields=["entry", "date"], name="one_log_per_exercise_day"),)
        indexes = (models.Index(fields=["patient", "date"]),)

    def __str__(self) -> str:
        return f"session log #{self.pk}"

    @property
    def exercise_id(self) -> str:
        return self.entry.exercise_id

    @property
    def exercise_name(self) -> str:
        from yotsu_web.plans.changes import exercise_name

        return exercise_name(self.entry.exercise_id)


class MorningPain(models.Model):
    """Pain on waking (NRS 0-10): the 'next morning' of the previous day's sessions."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    pain_nrs = models.PositiveSmallIntegerField(_("pain this morning (0-10)"), validators=ZERO_TO_TEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("morning pain")
        verbose_name_plural = _("morning pains")
        ordering = ("date",)
        constraints = (models.UniqueConstraint(fields=["patient", "date"], name="one_morning_pain_per_date"),)

    def __str__(self) -> str:
        return f"morning pain #{self.pk}"


class Decision(models.TextChoices):
    PENDING = "pending", _("waiting for the practitioner")
    ACCEPTED = "accepted", _("accepted")
    OVERRIDDEN = "overridden", _("overridden")
    AUTOMATIC = "automatic", _("applied automatically")
    SUPERSEDED = "superseded", _("superseded by a later proposal")


class Proposal(models.Model):
    """A step the pathway's rule proposed for one exercise after a logged day, and what became of it."""

    entry = models.ForeignKey(ProgrammeExercise, on_delete=models.CASCADE, related_name="proposals")
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("logged day"))
    step = models.CharField(_("step"), max_length=8)
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    to_dose = models.JSONField()  # the Dose the step would set
    reason_en = models.TextField()
    reason_ja = models.TextField()
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_level = models.PositiveSmallIntegerField(null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progression proposal")
        verbose_name_plural = _("progression proposals")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"proposal #{self.pk}"

    @property
    def exercise_id(self) -> str:
        return self.entry.exercise_id

    @property
    def exercise_name(self) -> str:
        from yotsu_web.plans.changes import exercise_name

        return exercise_name(self.entry.exercise_id)


class AlertKind(models.TextChoices):
    FLARE = "flare", _("flare")
    NO_LOG = "no_log", _("no log for three days")


class Alert(models.Model):
    """A flare or three days without a log, for the practitioner's desk."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="programme_alerts")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("alert"), max_length=8, choices=AlertKind.choices)
    day = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("programme alert")
        verbose_name_plural = _("programme alerts")
        ordering = ("-day", "-pk")
        constraints = (models.UniqueConstraint(fields=["patient", "kind", "day"], name="one_alert_per_kind_day"),)
        indexes = (models.Index(fields=["clinic", "resolved_at"]),)

    def __str__(self) -> str:
        return f"programme alert #{self.pk}"
