"""Triage: red flags first and never outweighed; then the article's scope check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yotsu.evidence import registry
from yotsu.pathway.triage import (
    IncompleteTriageError,
    InvalidAnswerError,
    Route,
    UnknownAnswerError,
    triage,
    triage_rules,
)

RULES = triage_rules()
FLAG_QUESTIONS = RULES.flag_question_ids()
SIMPLE_FLAGS = [f.id for f in RULES.flags if f.features is None]
URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine_medical": 2}


def clean(**overrides: object) -> dict[str, object]:
    """A person with no red flag, 26 weeks of pain, examined, nothing found; then ``overrides``."""
    answers: dict[str, object] = {q: False for q in FLAG_QUESTIONS}
    answers.update(pain_duration_weeks=26, examined_by_doctor=True, doctor_found_serious_cause=False)
    answers.update(overrides)
    return answers


VIGNETTES = [
    ("chronic pain, examined, nothing found", clean(), Route.IN_SCOPE),
    ("exactly 12 weeks is chronic", clean(pain_duration_weeks=12), Route.IN_SCOPE),
    ("11 weeks is subacute", clean(pain_duration_weeks=11), Route.OUT_OF_SCOPE),
    ("acute strain last week", clean(pain_duration_weeks=1), Route.OUT_OF_SCOPE),
    (
        "never examined by a doctor",
        clean(examined_by_doctor=False, doctor_found_serious_cause=None),
        Route.OUT_OF_SCOPE,
    ),
    ("doctor found a specific cause", clean(doctor_found_serious_cause=True), Route.OUT_OF_SCOPE),
    ("saddle numbness", clean(saddle_numbness=True), Route.EMERGENCY),
    ("new urinary retention", clean(bladder_dysfunction=True), Route.EMERGENCY),
    ("faecal incontinence", clean(bowel_incontinence=True), Route.EMERGENCY),
    ("weakness in both legs", clean(bilateral_leg_deficit=True), Route.EMERGENCY),
    ("pulsating abdominal mass", clean(pulsating_abdominal_mass=True), Route.EMERGENCY),
    ("foot drop in one leg", clean(progressive_weakness=True), Route.URGENT),
    ("history of cancer", clean(cancer_history=True), Route.URGENT),
    (
        "unexplained weight loss and night pain",
        clean(unexplained_weight_loss=True, constant_night_pain=True),
        Route.URGENT,
    ),
    ("fever", clean(fever=True), Route.URGENT),
    ("fall from a ladder", clean(significant_trauma=True), Route.URGENT),
    ("osteoporosis, sudden pain after lifting", clean(fragility_fracture_risk=True), Route.URGENT),
    ("colicky pain unrelated to movement", clean(visceral_pain_pattern=True), Route.URGENT),
    (
        "two inflammatory features",
        clean(morning_stiffness_over_30_min=True, wakes_second_half_of_night=True),
        Route.ROUTINE_MEDICAL,
    ),
    ("one inflammatory feature is not enough", clean(morning_stiffness_over_30_min=True), Route.IN_SCOPE),
    (
        "inflammatory pattern plus saddle numbness: emergency wins",
        clean(morning_stiffness_over_30_min=True, alternating_buttock_pain=True, saddle_numbness=True),
        Route.EMERGENCY,
    ),
    (
        "cancer history in acute pain: referral, not out of scope",
        clean(cancer_history=True, pain_duration_weeks=2),
        Route.URGENT,
    ),
    ("saddle numbness with every other answer unanswered", {"saddle_numbness": True}, Route.EMERGENCY),
]


@pytest.mark.parametrize(("vignette", "answers", "expected"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_clinical_vignettes_get_their_expected_route(vignette: str, answers: dict, expected: Route) -> None:
    assert triage(answers).route is expected


def answer_sets() -> st.SearchStrategy[dict[str, object]]:
    flags = st.fixed_dictionaries({q: st.booleans() for q in FLAG_QUESTIONS})
    scope = st.fixed_dictionaries(
        {
            "pain_duration_weeks": st.integers(0, 2000),
            "examined_by_doctor": st.booleans(),
            "doctor_found_serious_cause": st.booleans(),
        }
    )
    return st.tuples(flags, scope).map(lambda t: {**t[0], **t[1]})


@given(answers=answer_sets(), flag=st.sampled_from(SIMPLE_FLAGS))
def test_any_red_flag_refers_whatever_the_other_answers(answers: dict, flag: str) -> None:
    answers[flag] = True
    result = triage(answers)
    assert result.is_referral
    assert flag in result.raised_flags
    expected = min(URGENCY_RANK[RULES.flag(f).urgency.value] for f in result.raised_flags)
    assert URGENCY_RANK[result.route.value] == expected


@given(answers=answer_sets())
def test_route_is_in_scope_only_without_flags_and_inside_the_article_scope(answers: dict) -> None:
    result = triage(answers)
    if result.route is Route.IN_SCOPE:
        assert not result.raised_flags
        assert answers["pain_duration_weeks"] >= 12
        assert answers["examined_by_doctor"] and not answers["doctor_found_serious_cause"]


def test_a_flag_reported_later_refers_even_a_clean_person() -> None:
    result = triage(clean(), reported_flags=["fever"])
    assert result.route is Route.URGENT
    assert result.raised_flags == ("fever",)


def test_unknown_answer_key_names_the_key_and_the_allowed_questions() -> None:
    with pytest.raises(UnknownAnswerError, match=r"'saddle_numbess'.*saddle_numbness"):
        triage(clean(saddle_numbess=True))


def test_non_boolean_flag_answer_is_rejected() -> None:
    with pytest.raises(InvalidAnswerError, match=r"fever.*yes \(True\) or no \(False\)"):
        triage(clean(fever="yes"))


def test_negative_duration_is_rejected() -> None:
    with pytest.raises(InvalidAnswerError, match=r"pain_duration_weeks"):
        triage(clean(pain_duration_weeks=-3))


def test_silence_is_never_read_as_no_red_flag() -> None:
    answers = clean()
    del answers["fever"]
    with pytest.raises(IncompleteTriageError, match=r"fever"):
        triage(answers)


def test_error_message_exists_in_japanese() -> None:
    with pytest.raises(UnknownAnswerError) as info:
        triage({"nope": True})
    assert "トリアージ" in info.value.localized("ja")


def test_every_reason_and_message_is_bilingual_and_cited() -> None:
    result = triage(clean(fever=True, saddle_numbness=True))
    assert result.message("ja") and result.message("en")
    for reason in result.reasons:
        assert reason.text("ja") and reason.text("en")
        assert all(k in registry() for k in reason.evidence.citations)


def test_every_flag_cites_the_consensus_sources() -> None:
    for flag in RULES.flags:
        assert {"finucane2020", "nice_ng59", "joa2019", "rudwaleit2006"} & set(flag.evidence.citations)
