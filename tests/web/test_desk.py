"""The practitioner's desk: status list, timeline, notes, in-clinic tests; all audited."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.bodymap.models import ClinicTest
from yotsu_web.desk.models import Note
from yotsu_web.diary.models import DiaryDay, SymptomReport

from .conftest import Personas
from .test_diary import escalating_sessions


def patients() -> str:
    return reverse("desk:patients", args=["sakura"])


def patient(personas: Personas) -> str:
    return reverse("desk:patient", args=["sakura", personas.patient_record.pk])


def test_status_shows_no_diary_then_escalation_and_red_flag(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    page = client.get(patients()).content.decode()
    assert "7日間日誌なし" in page and "エスカレーション警告" not in page and "レッドフラッグ" not in page
    escalating_sessions(personas, timezone.localdate() - dt.timedelta(days=16))
    page = client.get(patients()).content.decode()
    assert "エスカレーション警告" in page and "7日間日誌なし" not in page
    SymptomReport.objects.create(patient=personas.patient_record, date=timezone.localdate(), flag="fever")
    assert "レッドフラッグ" in client.get(patients()).content.decode()


def test_diary_pain_reaching_the_mcid_is_shown(client: Client, personas: Personas) -> None:
    start = timezone.localdate() - dt.timedelta(days=20)
    for n in range(21):
        pain = 7 if n < 7 else 3
        DiaryDay.objects.create(patient=personas.patient_record, date=start + dt.timedelta(days=n), pain_nrs=pain)
    client.force_login(personas.practitioner)
    assert "臨床的に意味のある改善" in client.get(patients()).content.decode()


def test_questionnaire_improvement_by_the_mcid_is_shown(client: Client, personas: Personas) -> None:
    now = timezone.now()
    for days_ago, total in ((30, 8.0), (1, 4.0)):
        QuestionnaireResponse.objects.create(
            patient=personas.patient_record, instrument="nrs_pain", answers={"q1": int(total)},
            completed_at=now - dt.timedelta(days=days_ago), total=total,
        )  # fmt: skip
    client.force_login(personas.practitioner)
    assert "nrs_pain" in client.get(patients()).content.decode()


def test_timeline_lists_records_and_the_view_is_audited(client: Client, personas: Personas) -> None:
    DiaryDay.objects.create(patient=personas.patient_record, date=timezone.localdate(), pain_nrs=6)
    Note.objects.create(patient=personas.patient_record, author=personas.practitioner, text="前屈で不安が強い")
    client.force_login(personas.practitioner)
    page = client.get(patient(personas)).content.decode()
    assert "前屈で不安が強い" in page and 'class="event day"' in page
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.subject_id) == (
        personas.practitioner,
        Action.VIEW,
        personas.patient_record.pk,
    )


def test_practitioner_adds_a_note_and_records_an_in_clinic_test(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    pk = personas.patient_record.pk
    client.post(reverse("desk:note", args=["sakura", pk]), {"note-text": "ゆっくり前屈を練習"})
    today = timezone.localdate().isoformat()
    client.post(reverse("desk:clinic-test", args=["sakura", pk]),
                {"test-date": today, "test-tpd_mm": 61, "test-repositioning_error_deg": 4.5})  # fmt: skip
    assert Note.objects.get().author == personas.practitioner
    test = ClinicTest.objects.get()
    assert (test.tpd_mm, test.repositioning_error_deg, test.recorded_by) == (61, 4.5, personas.practitioner)
    created = AuditEvent.objects.filter(action=Action.CREATE).values_list("subject_type", flat=True)
    assert sorted(created) == ["clinictest", "note"]
    page = client.get(patient(personas)).content.decode()
    assert "61.0 mm" in page and "精度 0.52" in page  # (44/61)^2 from the pathway's mapping


def test_an_empty_in_clinic_test_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    url = reverse("desk:clinic-test", args=["sakura", personas.patient_record.pk])
    response = client.post(url, {"test-date": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not ClinicTest.objects.exists()


def test_staff_chart_of_a_patient_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    response = client.get(reverse("desk:chart", args=["sakura", personas.patient_record.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert AuditEvent.objects.filter(action=Action.VIEW, subject_id=personas.patient_record.pk).exists()
