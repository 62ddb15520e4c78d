"""Exports (FHIR validated by fhir.resources, CSV readable by the pathway) and deletion requests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from yotsu.pathway.diary import load_diary_csv
from yotsu.pathway.instruments import from_questionnaire_response
from yotsu_web.accounts.models import User
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport
from yotsu_web.exports.models import DeletionRequest

from .conftest import Personas


def some_records(personas: Personas) -> None:
    record = personas.patient_record
    today = timezone.localdate()
    DiaryDay.objects.create(patient=record, date=today - dt.timedelta(days=1), pain_nrs=6, sleep_quality=4, stress=7)
    DiarySession.objects.create(patient=record, date=today, kind="massage", pressure=6, relief=5, relief_days=2)
    SymptomReport.objects.create(patient=record, date=today, flag="fever")
    QuestionnaireResponse.objects.create(
        patient=record, instrument="phq4", answers={"q1": 1, "q2": 2, "q3": 0, "q4": 1},
        completed_at=timezone.now(), total=4.0,
    )  # fmt: skip


def test_fhir_bundle_validates_and_reads_back_through_the_pathway(client: Client, personas: Personas) -> None:
    some_records(personas)
    client.force_login(personas.patient)
    response = client.get(reverse("exports:my-fhir", args=["sakura"]))
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate(json.loads(response.content))
    kinds = [e.resource.__resource_type__ for e in bundle.entry]
    assert kinds[0] == "QuestionnaireResponse" and "Observation" in kinds
    qr = bundle.entry[0].resource
    assert from_questionnaire_response(qr.model_dump(mode="json")).total.value == 4.0
    assert qr.subject.reference == f"Patient/yotsu-{personas.patient_record.pk}"


def test_diary_csv_is_read_back_by_the_pathways_loader(client: Client, personas: Personas, tmp_path: Path) -> None:
    some_records(personas)
    client.force_login(personas.patient)
    path = tmp_path / "diary.csv"
    path.write_bytes(client.get(reverse("exports:my-diary", args=["sakura"])).content)
    diary = load_diary_csv(path)
    assert [d.pain_nrs for d in diary.days] == [6.0]
    assert [(s.kind.value, s.pressure, s.relief_days) for s in diary.sessions] == [("massage", 6.0, 2.0)]
    assert [r.flag for r in diary.red_flags] == ["fever"]


def test_everything_zip_holds_every_table_and_the_download_is_audited(client: Client, personas: Personas) -> None:
    some_records(personas)
    client.force_login(personas.patient)
    response = client.get(reverse("exports:my-everything", args=["sakura"]))
    names = set(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert {"diary.csv", "questionnaires.csv", "bodymap_sessions.csv", "questionnaires.fhir.json"} <= names
    assert AuditEvent.objects.filter(action=Action.VIEW, subject_type="membership").count() == 1


def test_staff_export_is_audited_and_scoped(client: Client, personas: Personas) -> None:
    some_records(personas)
    client.force_login(personas.practitioner)
    pk = personas.patient_record.pk
    assert client.get(reverse("exports:patient-fhir", args=["sakura", pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=personas.practitioner, subject_id=pk).exists()
    assert (
        client.get(reverse("exports:patient-fhir", args=["sakura", personas.other_patient_record.pk])).status_code
        == 404
    )


def test_deletion_is_requested_by_the_patient_and_completed_by_staff(client: Client, personas: Personas) -> None:
    some_records(personas)
    client.force_login(personas.patient)
    client.post(reverse("exports:request-deletion", args=["sakura"]))
    client.post(reverse("exports:request-deletion", args=["sakura"]))
    request_ = DeletionRequest.objects.get()
    assert request_.completed_at is None
    assert "削除を依頼しました" in client.get(reverse("exports:mine", args=["sakura"])).content.decode()

    client.force_login(personas.practitioner)
    assert "削除の依頼が1件あります" in client.get(reverse("desk:patients", args=["sakura"])).content.decode()
    client.post(reverse("exports:complete-deletion", args=["sakura", request_.pk]))
    request_.refresh_from_db()
    assert request_.completed_at is not None and request_.completed_by == personas.practitioner
    assert not User.objects.filter(username="alice").exists()
    assert not DiaryDay.objects.exists() and not QuestionnaireResponse.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, subject_id=request_.patient_ref).exists()
    # completed requests cannot be completed again
    assert client.post(reverse("exports:complete-deletion", args=["sakura", request_.pk])).status_code == 404


def test_every_csv_starts_with_a_bom_so_japanese_excel_reads_it_as_utf8(client: Client, personas: Personas) -> None:
    some_records(personas)
    client.force_login(personas.patient)
    diary = client.get(reverse("exports:my-diary", args=["sakura"])).content
    assert diary.startswith(b"\xef\xbb\xbf") and diary.count(b"\xef\xbb\xbf") == 1
    assert diary.decode("utf-8-sig").startswith("date,")
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("exports:my-everything", args=["sakura"])).content))
    for name in archive.namelist():
        if name.endswith(".csv"):
            assert archive.read(name).startswith(b"\xef\xbb\xbf"), name


def test_the_export_holds_messages_self_checks_red_flags_and_exercise_logs(client: Client, personas: Personas) -> None:
    from yotsu_web.messaging.models import Message, Origin
    from yotsu_web.programme.models import MorningPain, SessionLog
    from yotsu_web.referrals.models import RedFlagEvent
    from yotsu_web.selfcheck.models import SavedSelfCheck

    from .programme_helpers import make_programme

    record = personas.patient_record
    today = timezone.localdate()
    Message.objects.create(patient=record, origin=Origin.PATIENT, author=personas.patient, text="腰が少し楽です")
    SavedSelfCheck.objects.create(patient=record, route="in_scope", answers={"age": 40})
    RedFlagEvent.objects.create(patient=record, source="diary", route="emergency", flags=["saddle_numbness"],
                                where="diary", answered_at=timezone.now())  # fmt: skip
    entry = make_programme(record).exercises.first()
    assert entry is not None
    SessionLog.objects.create(entry=entry, patient=record, date=today, status="done", pain_during=2, level=1)
    MorningPain.objects.create(patient=record, date=today, pain_nrs=3)
    client.force_login(personas.patient)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("exports:my-everything", args=["sakura"])).content))

    def table(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    assert [r["message"] for r in table("messages.csv")] == ["腰が少し楽です"]
    assert [r["result"] for r in table("self_checks.csv")] == ["in_scope"]
    assert json.loads(table("red_flags.csv")[0]["flags"]) == ["saddle_numbness"]
    assert [(r["exercise"], r["status"], r["pain_during"]) for r in table("exercise_logs.csv")] == [
        (entry.exercise_id, "done", "2")
    ]
    assert [r["pain_on_waking"] for r in table("morning_pain.csv")] == ["3"]
