"""Journey: the one next step, in the pathway's order, with the referral first and progress counted."""

from __future__ import annotations

import pytest

from yotsu.i18n import catalogue_ids
from yotsu.pathway.journey import SETUP, JourneyFacts, Step, next_step

ALL_SET_UP = JourneyFacts(
    self_check_done=True, questionnaires_open=0, body_map_done=True, explanation_seen=True, plan_seen=True
)


def test_a_new_patient_starts_with_the_self_check_and_nothing_done() -> None:
    step = next_step(JourneyFacts(questionnaires_open=2))
    assert step.step is Step.SELF_CHECK
    assert step.done == () and step.total == len(SETUP) and step.progress == 0
    assert not step.locked


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (JourneyFacts(self_check_done=True, questionnaires_open=2), Step.QUESTIONNAIRES),
        (JourneyFacts(self_check_done=True), Step.BODY_MAP),
        (JourneyFacts(self_check_done=True, body_map_done=True), Step.EXPLANATION),
        (JourneyFacts(self_check_done=True, body_map_done=True, explanation_seen=True), Step.PLAN),
        (ALL_SET_UP.model_copy(update={"exercises_due_today": 3}), Step.EXERCISES),
        (ALL_SET_UP, Step.DIARY),
        (ALL_SET_UP.model_copy(update={"diary_done_today": True}), Step.DONE_TODAY),
        # an earlier step left undone comes back first, whatever was done after it
        (ALL_SET_UP.model_copy(update={"questionnaires_open": 1, "exercises_due_today": 2}), Step.QUESTIONNAIRES),
    ],
)
def test_the_steps_come_in_the_pathways_order(facts: JourneyFacts, expected: Step) -> None:
    assert next_step(facts).step is expected


def test_an_open_referral_comes_first_and_locks_the_rest_at_any_stage() -> None:
    for facts in (JourneyFacts(), ALL_SET_UP.model_copy(update={"exercises_due_today": 2})):
        step = next_step(facts.model_copy(update={"open_referral": True}))
        assert step.step is Step.REFERRAL and step.locked
        assert step.done == next_step(facts).done  # progress is still shown


def test_progress_counts_the_setup_steps_done() -> None:
    step = next_step(JourneyFacts(self_check_done=True, body_map_done=True, questionnaires_open=1))
    assert step.done == (Step.SELF_CHECK, Step.BODY_MAP) and step.progress == pytest.approx(2 / 5)
    assert next_step(ALL_SET_UP).progress == 1


def test_counts_pass_through_and_texts_are_in_both_languages_with_the_count() -> None:
    facts = JourneyFacts(self_check_done=True, questionnaires_open=3, unread_messages=2, new_proposals=1)
    step = next_step(facts)
    assert (step.unread_messages, step.new_proposals) == (2, 1)
    assert "3" in step.text.ja and "3" in step.text.en
    reach = {
        Step.REFERRAL: JourneyFacts(open_referral=True),
        Step.SELF_CHECK: JourneyFacts(),
        Step.QUESTIONNAIRES: JourneyFacts(self_check_done=True, questionnaires_open=1),
        Step.BODY_MAP: JourneyFacts(self_check_done=True),
        Step.EXPLANATION: JourneyFacts(self_check_done=True, body_map_done=True),
        Step.PLAN: JourneyFacts(self_check_done=True, body_map_done=True, explanation_seen=True),
        Step.EXERCISES: ALL_SET_UP.model_copy(update={"exercises_due_today": 1}),
        Step.DIARY: ALL_SET_UP,
        Step.DONE_TODAY: ALL_SET_UP.model_copy(update={"diary_done_today": True}),
    }
    assert set(reach) == set(Step)
    catalogue = catalogue_ids("ja")
    for expected, facts in reach.items():
        out = next_step(facts)
        assert out.step is expected
        for text in (out.title, out.text):
            assert text.ja != text.en, f"{expected}: not translated"
    assert "Answer the questionnaires" in catalogue


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="questionnaires_open"):
        JourneyFacts(questionnaires_open=-1)
