"""The stored diary as the pathway's ``Diary``, and the alerts the pathway raises from it.

All judgement (escalation, red flags, MCID) is the pathway's; this module only converts records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yotsu.i18n import LocalText
from yotsu.pathway.diary import DayEntry, Diary, RedFlagReport, Session, SessionKind
from yotsu.pathway.tracking import (
    EscalationResult,
    OutcomeChange,
    TrackingAlert,
    TrackingAlertKind,
    TrackingReport,
    tracking_report,
)
from yotsu.pathway.triage import TriageResult
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport
from yotsu_web.referrals.service import last_cleared


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


def clinic_sessions(patient: Membership) -> tuple[Session, ...]:
    """Sessions from the clinic's visit records, so the escalation detector sees them too."""
    from yotsu_web.records.models import VisitRecord

    out = []
    for visit in VisitRecord.objects.filter(patient=patient).order_by("visit_date", "pk"):
        done = visit.clinic_session()
        if done is not None:
            kind, pressure, relief = done
            out.append(Session(date=visit.visit_date, kind=kind, pressure=pressure, relief=relief))
    return tuple(out)


def pathway_diary(patient: Membership) -> Diary:
    """The patient's diary in the pathway's terms, with the sessions of the clinic's visit records."""
    days = tuple(
        DayEntry(date=day, pain_nrs=_num(pain), sleep_quality=_num(sleep), stress=_num(stress),
                 activity_minutes=_num(active))
        for day, pain, sleep, stress, active in DiaryDay.objects.filter(patient=patient)
        .order_by("date")
        .values_list("date", "pain_nrs", "sleep_quality", "stress", "activity_minutes")
    )  # fmt: skip
    sessions = tuple(
        Session(date=day, kind=SessionKind(kind), pressure=_num(pressure), relief=_num(relief),
                relief_days=_num(relief_days))
        for day, kind, pressure, relief, relief_days in DiarySession.objects.filter(patient=patient)
        .order_by("date", "pk")
        .values_list("date", "kind", "pressure", "relief", "relief_days")
    )  # fmt: skip
    sessions = tuple(sorted(sessions + clinic_sessions(patient), key=lambda s: s.date))
    reports = SymptomReport.objects.filter(patient=patient)
    cleared = last_cleared(patient)
    if cleared is not None:  # a doctor has seen the patient since: those reports are dealt with
        reports = reports.filter(created_at__gt=cleared)
    flags = tuple(RedFlagReport(date=r.date, flag=r.flag) for r in reports)
    return Diary(days=days, sessions=sessions, red_flags=flags)


@dataclass(frozen=True)
class Alerts:
    """What the patient and the practitioner must see now: the pathway's ``tracking_report``."""

    report: TrackingReport

    @property
    def red_flags(self) -> TriageResult | None:
        return self.report.red_flags

    @property
    def escalation(self) -> EscalationResult:
        return self.report.escalation

    @property
    def pain(self) -> OutcomeChange | None:
        return self.report.pain

    @property
    def last_diary_date(self) -> dt.date | None:
        return self.report.last_entry_date

    @property
    def worsening(self) -> TrackingAlert | None:
        return next((a for a in self.report.alerts if a.kind is TrackingAlertKind.WORSENING), None)

    def message_list(self) -> list[LocalText]:
        out = []
        for alert in self.report.alerts:
            if alert.kind is TrackingAlertKind.RED_FLAG and self.red_flags is not None:
                out += [r.text for r in self.red_flags.reasons]
            else:
                out.append(alert.message)
        return out

    def days_without_diary(self, today: dt.date) -> int | None:
        return None if self.last_diary_date is None else (today - self.last_diary_date).days


def alerts_for(patient: Membership, diary: Diary | None = None) -> Alerts:
    """The pathway's tracking checks on the patient's diary: red flags, escalation, pain vs MCID."""
    diary = diary or pathway_diary(patient)
    saved = patient.self_checks.first()  # the latest saved self-check gives the baseline answers
    cleared = last_cleared(patient)
    baseline = saved.answers if saved is not None and (cleared is None or saved.created_at > cleared) else None
    return Alerts(report=tracking_report(diary, baseline))
