"""The patient's records as the pathway's journey facts; the pathway decides the next step.

Questionnaires count as open when the patient can answer them here (text in their language) and has no
completed response; today's exercises are the active programme exercises with no log for today.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yotsu.pathway.journey import JourneyFacts, NextStep, next_step
from yotsu_web.assessments.catalogue import offers
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.journey.models import Page, PortalMark
from yotsu_web.messaging.models import Message, Origin
from yotsu_web.programme.models import ProgrammeExercise, Proposal, SessionLog
from yotsu_web.referrals.service import open_referral


def mark_seen(patient: Membership, page: Page) -> None:
    PortalMark.objects.update_or_create(patient=patient, page=page, defaults={"seen_at": timezone.now()})


def _marks(patient: Membership) -> dict[str, dt.datetime]:
    return dict(PortalMark.objects.filter(patient=patient).values_list("page", "seen_at"))


def journey_facts(patient: Membership, lang: str) -> JourneyFacts:
    marks = _marks(patient)
    answered = set(
        QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False).values_list(
            "instrument", flat=True
        )
    )
    answerable = {o.instrument.id for o in offers(patient.clinic, lang) if o.readable}
    today = timezone.localdate()

    active = ProgrammeExercise.objects.filter(patient=patient, active=True)
    logged = SessionLog.objects.filter(patient=patient, date=today, entry__in=active).count()
    unread = Message.objects.filter(patient=patient).exclude(origin=Origin.PATIENT)
    proposals = Proposal.objects.filter(patient=patient)
    if Page.MESSAGES in marks:
        unread = unread.filter(created_at__gt=marks[Page.MESSAGES])
    if Page.EXERCISES in marks:
        proposals = proposals.filter(created_at__gt=marks[Page.EXERCISES])
    return JourneyFacts(
        open_referral=open_referral(patient) is not None,
        self_check_done=patient.self_checks.exists(),
        questionnaires_open=len(answerable - answered),
        body_map_done=LeftRightSession.objects.filter(patient=patient).exists(),
        explanation_seen=Page.EXPLANATION in marks,
        plan_seen=Page.PLAN in marks,
        exercises_due_today=max(0, active.count() - logged),
        diary_done_today=DiaryDay.objects.filter(patient=patient, date=today).exists(),
        unread_messages=unread.count(),
        new_proposals=proposals.count(),
    )


def journey(patient: Membership, lang: str) -> NextStep:
    return next_step(journey_facts(patient, lang))
