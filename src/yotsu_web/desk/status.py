"""A patient's status on the desk, every judgement taken from the pathway."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yotsu.pathway.diary import Diary
from yotsu.pathway.tracking import TrackingError, outcome_change
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.records import Alerts, alerts_for
from yotsu_web.explain.models import CachedExplanation
from yotsu_web.referrals.models import RedFlagEvent
from yotsu_web.referrals.service import last_cleared

NO_DIARY_DAYS = 7


@dataclass(frozen=True)
class PatientStatus:
    patient: Membership
    alerts: Alerts
    red_flag: bool
    escalation: bool
    worsening: bool
    no_diary: bool
    mcid_reached: list[str]  # the measures (diary pain, instrument ids) with an important improvement
    explanation_failed: bool = False  # the queue's worker could not compute the explanation (see its desk page)

    @property
    def needs_attention(self) -> bool:
        return self.red_flag or self.escalation or self.worsening or self.no_diary


def questionnaire_improvements(patient: Membership) -> list[str]:
    """Instruments whose latest total improved on the first by at least the MCID (pathway's rule)."""
    done = QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False).order_by("completed_at")
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for r in done:
        if r.total is not None:
            first.setdefault(r.instrument, r.total)
            last[r.instrument] = r.total
    improved = []
    for instrument_id, baseline in first.items():
        try:
            if outcome_change(instrument_id, baseline, last[instrument_id]).important_improvement:
                improved.append(instrument_id)
        except TrackingError:
            continue  # no published MCID for this instrument
    return improved


def _cleared_after(patient: Membership, moment: dt.datetime) -> bool:
    cleared = last_cleared(patient)
    return cleared is not None and cleared > moment


def patient_status(patient: Membership, today: dt.date, diary: Diary | None = None) -> PatientStatus:
    alerts = alerts_for(patient, diary)
    saved = patient.self_checks.first()
    since = alerts.days_without_diary(today)
    mcid = ["diary pain"] if alerts.pain and alerts.pain.important_improvement else []
    return PatientStatus(
        patient=patient,
        alerts=alerts,
        red_flag=alerts.red_flags is not None
        or (saved is not None and saved.is_referral and not _cleared_after(patient, saved.created_at))
        or RedFlagEvent.objects.filter(patient=patient, cleared_by__isnull=True).exists(),
        escalation=alerts.escalation.alert,
        worsening=alerts.worsening is not None,
        no_diary=since is None or since >= NO_DIARY_DAYS,
        mcid_reached=mcid + questionnaire_improvements(patient),
        explanation_failed=CachedExplanation.objects.filter(patient=patient, failed_at__isnull=False).exists(),
    )
