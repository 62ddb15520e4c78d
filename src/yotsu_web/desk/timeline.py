"""One patient's records as a single dated list, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yotsu.pathway.bodymap import (
    RepositioningError,
    TwoPointDiscrimination,
    precision_from_repositioning,
    precision_from_tpd,
)
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.desk.models import Note
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport
from yotsu_web.plans.models import PlanVersion
from yotsu_web.programme.models import Decision, MorningPain, Proposal, SessionLog
from yotsu_web.referrals.models import Clearance, RedFlagEvent


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: str  # the template picks how to show it
    item: Any
    extra: Any = None


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def clinic_test_precisions(test: ClinicTest) -> list[Any]:
    out = []
    if test.tpd_mm is not None:
        out.append(precision_from_tpd(TwoPointDiscrimination(tpd_mm=test.tpd_mm)))
    if test.repositioning_error_deg is not None:
        out.append(precision_from_repositioning(RepositioningError(error_deg=test.repositioning_error_deg)))
    return out


def timeline(patient: Membership) -> list[Event]:
    events = [Event(d.date, "day", d) for d in DiaryDay.objects.filter(patient=patient)]
    events += [Event(s.date, "session", s) for s in DiarySession.objects.filter(patient=patient)]
    events += [Event(r.date, "symptom", r) for r in SymptomReport.objects.filter(patient=patient)]
    events += [
        Event(_day(q.completed_at), "questionnaire", q)
        for q in QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False)
    ]
    events += [Event(_day(s.created_at), "left_right", s) for s in LeftRightSession.objects.filter(patient=patient)]
    events += [
        Event(t.date, "clinic_test", t, clinic_test_precisions(t)) for t in ClinicTest.objects.filter(patient=patient)
    ]
    events += [Event(_day(n.created_at), "note", n) for n in Note.objects.filter(patient=patient)]
    events += [
        Event(_day(v.created_at), "plan", v, v.change_lines())
        for v in PlanVersion.objects.filter(patient=patient).select_related("changed_by")
    ]
    events += [Event(x.date, "exercise", x) for x in SessionLog.objects.filter(patient=patient).select_related("entry")]
    events += [Event(m.date, "morning", m) for m in MorningPain.objects.filter(patient=patient)]
    events += [
        Event(_day(p.decided_at or p.created_at), "proposal", p)
        for p in Proposal.objects.filter(patient=patient).exclude(decision=Decision.SUPERSEDED).select_related("entry")
    ]
    events += [Event(_day(r.answered_at), "red_flag", r) for r in RedFlagEvent.objects.filter(patient=patient)]
    events += [
        Event(c.seen_on, "clearance", c)
        for c in Clearance.objects.filter(patient=patient).select_related("recorded_by")
    ]
    order = {
        "red_flag": -3,
        "clearance": -4,
        "plan": -1,
        "exercise": 7,
        "morning": 8,
        "proposal": -2,
        "note": 0,
        "clinic_test": 1,
        "questionnaire": 2,
        "left_right": 3,
        "symptom": 4,
        "session": 5,
        "day": 6,
    }
    return sorted(events, key=lambda e: (e.date, -order[e.kind]), reverse=True)
