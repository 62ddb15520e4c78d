"""Intake before the first visit: identity, the red-flag self-check first, questionnaires, drawing, free text;
resume at the first unfinished step; a red flag stops it."""

from __future__ import annotations

import pytest

from yotsu.pathway.intake import (
    IntakeError,
    IntakeStatus,
    StepKind,
    intake_due,
    intake_progress,
    intake_steps,
)

STEPS = intake_steps(["start_back", "phq4"])
KEYS = [
    "identity",
    "red_flags",
    "questionnaire:start_back",
    "questionnaire:phq4",
    "pain_drawing",
    "free_text",
]


def test_the_red_flag_self_check_comes_right_after_identity_and_before_every_questionnaire() -> None:
    assert [s.key for s in STEPS] == KEYS
    assert [s.kind for s in STEPS][:2] == [StepKind.IDENTITY, StepKind.RED_FLAGS]


def test_a_questionnaire_chosen_twice_is_asked_once() -> None:
    assert [s.key for s in intake_steps(["phq4", "phq4"])].count("questionnaire:phq4") == 1


def test_no_questionnaire_leaves_four_steps() -> None:
    assert len(intake_steps([])) == 4


def test_a_new_intake_is_not_started_at_step_one_of_six() -> None:
    progress = intake_progress(STEPS, done=[])
    assert progress.status is IntakeStatus.NOT_STARTED
    assert progress.current is not None and progress.current.key == "identity"
    assert (progress.number, progress.total) == (1, 6)


def test_coming_back_resumes_at_the_first_unfinished_step_even_with_later_steps_stored() -> None:
    progress = intake_progress(STEPS, done=["identity", "red_flags", "questionnaire:phq4"])
    assert progress.status is IntakeStatus.IN_PROGRESS
    assert progress.current is not None and progress.current.key == "questionnaire:start_back"
    assert progress.number == 3
    assert progress.done == ("identity", "red_flags", "questionnaire:phq4")


def test_every_step_done_is_complete_and_asks_nothing() -> None:
    progress = intake_progress(STEPS, done=KEYS)
    assert progress.status is IntakeStatus.COMPLETE
    assert progress.current is None and not progress.accepts_answers and not progress.needs_review


def test_a_red_flag_stops_the_intake_and_needs_review_whatever_else_is_stored() -> None:
    progress = intake_progress(STEPS, done=KEYS, red_flag=True)
    assert progress.status is IntakeStatus.RED_FLAG
    assert progress.current is None and progress.needs_review
    assert progress.number == 2


def test_a_red_flag_without_the_red_flag_step_is_an_error() -> None:
    with pytest.raises(IntakeError, match="red-flag step"):
        intake_progress(STEPS, done=["identity"], red_flag=True)


def test_steps_not_made_by_intake_steps_are_refused() -> None:
    with pytest.raises(IntakeError, match="intake_steps"):
        intake_progress(tuple(reversed(STEPS)), done=[])


def test_a_questionnaire_id_with_a_colon_is_refused_in_both_languages() -> None:
    with pytest.raises(IntakeError) as caught:
        intake_steps(["a:b"])
    assert caught.value.localized("ja").startswith("問診票：")


@pytest.mark.parametrize(
    ("first_visit", "new_patient", "due"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_only_a_first_visit_by_a_new_patient_sends_an_intake(first_visit: bool, new_patient: bool, due: bool) -> None:
    assert intake_due(first_visit=first_visit, new_patient=new_patient) is due
