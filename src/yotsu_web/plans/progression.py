"""Each planned exercise's level now, from the patient's pain responses and the pathway's ``next_level``.

The pathway decides one step from the sessions since the last level change; this module only feeds it
the logged responses in order, starting again after each step (progress or regress), from the level
the practitioner set in the plan version in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yotsu.pathway.exercises import Dose, Level, PainResponse, ProgressionDecision, Step, next_level
from yotsu.pathway.plan import PlannedExercise
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.plans.current import CurrentPlan
from yotsu_web.plans.models import ExerciseLog


@dataclass(frozen=True)
class ExerciseProgress:
    planned: PlannedExercise
    level: int
    decision: ProgressionDecision
    responses: int  # logged sessions with a complete pain response since the plan version

    @property
    def current(self) -> Level:
        return self.planned.exercise.levels[self.level - 1]

    @property
    def dose(self) -> Dose:
        return self.current.dose

    @property
    def top_level(self) -> int:
        return len(self.planned.exercise.levels)


def pain_responses(patient: Membership, exercise_id: str, since: dt.date | None) -> list[PainResponse]:
    """The patient's responses to one exercise, oldest first. A missing next-morning pain is taken from
    the next day's diary; a log with neither is left out (the pathway needs all three numbers)."""
    logs = ExerciseLog.objects.filter(patient=patient, exercise=exercise_id).order_by("date", "pk")
    if since is not None:
        logs = logs.filter(date__gte=since)
    diary = dict(DiaryDay.objects.filter(patient=patient, pain_nrs__isnull=False).values_list("date", "pain_nrs"))
    out = []
    for log in logs:
        morning = log.pain_next_morning
        if morning is None:
            morning = diary.get(log.date + dt.timedelta(days=1))
        if morning is None:
            continue
        out.append(PainResponse(before=log.pain_before, during_max=log.pain_during_max, next_morning=morning))
    return out


def exercise_progress(patient: Membership, current: CurrentPlan) -> list[ExerciseProgress]:
    since = timezone.localtime(current.version.created_at).date() if current.version else current.start_date
    out = []
    for planned in current.plan.exercises:
        responses = pain_responses(patient, planned.exercise.id, since)
        level, window = planned.level, []
        decision = next_level(planned.exercise, level, [])
        for response in responses:
            window.append(response)
            decision = next_level(planned.exercise, level, window)
            if decision.step is not Step.HOLD:
                level, window = decision.level, []
        out.append(ExerciseProgress(planned=planned, level=level, decision=decision, responses=len(responses)))
    return out
