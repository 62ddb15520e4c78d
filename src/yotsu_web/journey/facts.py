"""The patient's records as the pathway's journey facts; the pathway decides the next step.

Questionnaires count as open when the patient can answer them here (text in their language) and has no
completed response; today's exercises are the active programme exercises with no log for today.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db import connection
from django.http import HttpRequest
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
from yotsu_web.referrals.service import open_referral, open_referral_once
from yotsu_web.selfcheck.models import SavedSelfCheck


def mark_seen(patient: Membership, page: Page) -> None:
    PortalMark.objects.update_or_create(patient=patient, page=page, defaults={"seen_at": timezone.now()})


def _marks(patient: Membership) -> dict[str, dt.datetime]:
    return dict(PortalMark.objects.filter(patient=patient).values_list("page", "seen_at"))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=1)
def _facts_sql() -> str:
    """One row of flags and counts for a patient (parameters: patient id per subquery, today, and the
    times the messages and exercises pages were last seen). Plain SQL: the ORM took longer to build this
    query than the database to answer it."""
    models = (SavedSelfCheck, LeftRightSession, DiaryDay, ProgrammeExercise, SessionLog, Message, Proposal)
    t = {m.__name__: connection.ops.quote_name(m._meta.db_table) for m in models}
    return (
        f"SELECT EXISTS (SELECT 1 FROM {t['SavedSelfCheck']} WHERE patient_id = %(p)s), "
        f"EXISTS (SELECT 1 FROM {t['LeftRightSession']} WHERE patient_id = %(p)s), "
        f"EXISTS (SELECT 1 FROM {t['DiaryDay']} WHERE patient_id = %(p)s AND date = %(today)s), "
        f"(SELECT COUNT(*) FROM {t['ProgrammeExercise']} WHERE patient_id = %(p)s AND active), "
        f"(SELECT COUNT(*) FROM {t['SessionLog']} l JOIN {t['ProgrammeExercise']} e ON e.id = l.entry_id "
        f"WHERE l.patient_id = %(p)s AND l.date = %(today)s AND e.active AND e.patient_id = %(p)s), "
        f"(SELECT COUNT(*) FROM {t['Message']} WHERE patient_id = %(p)s AND origin <> %(patient_origin)s "
        f"AND created_at > %(messages_seen)s), "
        f"(SELECT COUNT(*) FROM {t['Proposal']} WHERE patient_id = %(p)s AND created_at > %(exercises_seen)s)"
    )


def journey_facts(patient: Membership, lang: str, request: HttpRequest | None = None) -> JourneyFacts:
    """The facts in five queries: the marks, one row of counts and flags, the answered questionnaires,
    the clinic's questionnaire texts and the open referral (shared with the page's referral card)."""
    marks = _marks(patient)
    answered = set(
        QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False).values_list(
            "instrument", flat=True
        )
    )
    answerable = {o.instrument.id for o in offers(patient.clinic, lang) if o.readable}
    ops = connection.ops
    params = {
        "p": patient.pk,
        "today": ops.adapt_datefield_value(timezone.localdate()),
        "patient_origin": Origin.PATIENT.value,
        "messages_seen": ops.adapt_datetimefield_value(marks.get(Page.MESSAGES, _EPOCH)),
        "exercises_seen": ops.adapt_datetimefield_value(marks.get(Page.EXERCISES, _EPOCH)),
    }
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(), params)
        self_check, body_map, diary_today, active_n, logged_n, unread_n, proposals_n = cursor.fetchone()
    referral = open_referral_once(request, patient) if request is not None else open_referral(patient)
    return JourneyFacts(
        open_referral=referral is not None,
        self_check_done=bool(self_check),
        questionnaires_open=len(answerable - answered),
        body_map_done=bool(body_map),
        explanation_seen=Page.EXPLANATION in marks,
        plan_seen=Page.PLAN in marks,
        exercises_due_today=max(0, active_n - logged_n),
        diary_done_today=bool(diary_today),
        unread_messages=unread_n,
        new_proposals=proposals_n,
    )


def journey(patient: Membership, lang: str, request: HttpRequest | None = None) -> NextStep:
    return next_step(journey_facts(patient, lang, request))
