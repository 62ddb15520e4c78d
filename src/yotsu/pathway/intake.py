"""Intake before the first visit (Web問診票): which steps it has, in what order, when it is complete, and
what a red flag does to it.

The order is the pathway's, for every face: who the person is and their consent, then the red-flag
self-check (*before anything else*: a red flag can never be outweighed), then the clinic's chosen
questionnaires (one step each, only those the person can answer in their language), the pain drawing,
and the free text (主訴 and what they want from the visit). A raised red flag stops the intake at that
step: nothing after it is asked, the booking needs the practitioner's review, and the person is shown
the referral for its urgency (:func:`yotsu.pathway.referral.referral_for`). The faces store each step
on submit and ask :func:`intake_progress` where the person resumes.

>>> steps = intake_steps(["start_back"])
>>> [s.key for s in steps]
['identity', 'red_flags', 'questionnaire:start_back', 'pain_drawing', 'free_text']
>>> p = intake_progress(steps, done={"identity"})
>>> p.status.value, p.current.key, p.number, p.total
('in_progress', 'red_flags', 2, 5)
>>> intake_progress(steps, done={"identity", "red_flags"}, red_flag=True).status.value
'red_flag'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from yotsu.pathway._common import PathwayError

#: The questionnaires an intake asks when the clinic has chosen none: the STarT Back risk screen (which
#: stratifies the plan), today's pain and the PHQ-4 (which may warrant support). Only those the person
#: can answer (item text in their language) become steps.
DEFAULT_INSTRUMENTS: tuple[str, ...] = ("start_back", "nrs_pain", "phq4")


class StepKind(StrEnum):
    IDENTITY = "identity"
    RED_FLAGS = "red_flags"
    QUESTIONNAIRE = "questionnaire"
    PAIN_DRAWING = "pain_drawing"
    FREE_TEXT = "free_text"


class IntakeStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    RED_FLAG = "red_flag"


class IntakeError(PathwayError, ValueError):
    """An intake's steps or answers do not fit together (the message names what)."""

    template = "intake: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IntakeStep(_Frozen):
    kind: StepKind
    instrument: str | None = None  # the questionnaire's id, for a questionnaire step

    @property
    def key(self) -> str:
        """The step's stable name, under which a face stores its answers."""
        return f"{self.kind.value}:{self.instrument}" if self.instrument else self.kind.value


def intake_steps(instruments: Iterable[str]) -> tuple[IntakeStep, ...]:
    """The intake's steps, in order, for the questionnaires ``instruments`` (those the person can answer,
    in the clinic's order; a repeated id is asked once)."""
    chosen = list(dict.fromkeys(instruments))
    if any(not i or ":" in i for i in chosen):
        raise IntakeError(detail=f"questionnaire ids must be non-empty and without ':'; got {chosen!r}")
    return (
        IntakeStep(kind=StepKind.IDENTITY),
        IntakeStep(kind=StepKind.RED_FLAGS),
        *(IntakeStep(kind=StepKind.QUESTIONNAIRE, instrument=i) for i in chosen),
        IntakeStep(kind=StepKind.PAIN_DRAWING),
        IntakeStep(kind=StepKind.FREE_TEXT),
    )


class IntakeProgress(_Frozen):
    """Where an intake stands: its status, the step to show now (None when complete or stopped), and the
    progress figures a face shows ("step 2 of 5")."""

    status: IntakeStatus
    current: IntakeStep | None
    number: int  # 1-based position of ``current``; the last step's number once finished or stopped
    total: int
    done: tuple[str, ...]  # keys of the steps done, in step order

    @property
    def needs_review(self) -> bool:
        """A red flag stopped the intake: the booking waits for the practitioner's review."""
        return self.status is IntakeStatus.RED_FLAG

    @property
    def accepts_answers(self) -> bool:
        return self.current is not None


def intake_progress(steps: Sequence[IntakeStep], done: Iterable[str], *, red_flag: bool = False) -> IntakeProgress:
    """The progress of an intake with ``steps`` whose steps ``done`` are stored; ``red_flag`` when its
    red-flag step raised one (the intake then stops: no further step is asked, whatever is stored).

    The person resumes at the first step not done; the intake is complete when every step is done."""
    keys = [s.key for s in steps]
    if len(set(keys)) != len(keys) or not keys or keys[1] != StepKind.RED_FLAGS.value:
        raise IntakeError(detail="the steps must come from intake_steps(): identity, then the red-flag self-check")
    stored = set(done)
    finished = tuple(k for k in keys if k in stored)
    if red_flag:
        if StepKind.RED_FLAGS.value not in stored:
            raise IntakeError(detail="a red flag is raised by the red-flag step, which is not stored as done")
        return IntakeProgress(
            status=IntakeStatus.RED_FLAG, current=None, number=keys.index(StepKind.RED_FLAGS.value) + 1,
            total=len(keys), done=finished,
        )  # fmt: skip
    pending = [i for i, k in enumerate(keys) if k not in stored]
    if not pending:
        return IntakeProgress(
            status=IntakeStatus.COMPLETE, current=None, number=len(keys), total=len(keys), done=finished
        )
    status = IntakeStatus.IN_PROGRESS if finished else IntakeStatus.NOT_STARTED
    return IntakeProgress(
        status=status, current=steps[pending[0]], number=pending[0] + 1, total=len(keys), done=finished
    )


def intake_due(*, first_visit: bool, new_patient: bool) -> bool:
    """Whether a booking sends an intake: a first visit booked by someone the clinic does not know yet (a
    guest, or a patient with no earlier visit or intake)."""
    return first_visit and new_patient


__all__ = [
    "DEFAULT_INSTRUMENTS",
    "IntakeError",
    "IntakeProgress",
    "IntakeStatus",
    "IntakeStep",
    "StepKind",
    "intake_due",
    "intake_progress",
    "intake_steps",
]
