"""Journey: the one next step for a patient, from what they have done so far.

The order is the pathway's, decided here once for every face (web portal, CLI, API): an open red-flag
referral comes first and holds everything else; then the self-check, the questionnaires, the body-map
task, the explanation, the plan, and then the daily routine (today's exercises, then the diary). The
faces only gather the facts (:class:`JourneyFacts`) and render the answer (:class:`NextStep`).

>>> next_step(JourneyFacts()).step
<Step.SELF_CHECK: 'self_check'>
>>> next_step(JourneyFacts(open_referral=True, self_check_done=True)).step
<Step.REFERRAL: 'referral'>
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from yotsu.i18n import LocalText, gettext


class Step(StrEnum):
    REFERRAL = "referral"
    SELF_CHECK = "self_check"
    QUESTIONNAIRES = "questionnaires"
    BODY_MAP = "body_map"
    EXPLANATION = "explanation"
    PLAN = "plan"
    EXERCISES = "exercises"
    DIARY = "diary"
    DONE_TODAY = "done_today"


#: The steps a new patient goes through once, in order; progress counts these.
SETUP: tuple[Step, ...] = (Step.SELF_CHECK, Step.QUESTIONNAIRES, Step.BODY_MAP, Step.EXPLANATION, Step.PLAN)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JourneyFacts(_Frozen):
    """What the patient has done, as the face that asks knows it."""

    open_referral: bool = False  # a red flag no doctor's visit has cleared yet
    self_check_done: bool = False
    questionnaires_open: int = Field(default=0, ge=0)  # questionnaires they can answer and have not
    body_map_done: bool = False
    explanation_seen: bool = False
    plan_seen: bool = False
    exercises_due_today: int = Field(default=0, ge=0)  # prescribed today and not yet logged
    diary_done_today: bool = False
    unread_messages: int = Field(default=0, ge=0)
    new_proposals: int = Field(default=0, ge=0)


class NextStep(_Frozen):
    step: Step
    title: LocalText
    text: LocalText
    done: tuple[Step, ...]  # the setup steps already done
    total: int  # the number of setup steps
    locked: bool  # referral mode: the rest of the programme waits for a doctor
    unread_messages: int
    new_proposals: int

    @property
    def progress(self) -> float:
        return len(self.done) / self.total


def _both(msgid: str, **fmt: object) -> LocalText:
    return LocalText(en=gettext(msgid, "en", **fmt), ja=gettext(msgid, "ja", **fmt))


def _texts(step: Step, facts: JourneyFacts) -> tuple[LocalText, LocalText]:
    if step is Step.REFERRAL:
        return _both("See a doctor first"), _both(
            "Your answers suggest a doctor should check your back. Please read what to do and how soon."
        )
    if step is Step.SELF_CHECK:
        return _both("Start with the self-check"), _both(
            "A few short questions make sure the programme is safe for you. It takes about two minutes."
        )
    if step is Step.QUESTIONNAIRES:
        return _both("Answer the questionnaires"), _both(
            "{n} short questionnaire(s) left. Your answers make your explanation and plan fit you.",
            n=facts.questionnaires_open,
        )
    if step is Step.BODY_MAP:
        return _both("Try the body-map task"), _both(
            "A short game on your phone: is the back turned left or right? It shows how clearly your brain "
            "senses your back."
        )
    if step is Step.EXPLANATION:
        return _both("Read your explanation"), _both(
            "What is making your pain worse and what helps, worked out from your answers."
        )
    if step is Step.PLAN:
        return _both("See your plan"), _both("What to do in the coming weeks, and why.")
    if step is Step.EXERCISES:
        return _both("Today's exercises"), _both(
            "{n} exercise(s) left for today. Tap each one when you have done it.", n=facts.exercises_due_today
        )
    if step is Step.DIARY:
        return _both("Write today's diary"), _both("Your pain and sleep today, in under a minute.")
    return _both("All done for today"), _both("Well done. Come back tomorrow for the next day.")


def next_step(facts: JourneyFacts) -> NextStep:
    """The one next step for the patient described by ``facts``, with their progress."""
    done_flags = {
        Step.SELF_CHECK: facts.self_check_done,
        Step.QUESTIONNAIRES: facts.questionnaires_open == 0,
        Step.BODY_MAP: facts.body_map_done,
        Step.EXPLANATION: facts.explanation_seen,
        Step.PLAN: facts.plan_seen,
    }
    done = tuple(s for s in SETUP if done_flags[s])
    if facts.open_referral:
        step = Step.REFERRAL
    else:
        pending = [s for s in SETUP if not done_flags[s]]
        if pending:
            step = pending[0]
        elif facts.exercises_due_today:
            step = Step.EXERCISES
        elif not facts.diary_done_today:
            step = Step.DIARY
        else:
            step = Step.DONE_TODAY
    title, text = _texts(step, facts)
    return NextStep(
        step=step,
        title=title,
        text=text,
        done=done,
        total=len(SETUP),
        locked=facts.open_referral,
        unread_messages=facts.unread_messages,
        new_proposals=facts.new_proposals,
    )


__all__ = ["SETUP", "JourneyFacts", "NextStep", "Step", "next_step"]
