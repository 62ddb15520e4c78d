"""Triage: red flags first and never outweighed; then the article's scope check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.evidence import registry
from yotsu.pathway.triage import (
    IncompleteTriageError,
    InvalidAnswerError,
    Route,
    UnknownAnswerError,
    triage,
    triage_flags,
    triage_rules,
)

RULES = triage_rules()
FLAG_QUESTIONS = RULES.flag_question_ids()
# flags raised by one yes on their own question (no features, no age factor)
SIMPLE_FLAGS = [f.id for f in RULES.flags if f.features is None and f.question is not None and not f.requires]
URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine_medical": 2}


def clean(**overrides: object) -> dict[str, object]:
    """A person of 40 with no red flag, 26 weeks of pain, examined, nothing found; then ``overrides``."""
    answers: dict[str, object] = {q: False for q in FLAG_QUESTIONS}
    answers.update(age_years=40, pain_duration_weeks=26, examined_by_doctor=True, doctor_found_serious_cause=False)
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
    ("long-term steroids, onset not called sudden", clean(long_term_steroids=True), Route.URGENT),
    ("osteoporosis alone", clean(osteoporosis=True), Route.URGENT),
    ("sudden severe onset alone", clean(sudden_severe_onset=True), Route.URGENT),
    ("minor fall at 70", clean(minor_trauma=True, age_years=70), Route.URGENT),
    ("minor fall at 69 is not a fracture flag", clean(minor_trauma=True, age_years=69), Route.IN_SCOPE),
    ("age 80 alone is not a red flag", clean(age_years=80), Route.IN_SCOPE),
    ("over 50 with pain that began 3 weeks ago", clean(age_years=55, pain_duration_weeks=3), Route.URGENT),
    ("50 with pain for a year is not new pain", clean(age_years=50, pain_duration_weeks=52), Route.IN_SCOPE),
    ("49 with recent pain: out of scope, no flag", clean(age_years=49, pain_duration_weeks=3), Route.OUT_OF_SCOPE),
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
            "age_years": st.integers(0, 120),
            "pain_duration_weeks": st.integers(0, 2000),
            "examined_by_doctor": st.booleans(),
            "doctor_found_serious_cause": st.booleans(),
        }
    )
    return st.tuples(flags, scope).map(lambda t: {**t[0], **t[1]})


@settings(deadline=None)  # a shared CI machine: timing is not the behaviour under test
@given(answers=answer_sets(), flag=st.sampled_from(SIMPLE_FLAGS))
def test_any_red_flag_refers_whatever_the_other_answers(answers: dict, flag: str) -> None:
    answers[flag] = True
    result = triage(answers)
    assert result.is_referral
    assert flag in result.raised_flags
    expected = min(URGENCY_RANK[RULES.flag(f).urgency.value] for f in result.raised_flags)
    assert URGENCY_RANK[result.route.value] == expected


@settings(deadline=None)  # a shared CI machine: timing is not the behaviour under test
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
    with pytest.raises(InvalidAnswerError, match=r"fever.*true \(yes\) or false \(no\)"):
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


FACTOR_FLAGS = {
    "long_term_steroids": {"long_term_steroids": True},
    "osteoporosis": {"osteoporosis": True},
    "sudden_severe_onset": {"sudden_severe_onset": True},
    "minor_trauma": {"minor_trauma": True, "age_years": 71},
    "age_over_50_new_pain": {"age_years": 51, "pain_duration_weeks": 2},
}


@pytest.mark.parametrize("flag", sorted(FACTOR_FLAGS))
def test_each_split_fracture_and_age_factor_refers_on_its_own(flag: str) -> None:
    result = triage(clean(**FACTOR_FLAGS[flag]))
    assert result.route is Route.URGENT and result.raised_flags == (flag,)
    assert triage_flags(clean(**FACTOR_FLAGS[flag])) == result


@settings(deadline=None)  # a shared CI machine: timing is not the behaviour under test
@given(age=st.integers(0, 120), weeks=st.integers(0, 2000), flag=st.sampled_from(SIMPLE_FLAGS))
def test_no_age_or_duration_outweighs_a_flag_answered_yes(age: int, weeks: int, flag: str) -> None:
    assert triage(clean(age_years=age, pain_duration_weeks=weeks, **{flag: True})).is_referral


def test_age_is_required() -> None:
    answers = clean()
    del answers["age_years"]
    with pytest.raises(IncompleteTriageError, match=r"age_years"):
        triage(answers)
    with pytest.raises(IncompleteTriageError, match=r"age_years"):
        triage_flags(answers)


@pytest.mark.parametrize("age", [-1, 121, True, "40"])
def test_an_impossible_age_names_the_allowed_range(age: object) -> None:
    with pytest.raises(InvalidAnswerError, match=r"age_years.*from 0 to 120"):
        triage(clean(age_years=age))


def test_triage_flags_is_none_without_a_flag_and_needs_no_scope_answer() -> None:
    flags_only = {k: v for k, v in clean().items() if k in RULES.flag_stage_ids()}
    assert "examined_by_doctor" not in flags_only
    assert triage_flags(flags_only) is None
    assert triage_flags({**flags_only, "fever": True}).route is Route.URGENT  # type: ignore[union-attr]
    assert triage_flags({}, reported_flags=["saddle_numbness"]).route is Route.EMERGENCY  # type: ignore[union-attr]


def test_triage_flags_never_reads_silence_as_no_flag() -> None:
    flags_only = {k: v for k, v in clean().items() if k in RULES.flag_stage_ids()}
    del flags_only["osteoporosis"]
    with pytest.raises(IncompleteTriageError, match=r"osteoporosis"):
        triage_flags(flags_only)


def test_every_age_factor_is_required_by_a_flag_and_every_flag_question_is_asked_once() -> None:
    used = {r for f in RULES.flags for r in f.requires}
    assert used == {f.id for f in RULES.age_factors}
    keys = [k for k, _ in RULES.flag_questions()]
    assert keys == list(RULES.flag_question_ids()) and len(set(keys)) == len(keys)
