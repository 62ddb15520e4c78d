"""The home programme's rules, once for every face: proposals from logged days, flare days, the flare
and silence alerts, the supersede rule for pending proposals, the dose of a level the practitioner sets,
and adherence. Plain values in and out (the web app, the CLI and the Python API all call these).

Every judgement of pain is the pathway's ``next_level`` (silbernagel2007): a session's pain response is
``before`` = the person's usual pain (the programme's baseline), ``during_max`` = the pain logged during
the session, ``next_morning`` = the pain logged on waking the following day. This module only decides
*which* responses the rule sees and what a proposed step does to the dose:

* history = complete responses (next morning known) at the current level, since the level began;
* a **flare day** is a day on which the rule calls any response a flare (a session's, or, with no
  session, the next morning's pain against the baseline); on a flare day nothing is progressed;
* a regress never raises any part of the dose (some library levels hold shorter at a harder level);
* the alert thresholds (a run of flare days, days without a log) are the library's ``alerts``
  (``data/exercises.yaml``), a clinical impression of the clinic, not a published rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from yotsu.pathway.exercises import (
    Dose,
    Exercise,
    PainResponse,
    ProgrammeAlertRule,
    ProgressionDecision,
    Step,
    exercise_library,
    next_level,
)

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class LoggedSession:
    """A session that was done (fully or partly) with the pain logged during it (NRS 0-10)."""

    day: dt.date
    pain_during: float


@dataclass(frozen=True)
class EntryState:
    """One exercise of a programme as it stands: level, since when, dose, and its logged sessions."""

    key: object  # the caller's id for the entry
    exercise: Exercise
    level: int
    level_since: dt.date
    dose: Dose
    sessions: tuple[LoggedSession, ...]


@dataclass(frozen=True)
class Draft:
    """A proposed step for one entry after ``day``."""

    key: object
    day: dt.date
    decision: ProgressionDecision
    from_level: int
    to_dose: Dose

    @property
    def step(self) -> Step:
        return self.decision.step


def response(
    baseline: float, pain_during: float, morning: Mapping[dt.date, float], day: dt.date
) -> PainResponse | None:
    """The session's pain response, or None while the next morning is not logged."""
    next_morning = morning.get(day + ONE_DAY)
    if next_morning is None:
        return None
    return PainResponse(before=baseline, during_max=pain_during, next_morning=next_morning)


def is_flare(exercise: Exercise, pain: PainResponse) -> bool:
    """The pathway's flare test: its rule steps back on this response."""
    return next_level(exercise, 1, [pain]).step is Step.REGRESS


def flare_days(entries: Sequence[EntryState], morning: Mapping[dt.date, float], baseline: float) -> set[dt.date]:
    """Days on which the rule calls a response a flare. A session's pain during already decides when it
    is above the limit; until the next morning is logged the morning is taken as back to baseline."""
    if not entries:
        return set()
    days: set[dt.date] = set()
    for entry in entries:
        for s in entry.sessions:
            pain = PainResponse(
                before=baseline, during_max=s.pain_during, next_morning=morning.get(s.day + ONE_DAY, baseline)
            )
            if is_flare(entry.exercise, pain):
                days.add(s.day)
    # A raised morning counts for the day before it even without a session that day.
    any_exercise = entries[0].exercise
    for day, pain_nrs in morning.items():
        if is_flare(any_exercise, PainResponse(before=baseline, during_max=0, next_morning=pain_nrs)):
            days.add(day - ONE_DAY)
    return days


def history(entry: EntryState, morning: Mapping[dt.date, float], baseline: float, up_to: dt.date) -> list[PainResponse]:
    """Complete responses at the entry's current level since it began, up to ``up_to``, oldest first."""
    out = []
    for s in sorted(entry.sessions, key=lambda s: s.day):
        if entry.level_since <= s.day <= up_to and (r := response(baseline, s.pain_during, morning, s.day)):
            out.append(r)
    return out


def gentler(current: Dose, target: Dose) -> Dose:
    """The target level's dose, never above the current one in any part."""
    if (current.reps is None) != (target.reps is None):
        return target if _volume(target) <= _volume(current) else current
    return Dose(
        sets=min(current.sets, target.sets),
        reps=None if target.reps is None else min(target.reps, current.reps or target.reps),
        hold_seconds=None
        if target.hold_seconds is None
        else min(target.hold_seconds, current.hold_seconds or target.hold_seconds),
        days_per_week=min(current.days_per_week, target.days_per_week),
    )


def _volume(dose: Dose) -> int:
    return dose.sets * (dose.reps or dose.hold_seconds or 0) * dose.days_per_week


def propose(
    entry: EntryState, morning: Mapping[dt.date, float], baseline: float, day: dt.date, flare_today: bool
) -> Draft | None:
    """The rule's step for ``entry`` after ``day``; None when it holds (or would progress on a flare day)."""
    decision = next_level(entry.exercise, entry.level, history(entry, morning, baseline, day))
    if decision.step is Step.HOLD or (decision.step is Step.PROGRESS and flare_today):
        return None
    target = entry.exercise.levels[decision.level - 1].dose
    dose = target if decision.step is Step.PROGRESS else gentler(entry.dose, target)
    if decision.level == entry.level and dose == entry.dose:
        return None  # a regress at level 1 with nothing left to lower
    return Draft(key=entry.key, day=day, decision=decision, from_level=entry.level, to_dose=dose)


def programme_proposals(
    entries: Sequence[EntryState], morning: Mapping[dt.date, float], baseline: float, day: dt.date
) -> list[Draft]:
    """Every entry's proposal after ``day``."""
    flare_today = day in flare_days(entries, morning, baseline)
    drafts = (propose(e, morning, baseline, day, flare_today) for e in entries)
    return [d for d in drafts if d is not None]


def override_dose(exercise: Exercise, current_level: int, current_dose: Dose, level: int) -> Dose:
    """The dose when the practitioner sets ``level`` by hand: the current dose at the same level, the
    library's dose when going up, and never more than now in any part when going down (as a regress)."""
    if level == current_level:
        return current_dose
    target = exercise.levels[level - 1].dose
    return target if level > current_level else gentler(current_dose, target)


@dataclass(frozen=True)
class PendingStep:
    """A proposal still waiting for the practitioner."""

    day: dt.date
    step: Step
    to_level: int
    to_dose: Dose


class ProposalAction(StrEnum):
    NOTHING = "nothing"  # no pending proposal changes and nothing new is proposed
    KEEP = "keep"  # the pending proposal still stands (the rule proposes the same again)
    WITHDRAW = "withdraw"  # a pending progress is superseded by a later flare day, nothing new
    REPLACE = "replace"  # the pending proposal (if any) is superseded by the new draft


def reconcile(pending: PendingStep | None, draft: Draft | None, day: dt.date, flare_today: bool) -> ProposalAction:
    """What becomes of a pending proposal when the rule looks at ``day`` again (the supersede rule):
    a progress still waiting is withdrawn by a later flare day; a different draft replaces it."""
    if draft is None:
        if pending is not None and pending.day < day and pending.step is Step.PROGRESS and flare_today:
            return ProposalAction.WITHDRAW
        return ProposalAction.NOTHING
    if pending is not None and (pending.to_level, pending.to_dose, pending.step) == (
        draft.decision.level,
        draft.to_dose,
        draft.step,
    ):
        return ProposalAction.KEEP
    return ProposalAction.REPLACE


def alert_rule() -> ProgrammeAlertRule:
    """The shipped thresholds of the flare and silence alerts."""
    return exercise_library().alerts


def flare_run(flares: Iterable[dt.date], days: int | None = None) -> dt.date | None:
    """The last day of the latest run of ``days`` (the library's ``flare_run_days``) consecutive flare
    days, or None."""
    days = days or alert_rule().flare_run_days
    found = None
    ordered = sorted(set(flares))
    for i in range(days - 1, len(ordered)):
        if (ordered[i] - ordered[i - days + 1]).days == days - 1:
            found = ordered[i]
    return found


def flare_alert_day(
    flares: Iterable[dt.date], today: dt.date, rule: ProgrammeAlertRule | None = None
) -> dt.date | None:
    """The day a flare alert is raised for: the end of the latest flare run, when it is recent enough."""
    rule = rule or alert_rule()
    last = flare_run(flares, rule.flare_run_days)
    if last is None or (today - last).days > rule.flare_alert_within_days:
        return None
    return last


def silence_alert_day(
    last_log: dt.date | None, start_date: dt.date, today: dt.date, rule: ProgrammeAlertRule | None = None
) -> dt.date | None:
    """The day a "no log" alert is raised for, once ``silence_days`` passed without a session logged
    (counted from the last log, or from the programme's start); None while the patient is not silent."""
    rule = rule or alert_rule()
    last = max(filter(None, [last_log, start_date - ONE_DAY]))
    if (today - last).days < rule.silence_days:
        return None
    return last + dt.timedelta(days=rule.silence_days)


def adherence(done: float, partly: float, prescribed: int) -> float | None:
    """Sessions done over sessions prescribed (a partly done session counts half), at most 1."""
    if prescribed <= 0:
        return None
    return min(1.0, (done + 0.5 * partly) / prescribed)


def week_start(day: dt.date) -> dt.date:
    """Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())
