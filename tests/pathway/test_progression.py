"""The programme's proposals from logged weeks: the pathway's rule (silbernagel2007) through
``yotsu.pathway.progression``. Table tests of logged weeks, then properties over generated logs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.i18n import LocalText
from yotsu.pathway.exercises import ProgressionDecision, Step, exercise_library
from yotsu.pathway.progression import (
    Draft,
    EntryState,
    LoggedSession,
    PendingStep,
    ProposalAction,
    adherence,
    flare_alert_day,
    flare_days,
    flare_run,
    gentler,
    override_dose,
    programme_proposals,
    reconcile,
    silence_alert_day,
)

MONDAY = dt.date(2026, 3, 2)
LIB = exercise_library()


def entry(exercise_id: str, level: int, pains: list[float | None], key: str = "a") -> EntryState:
    """A week of sessions from Monday: ``pains[i]`` is the pain during on day i (None = no session)."""
    ex = LIB.get(exercise_id)
    sessions = tuple(LoggedSession(MONDAY + dt.timedelta(days=i), p) for i, p in enumerate(pains) if p is not None)
    return EntryState(
        key=key, exercise=ex, level=level, level_since=MONDAY, dose=ex.levels[level - 1].dose, sessions=sessions
    )


def mornings(values: list[float | None]) -> dict[dt.date, float]:
    """``values[i]`` is the pain on waking on day i+1 (the morning after day i)."""
    return {MONDAY + dt.timedelta(days=i + 1): v for i, v in enumerate(values) if v is not None}


# exercise, level, pain during per day, next-morning pain per day, baseline, day evaluated, expected step
WEEKS = [
    ("pelvic_tilt_awareness", 1, [2, 2], [3, 3], 3, 1, Step.PROGRESS),  # two settled sessions
    ("pelvic_tilt_awareness", 1, [2], [3], 3, 0, None),  # one session is not enough: hold
    ("pelvic_tilt_awareness", 1, [2, 2], [3, None], 3, 1, None),  # second morning missing: not complete
    ("pelvic_tilt_awareness", 2, [6], [3], 3, 0, Step.REGRESS),  # pain during above 5/10
    ("pelvic_tilt_awareness", 2, [2], [5], 3, 0, Step.REGRESS),  # morning 2 above baseline
    ("pelvic_tilt_awareness", 1, [2, 2], [3, 4], 3, 1, None),  # morning above baseline, below flare: hold
    ("pelvic_tilt_awareness", 3, [1, 1], [2, 2], 3, 1, None),  # top level: hold
    ("hip_hinge", 1, [5, 5, None, 4], [3, 3, None, 3], 3, 1, Step.PROGRESS),  # 5/10 is still acceptable
    ("hip_hinge", 2, [2, None, 2], [3, None, 3], 3, 2, Step.PROGRESS),  # sessions need not be on consecutive days
    ("single_leg_stance", 3, [7], [3], 3, 0, Step.REGRESS),  # regress from 3 (20 s hold) to 2 (30 s)
]


@pytest.mark.parametrize(("exercise_id", "level", "during", "morning", "baseline", "day", "expected"), WEEKS)
def test_logged_week_gives_the_expected_proposal(
    exercise_id: str,
    level: int,
    during: list[float | None],
    morning: list[float | None],
    baseline: float,
    day: int,
    expected: Step | None,
) -> None:
    drafts = programme_proposals(
        [entry(exercise_id, level, during)], mornings(morning), baseline, MONDAY + dt.timedelta(days=day)
    )
    assert [d.step for d in drafts] == ([expected] if expected else [])


def test_progress_sets_the_next_levels_dose_from_the_library() -> None:
    (draft,) = programme_proposals([entry("hip_hinge", 1, [2, 2])], mornings([3, 3]), 3, MONDAY + dt.timedelta(days=1))
    assert (draft.decision.level, draft.to_dose) == (2, LIB.get("hip_hinge").levels[1].dose)


def test_regress_from_a_shorter_hold_keeps_the_shorter_hold() -> None:
    (draft,) = programme_proposals([entry("single_leg_stance", 3, [7])], mornings([3]), 3, MONDAY)
    assert draft.decision.level == 2
    assert draft.to_dose.hold_seconds == 20  # level 2 holds 30 s in the library; never more than now


def test_a_flare_in_one_exercise_stops_the_progress_of_another_that_day() -> None:
    settled = entry("pelvic_tilt_awareness", 1, [2, 2], key="settled")
    flaring = entry("hip_hinge", 2, [None, 7], key="flaring")
    drafts = programme_proposals([settled, flaring], mornings([3, 3]), 3, MONDAY + dt.timedelta(days=1))
    assert [(d.key, d.step) for d in drafts] == [("flaring", Step.REGRESS)]


def test_two_flare_days_in_a_row_make_a_run_and_one_does_not() -> None:
    e = entry("hip_hinge", 1, [7, None, 2, 7, 8])
    flares = flare_days([e], mornings([3, None, 3, 3, 3]), 3)
    assert flares == {MONDAY, MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=4)}
    assert flare_run(flares) == MONDAY + dt.timedelta(days=4)
    assert flare_run({MONDAY, MONDAY + dt.timedelta(days=2)}) is None


def test_a_raised_morning_without_a_session_is_a_flare_of_the_day_before() -> None:
    e = entry("hip_hinge", 1, [2])
    assert flare_days([e], mornings([3, 6]), 3) == {MONDAY + dt.timedelta(days=1)}


@pytest.mark.parametrize(
    ("done", "partly", "prescribed", "expected"), [(5, 0, 10, 0.5), (4, 2, 10, 0.5), (12, 0, 10, 1.0), (0, 0, 0, None)]
)
def test_adherence_counts_partly_as_half_and_is_at_most_one(
    done: int, partly: int, prescribed: int, expected: float | None
) -> None:
    assert adherence(done, partly, prescribed) == expected


pain = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def programmes(draw: st.DrawFn) -> tuple[list[EntryState], dict[dt.date, float], int, dt.date]:
    ids = draw(st.lists(st.sampled_from([e.id for e in LIB.exercises]), min_size=1, max_size=4, unique=True))
    days = draw(st.integers(1, 14))
    entries = []
    for exercise_id in ids:
        level = draw(st.integers(1, len(LIB.get(exercise_id).levels)))
        entries.append(entry(exercise_id, level, draw(st.lists(pain, min_size=days, max_size=days)), key=exercise_id))
    morning = mornings(draw(st.lists(pain, min_size=days, max_size=days)))
    return entries, morning, draw(st.integers(0, 8)), MONDAY + dt.timedelta(days=draw(st.integers(0, days - 1)))


@settings(max_examples=300, deadline=None)
@given(programmes())
def test_no_progress_is_ever_proposed_on_a_flare_day(case: tuple) -> None:
    entries, morning, baseline, day = case
    drafts = programme_proposals(entries, morning, baseline, day)
    if day in flare_days(entries, morning, baseline):
        assert all(d.step is not Step.PROGRESS for d in drafts)


@settings(max_examples=300, deadline=None)
@given(programmes())
def test_a_regress_never_raises_any_part_of_the_dose(case: tuple) -> None:
    entries, morning, baseline, day = case
    by_key = {e.key: e for e in entries}
    for draft in programme_proposals(entries, morning, baseline, day):
        if draft.step is Step.REGRESS:
            now, new = by_key[draft.key].dose, draft.to_dose
            assert draft.decision.level <= by_key[draft.key].level
            assert new.sets <= now.sets and new.days_per_week <= now.days_per_week
            assert (new.reps or 0) <= (now.reps or 0) and (new.hold_seconds or 0) <= (now.hold_seconds or 0)


@given(st.sampled_from(LIB.exercises), st.data())
def test_gentler_dose_is_never_above_the_current_one(exercise: object, data: st.DataObject) -> None:
    levels = exercise.levels  # type: ignore[attr-defined]
    current = data.draw(st.sampled_from(levels)).dose
    target = data.draw(st.sampled_from(levels)).dose
    new = gentler(current, target)
    assert new.sets <= current.sets and (new.reps or 0) <= (current.reps or 0)
    assert (new.hold_seconds or 0) <= (current.hold_seconds or 0) and new.days_per_week <= current.days_per_week


def test_alert_thresholds_come_from_the_library_with_their_evidence() -> None:
    rule = LIB.alerts
    assert (rule.flare_run_days, rule.flare_alert_within_days, rule.silence_days) == (2, 3, 3)
    assert rule.evidence.level.value == "clinical_impression"


def test_a_flare_run_alerts_only_while_it_is_recent() -> None:
    run = {MONDAY, MONDAY + dt.timedelta(days=1)}
    assert flare_alert_day(run, MONDAY + dt.timedelta(days=4)) == MONDAY + dt.timedelta(days=1)
    assert flare_alert_day(run, MONDAY + dt.timedelta(days=5)) is None
    assert flare_alert_day({MONDAY}, MONDAY) is None


@pytest.mark.parametrize(
    ("last_log", "today", "expected"),
    [
        (None, 1, None),  # started Monday: Monday and Tuesday quiet are not yet silence
        (None, 2, 2),  # Monday to Wednesday quiet: the alert is for Wednesday
        (1, 3, None),  # logged Tuesday: Wednesday and Thursday quiet
        (1, 4, 4),
        (1, 9, 4),  # the alert's day stays the day the silence reached three days
    ],
)
def test_silence_window_is_three_quiet_days_after_the_last_log_or_from_the_start(
    last_log: int | None, today: int, expected: int | None
) -> None:
    day = silence_alert_day(
        None if last_log is None else MONDAY + dt.timedelta(days=last_log), MONDAY, MONDAY + dt.timedelta(days=today)
    )
    assert day == (None if expected is None else MONDAY + dt.timedelta(days=expected))


def test_override_dose_keeps_the_dose_at_the_same_level_and_never_raises_it_going_down() -> None:
    ex = LIB.get("single_leg_stance")
    now = ex.levels[2].dose
    assert override_dose(ex, 3, now, 3) == now
    assert override_dose(ex, 1, ex.levels[0].dose, 2) == ex.levels[1].dose
    down = override_dose(ex, 3, now, 2)
    assert (down.hold_seconds or 0) <= (now.hold_seconds or 0)


def _draft(step: Step, level: int) -> Draft:
    ex = LIB.get("hip_hinge")
    decision = ProgressionDecision(
        step=step, level=level, reason=LocalText(en="r", ja="r"), evidence=LIB.progression.evidence
    )
    return Draft(key="a", day=MONDAY, decision=decision, from_level=1, to_dose=ex.levels[level - 1].dose)


def test_supersede_rule_withdraws_a_waiting_progress_on_a_later_flare_day_and_keeps_an_equal_one() -> None:
    ex = LIB.get("hip_hinge")
    waiting = PendingStep(day=MONDAY, step=Step.PROGRESS, to_level=2, to_dose=ex.levels[1].dose)
    later = MONDAY + dt.timedelta(days=1)
    assert reconcile(waiting, None, later, flare_today=True) is ProposalAction.WITHDRAW
    assert reconcile(waiting, None, later, flare_today=False) is ProposalAction.NOTHING
    assert reconcile(waiting, None, MONDAY, flare_today=True) is ProposalAction.NOTHING  # same day: stands
    assert reconcile(waiting, _draft(Step.PROGRESS, 2), later, flare_today=False) is ProposalAction.KEEP
    assert reconcile(waiting, _draft(Step.REGRESS, 1), later, flare_today=True) is ProposalAction.REPLACE
    assert reconcile(None, _draft(Step.PROGRESS, 2), later, flare_today=False) is ProposalAction.REPLACE
