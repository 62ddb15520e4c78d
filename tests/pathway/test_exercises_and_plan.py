"""Exercise library, progression by pain response, and the stratified WHO-aligned plan."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yotsu.evidence import registry
from yotsu.i18n import LANGS
from yotsu.pathway.exercises import (
    ExerciseCategory,
    PainResponse,
    Step,
    UnknownExerciseError,
    exercise_library,
    next_level,
)
from yotsu.pathway.instruments import score
from yotsu.pathway.plan import PlanError, RiskGroup, build_plan, risk_group_of

LIB = exercise_library()
CALM = PainResponse(before=3, during_max=4, next_morning=3)


def test_library_covers_every_category_the_article_names() -> None:
    assert {e.category for e in LIB.exercises} == set(ExerciseCategory)


@pytest.mark.parametrize("exercise", LIB.exercises, ids=lambda e: e.id)
def test_each_exercise_is_bilingual_and_cited(exercise) -> None:  # type: ignore[no-untyped-def]
    texts = [exercise.name, exercise.instructions, exercise.why_safety] + [lv.description for lv in exercise.levels]
    for text, lang in itertools.product(texts, LANGS):
        assert text(lang).strip()
    assert all(k in registry() for k in exercise.evidence.citations)


def test_two_calm_sessions_progress_a_level() -> None:
    decision = next_level("hip_hinge", 1, [CALM, CALM])
    assert (decision.step, decision.level) == (Step.PROGRESS, 2)


def test_one_calm_session_is_not_enough() -> None:
    assert next_level("hip_hinge", 1, [CALM]).step is Step.HOLD


def test_pain_above_five_during_is_a_flare() -> None:
    decision = next_level("hip_hinge", 2, [CALM, PainResponse(before=3, during_max=6, next_morning=3)])
    assert (decision.step, decision.level) == (Step.REGRESS, 1)


def test_next_morning_two_points_above_baseline_is_a_flare() -> None:
    decision = next_level("hip_hinge", 3, [CALM, PainResponse(before=3, during_max=4, next_morning=5)])
    assert (decision.step, decision.level) == (Step.REGRESS, 2)


def test_next_morning_one_point_up_holds() -> None:
    assert next_level("hip_hinge", 2, [CALM, PainResponse(before=3, during_max=4, next_morning=4)]).step is Step.HOLD


def test_top_level_holds_and_level_one_does_not_go_below_one() -> None:
    top = len(LIB.get("hip_hinge").levels)
    assert next_level("hip_hinge", top, [CALM, CALM]).level == top
    assert next_level("hip_hinge", 1, [PainResponse(before=2, during_max=9, next_morning=6)]).level == 1


def test_unknown_exercise_lists_the_library() -> None:
    with pytest.raises(UnknownExerciseError, match="hip_hinge"):
        next_level("plank", 1, [CALM])


@given(before=st.floats(0, 10), during=st.floats(0, 10), morning=st.floats(0, 10), level=st.integers(1, 3))
def test_progression_moves_at_most_one_level(before: float, during: float, morning: float, level: int) -> None:
    response = PainResponse(before=before, during_max=during, next_morning=morning)
    decision = next_level("hip_hinge", level, [response, response])
    assert abs(decision.level - level) <= 1
    if during > 5:
        assert decision.step is Step.REGRESS


def kinds(plan) -> set[str]:  # type: ignore[no-untyped-def]
    return {kind for kind, _, _ in plan.as_schedule()}


def test_low_risk_is_education_and_staying_active() -> None:
    assert kinds(build_plan("low")) == {"education", "graded_exercise"}


def test_medium_risk_adds_physiotherapy_and_neuro_training() -> None:
    assert kinds(build_plan("medium")) == {"education", "graded_exercise", "neuro_training"}


def test_high_risk_is_psychologically_informed() -> None:
    assert "cbt" in kinds(build_plan("high"))


def test_risk_group_from_a_scored_start_back() -> None:
    result = score("start_back", {f"q{i}": v for i, v in enumerate([1, 1, 1, 1, 1, 0, 0, 1, 2], start=1)})
    assert risk_group_of(result) is RiskGroup.MEDIUM
    with pytest.raises(PlanError, match="STarT Back"):
        risk_group_of(score("nrs_pain", {"q1": 3}))


def test_massage_only_as_a_comfortable_adjunct() -> None:
    plan = build_plan("medium", weeks=4, massage_pressure=3)
    massage = [(day, dose) for kind, day, dose in plan.as_schedule() if kind == "massage"]
    assert massage == [(0, 3.0), (7, 3.0), (14, 3.0), (21, 3.0)]
    assert "massage" not in kinds(build_plan("medium"))
    with pytest.raises(PlanError, match="comfortable maximum 4/10"):
        build_plan("medium", massage_pressure=8)


def test_plan_lists_what_who_advises_against() -> None:
    against = {a.id for a in build_plan("low").advised_against}
    assert {"traction", "therapeutic_ultrasound", "tens", "lumbar_supports"} <= against


def test_sleep_problem_adds_sleep_care_weekly() -> None:
    days = [
        day for kind, day, _ in build_plan("low", weeks=3, sleep_problem=True).as_schedule() if kind == "sleep_care"
    ]
    assert days == [0, 7, 14]


def test_schedule_days_stay_inside_the_plan() -> None:
    plan = build_plan("high", weeks=2)
    assert all(0 <= day < 14 for _, day, _ in plan.as_schedule())
    # neuro training 5 days a week over 2 weeks = 10 sessions
    assert sum(kind == "neuro_training" for kind, _, _ in plan.as_schedule()) == 10


def test_plan_exercises_start_at_level_one_and_match_their_session_kind() -> None:
    plan = build_plan("high")
    assert plan.exercises and all(e.level == 1 for e in plan.exercises)


def test_unknown_risk_group_is_refused() -> None:
    with pytest.raises(PlanError, match="'severe' is not one of low, medium, high"):
        build_plan("severe")
