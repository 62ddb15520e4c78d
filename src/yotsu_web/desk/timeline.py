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


ORDER = {
    "clearance": -4,
    "red_flag": -3,
    "proposal": -2,
    "plan": -1,
    "note": 0,
    "clinic_test": 1,
    "questionnaire": 2,
    "left_right": 3,
    "symptom": 4,
    "session": 5,
    "day": 6,
    "exercise": 7,
    "morning": 8,
}


def timeline(patient: Membership, newest: int | None = None) -> list[Event]:
    """The patient's records, newest first; with ``newest``, only the newest that many (each kind is
    read newest first and at most ``newest`` rows, so a page costs the same after a year as after a week)."""

    def head(rows: Any, *order: str) -> Any:
        rows = rows.order_by(*order)
        return rows if newest is None else rows[:newest]

    events = [Event(d.date, "day", d) for d in head(DiaryDay.objects.filter(patient=patient), "-date")]
    events += [Event(s.date, "session", s) for s in head(DiarySession.objects.filter(patient=patient), "-date")]
    events += [Event(r.date, "symptom", r) for r in head(SymptomReport.objects.filter(patient=patient), "-date")]
    events += [
        Event(_day(q.completed_at), "questionnaire", q)
        for q in head(
            QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False), "-completed_at"
        )
    ]
    events += [
        Event(_day(s.created_at), "left_right", s)
        for s in head(LeftRightSession.objects.filter(patient=patient).defer("trials"), "-created_at")
    ]
    events += [
        Event(t.date, "clinic_test", t, clinic_test_precisions(t))
        for t in head(ClinicTest.objects.filter(patient=patient), "-date")
    ]
    events += [
        Event(_day(n.created_at), "note", n)
        for n in head(Note.objects.filter(patient=patient).select_related("author"), "-created_at")
    ]
    events += [
        Event(_day(v.created_at), "plan", v, v.change_lines())
        for v in head(PlanVersion.objects.filter(patient=patient).select_related("changed_by"), "-created_at")
    ]
    events += [
        Event(x.date, "exercise", x)
        for x in head(SessionLog.objects.filter(patient=patient).select_related("entry"), "-date")
    ]
    events += [Event(m.date, "morning", m) for m in head(MorningPain.objects.filter(patient=patient), "-date")]
    events += [
        Event(_day(p.decided_at or p.created_at), "proposal", p)
        for p in head(
            Proposal.objects.filter(patient=patient).exclude(decision=Decision.SUPERSEDED).select_related("entry"),
            "-created_at",
        )
    ]
    events += [
        Event(_day(r.answered_at), "red_flag", r)
        for r in head(RedFlagEvent.objects.filter(patient=patient), "-answered_at")
    ]
    events += [
        Event(c.seen_on, "clearance", c)
        for c in head(Clearance.objects.filter(patient=patient).select_related("recorded_by"), "-seen_on")
    ]
    ordered = sorted(events, key=lambda e: (e.date, -ORDER[e.kind]), reverse=True)
    return ordered if newest is None else ordered[:newest]


def timeline_page(patient: Membership, page: int, per_page: int = 40) -> tuple[list[Event], bool]:
    """Page ``page`` (1 = newest) of the timeline and whether an older page exists."""
    events = timeline(patient, newest=page * per_page + 1)
    return events[(page - 1) * per_page : page * per_page], len(events) > page * per_page
