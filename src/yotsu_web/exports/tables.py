"""A patient's records as CSV. The diary uses the pathway's diary CSV format (``load_diary_csv``
reads it back); the other tables are one row per record.

Every CSV starts with a UTF-8 byte-order mark, so that Excel in Japanese opens it as UTF-8 (without it
Excel reads Shift_JIS and the Japanese text is garbled); ``load_diary_csv`` accepts it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence

from yotsu.pathway.diary import COLUMNS
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.desk.models import Note
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport
from yotsu_web.exports.fhir import bundle_json
from yotsu_web.messaging.models import Message
from yotsu_web.programme.models import MorningPain, SessionLog
from yotsu_web.referrals.models import RedFlagEvent
from yotsu_web.selfcheck.models import SavedSelfCheck

BOM = "\ufeff"


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def diary_csv(patient: Membership) -> str:
    """Days, sessions and reported red flags, one row each, in the pathway's column order."""
    rows: list[tuple[str, dict[str, object]]] = []
    for d in DiaryDay.objects.filter(patient=patient):
        values = {"pain_nrs": d.pain_nrs, "sleep_quality": d.sleep_quality, "stress": d.stress,
                  "activity_minutes": d.activity_minutes}  # fmt: skip
        rows.append((d.date.isoformat(), values))
    for s in DiarySession.objects.filter(patient=patient):
        values = {
            "session_kind": s.kind,
            "pressure": s.pressure,
            "relief": s.relief,
            "relief_days": s.relief_days,
        }
        rows.append((s.date.isoformat(), values))
    for r in SymptomReport.objects.filter(patient=patient):
        rows.append((r.date.isoformat(), {"red_flags": r.flag}))
    rows.sort(key=lambda row: row[0])
    return _csv(COLUMNS, ([date, *(values.get(c) for c in COLUMNS[1:])] for date, values in rows))


def questionnaires_csv(patient: Membership) -> str:
    rows = (
        (r.instrument, r.started_at.isoformat(), r.completed_at.isoformat() if r.completed_at else None,
         r.total, r.classification, json.dumps(r.scores), json.dumps(r.answers))
        for r in QuestionnaireResponse.objects.filter(patient=patient).order_by("started_at")
    )  # fmt: skip
    return _csv(("instrument", "started", "completed", "total", "classification", "scores", "answers"), rows)


def bodymap_csv(patient: Membership) -> str:
    rows = (
        (s.created_at.isoformat(), s.n_trials, s.accuracy, s.median_rt_ms)
        for s in LeftRightSession.objects.filter(patient=patient)
    )
    return _csv(("time", "trials", "accuracy", "median_rt_ms"), rows)


def clinic_tests_csv(patient: Membership) -> str:
    rows = (
        (t.date.isoformat(), t.tpd_mm, t.repositioning_error_deg) for t in ClinicTest.objects.filter(patient=patient)
    )
    return _csv(("date", "tpd_mm", "repositioning_error_deg"), rows)


def notes_csv(patient: Membership) -> str:
    rows = ((n.created_at.isoformat(), n.text) for n in Note.objects.filter(patient=patient))
    return _csv(("time", "note"), rows)


def messages_csv(patient: Membership) -> str:
    rows = (
        (m.created_at.isoformat(), m.origin, m.channel, m.body,
         m.read_by_clinic_at.isoformat() if m.read_by_clinic_at else None)
        for m in Message.objects.filter(patient=patient)
    )  # fmt: skip
    return _csv(("time", "from", "channel", "message", "read_by_clinic"), rows)


def self_checks_csv(patient: Membership) -> str:
    rows = (
        (c.created_at.isoformat(), c.route, json.dumps(c.raised_flags), json.dumps(c.answers, ensure_ascii=False))
        for c in SavedSelfCheck.objects.filter(patient=patient).order_by("created_at")
    )
    return _csv(("time", "result", "red_flags", "answers"), rows)


def red_flags_csv(patient: Membership) -> str:
    rows = (
        (e.answered_at.isoformat(), e.source, e.route, json.dumps(e.flags), e.where,
         e.cleared_by.doctor if e.cleared_by else None, e.cleared_by.seen_on.isoformat() if e.cleared_by else None,
         e.cleared_by.outcome if e.cleared_by else None)
        for e in RedFlagEvent.objects.filter(patient=patient).select_related("cleared_by").order_by("answered_at")
    )  # fmt: skip
    return _csv(("answered", "source", "urgency", "flags", "where", "doctor", "seen_on", "outcome"), rows)


def exercise_logs_csv(patient: Membership) -> str:
    rows = (
        (log.date.isoformat(), log.entry.exercise_id, log.level, log.status, log.pain_during)
        for log in SessionLog.objects.filter(patient=patient).select_related("entry").order_by("date", "pk")
    )
    return _csv(("date", "exercise", "level", "status", "pain_during"), rows)


def morning_pain_csv(patient: Membership) -> str:
    rows = ((m.date.isoformat(), m.pain_nrs) for m in MorningPain.objects.filter(patient=patient))
    return _csv(("date", "pain_on_waking"), rows)


def everything_zip(patient: Membership) -> bytes:
    """All of the patient's data: the CSV tables and the FHIR bundle."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diary.csv", diary_csv(patient))
        archive.writestr("questionnaires.csv", questionnaires_csv(patient))
        archive.writestr("bodymap_sessions.csv", bodymap_csv(patient))
        archive.writestr("clinic_tests.csv", clinic_tests_csv(patient))
        archive.writestr("notes.csv", notes_csv(patient))
        archive.writestr("messages.csv", messages_csv(patient))
        archive.writestr("self_checks.csv", self_checks_csv(patient))
        archive.writestr("red_flags.csv", red_flags_csv(patient))
        archive.writestr("exercise_logs.csv", exercise_logs_csv(patient))
        archive.writestr("morning_pain.csv", morning_pain_csv(patient))
        archive.writestr("questionnaires.fhir.json", bundle_json(patient))
    return buffer.getvalue()
