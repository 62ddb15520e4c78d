"""The exercise library (``data/exercises.yaml``) and progression by pain response.

Progression follows a pain-monitoring model (silbernagel2007; graded activity, macedo2010): pain
during exercise may reach ``acceptable_pain_during`` (5/10) and must be back to the pre-exercise
baseline by the next morning. After ``sessions_required`` consecutive sessions within those limits the
exercise progresses a level; a flare (pain during above the limit, or next-morning pain at least
``flare_margin`` points above baseline) regresses a level; anything else holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.i18n import LocalText, gettext
from yotsu.pathway._common import Evidence, Identifier, PathwayError, load_model, package_data
from yotsu.pathway.diary import SessionKind


class ExerciseCategory(StrEnum):
    TRUNK_SENSORIMOTOR = "trunk_sensorimotor"
    HIP_SENSORIMOTOR = "hip_sensorimotor"
    ANKLE_BALANCE = "ankle_balance"
    EYE_VESTIBULAR = "eye_vestibular"
    BREATHING = "breathing"
    NERVE_GLIDE = "nerve_glide"
    GRADED_ACTIVITY = "graded_activity"


class UnknownExerciseError(PathwayError, KeyError):
    template = "unknown exercise {exercise!r}; the library has: {allowed}"

    def __str__(self) -> str:
        return self.localized("en")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Dose(_Frozen):
    """How much: sets of ``reps`` or of ``hold_seconds``, on ``days_per_week``."""

    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=1, le=3600)
    days_per_week: int = Field(ge=1, le=7)

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dose:
        if (self.reps is None) == (self.hold_seconds is None):
            raise ValueError("give either reps or hold_seconds")
        return self


class Level(_Frozen):
    level: int = Field(ge=1)
    description: LocalText
    dose: Dose


class Exercise(_Frozen):
    """One exercise: what, how, why it gives the brain safety, its levels and its evidence."""

    id: Identifier
    category: ExerciseCategory
    session_kind: SessionKind
    name: LocalText
    instructions: LocalText
    why_safety: LocalText
    evidence: Evidence
    levels: tuple[Level, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _levels_numbered(self) -> Exercise:
        if [lv.level for lv in self.levels] != list(range(1, len(self.levels) + 1)):
            raise ValueError(f"exercise {self.id}: levels must be numbered 1, 2, 3, ...")
        if self.session_kind not in (SessionKind.NEURO_TRAINING, SessionKind.GRADED_EXERCISE):
            raise ValueError(f"exercise {self.id}: session_kind must be neuro_training or graded_exercise")
        return self


class ProgressionRule(_Frozen):
    acceptable_pain_during: float = Field(ge=0, le=10)
    flare_margin: float = Field(gt=0, le=10)
    sessions_required: int = Field(ge=1, le=10)
    evidence: Evidence


class ProgrammeAlertRule(_Frozen):
    """When a home programme alerts the practitioner (``yotsu.pathway.progression``)."""

    flare_run_days: int = Field(ge=1, le=7)  # consecutive flare days that raise a flare alert
    flare_alert_within_days: int = Field(ge=0, le=14)  # an older flare run raises nothing
    silence_days: int = Field(ge=1, le=14)  # days without a session logged that raise a "no log" alert
    evidence: Evidence


class ExerciseLibrary(_Frozen):
    progression: ProgressionRule
    alerts: ProgrammeAlertRule
    exercises: tuple[Exercise, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ExerciseLibrary:
        ids = [e.id for e in self.exercises]
        if len(set(ids)) != len(ids):
            raise ValueError("exercise ids must be unique")
        return self

    def get(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise UnknownExerciseError(exercise=exercise_id, allowed=", ".join(e.id for e in self.exercises))


@cache
def exercise_library() -> ExerciseLibrary:
    """The shipped exercise library, validated on load."""
    return load_model(package_data("yotsu.pathway", "exercises.yaml"), ExerciseLibrary)


class PainResponse(_Frozen):
    """Pain (NRS 0-10) before an exercise session, the most during it, and the next morning."""

    before: float = Field(ge=0, le=10)
    during_max: float = Field(ge=0, le=10)
    next_morning: float = Field(ge=0, le=10)


class Step(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


class ProgressionDecision(_Frozen):
    step: Step
    level: int
    reason: LocalText
    evidence: Evidence


def _both(msgid: str, **fmt: object) -> LocalText:
    return LocalText(en=gettext(msgid, "en", **fmt), ja=gettext(msgid, "ja", **fmt))


def next_level(
    exercise: Exercise | str,
    current_level: int,
    history: Sequence[PainResponse],
    rule: ProgressionRule | None = None,
) -> ProgressionDecision:
    """Decide the next level of ``exercise`` from the pain responses of its recent sessions (oldest first)."""
    lib = exercise_library()
    ex = lib.get(exercise) if isinstance(exercise, str) else exercise
    rule = rule or lib.progression
    top = len(ex.levels)
    if not 1 <= current_level <= top:
        raise UnknownExerciseError(exercise=f"{ex.id} level {current_level}", allowed=f"levels 1-{top}")
    if not history:
        return ProgressionDecision(
            step=Step.HOLD,
            level=current_level,
            reason=_both("No sessions recorded yet."),
            evidence=rule.evidence,
        )
    last = history[-1]
    if last.during_max > rule.acceptable_pain_during or last.next_morning >= last.before + rule.flare_margin:
        reason = _both(
            "Flare: pain went above {limit:g}/10 during exercise or stayed raised the next morning; step back a level.",
            limit=rule.acceptable_pain_during,
        )
        return ProgressionDecision(
            step=Step.REGRESS, level=max(1, current_level - 1), reason=reason, evidence=rule.evidence
        )
    recent = history[-rule.sessions_required :]
    settled = len(recent) == rule.sessions_required and all(
        r.during_max <= rule.acceptable_pain_during and r.next_morning <= r.before for r in recent
    )
    if settled and current_level < top:
        reason = _both(
            "Pain stayed acceptable during exercise and was back to baseline by the next morning "
            "for {n} sessions; move up a level.",
            n=rule.sessions_required,
        )
        return ProgressionDecision(step=Step.PROGRESS, level=current_level + 1, reason=reason, evidence=rule.evidence)
    return ProgressionDecision(
        step=Step.HOLD,
        level=current_level,
        reason=_both("Keep the current level until pain settles by the next morning for enough sessions."),
        evidence=rule.evidence,
    )
