"""A patient's records as CSV. The diary uses the pathway's diary CSV format (``load_diary_csv``
reads it back); the other tables are one row per record."""

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


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
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


def everything_zip(patient: Membership) -> bytes:
    """All of the patient's data: the CSV tables and the FHIR bundle."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diary.csv", diary_csv(patient))
        archive.writestr("questionnaires.csv", questionnaires_csv(patient))
        archive.writestr("bodymap_sessions.csv", bodymap_csv(patient))
        archive.writestr("clinic_tests.csv", clinic_tests_csv(patient))
        archive.writestr("notes.csv", notes_csv(patient))
        archive.writestr("questionnaires.fhir.json", bundle_json(patient))
    return buffer.getvalue()
