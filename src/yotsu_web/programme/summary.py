"""Per exercise, for the practitioner: level, dose, sessions logged, pain during and the next morning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import mean

from django.utils import timezone

from yotsu.pathway import progression
from yotsu.pathway.exercises import ProgressionDecision, next_level
from yotsu_web.programme.models import Programme, ProgrammeExercise, SessionLog, Status
from yotsu_web.programme.services import entry_states, morning_pains

RECENT_DAYS = 14


@dataclass(frozen=True)
class ExerciseSummary:
    entry: ProgrammeExercise
    sessions: int  # done or partly in the last RECENT_DAYS
    pain_during: float | None  # mean over those sessions
    next_morning: float | None  # mean of the mornings after them
    decision: ProgressionDecision  # what the rule says now
    recent: list[tuple[dt.date, str, int | None, float | None]]  # day, status, pain during, next morning


def exercise_summaries(programme: Programme, today: dt.date | None = None) -> list[ExerciseSummary]:
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RECENT_DAYS)
    entries = list(programme.exercises.filter(active=True))
    morning = morning_pains(programme.patient)
    states = {s.key: s for s in entry_states(programme, entries)}
    logs: dict[int, list[SessionLog]] = {e.pk: [] for e in entries}
    for log in SessionLog.objects.filter(entry__in=entries, date__gte=since).order_by("date"):
        logs[log.entry_id].append(log)
    out = []
    for entry in entries:
        done = [g for g in logs[entry.pk] if g.status != Status.SKIPPED and g.pain_during is not None]
        mornings = [morning[g.date + progression.ONE_DAY] for g in done if g.date + progression.ONE_DAY in morning]
        state = states[entry.pk]
        decision = next_level(
            entry.exercise, entry.level, progression.history(state, morning, programme.baseline_pain_nrs, today)
        )
        out.append(
            ExerciseSummary(
                entry=entry,
                sessions=len(done),
                pain_during=round(mean(g.pain_during for g in done), 1) if done else None,  # type: ignore[misc]
                next_morning=round(mean(mornings), 1) if mornings else None,
                decision=decision,
                recent=[
                    (g.date, g.get_status_display(), g.pain_during, morning.get(g.date + progression.ONE_DAY))
                    for g in logs[entry.pk][-7:]
                ],
            )
        )
    return out
