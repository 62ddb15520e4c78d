"""The practitioner's patient list and one patient's record (audited), with wrong-user checks."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yotsu_web.audit.models import Action, AuditEvent

from .conftest import Personas


def patients(slug: str) -> str:
    return reverse("desk:patients", args=[slug])


def patient(slug: str, pk: int) -> str:
    return reverse("desk:patient", args=[slug, pk])


def test_practitioner_lists_own_clinics_patients_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    page = client.get(patients("sakura")).content.decode()
    assert ">alice</a>" in page
    assert ">bob</a>" not in page
    assert ">pat</a>" not in page and ">ada</a>" not in page  # staff are not patients


def test_practitioner_opens_a_patient_record_and_the_view_is_audited(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    client.force_login(personas.practitioner)
    response = client.get(patient("sakura", record.pk))
    assert response.status_code == 200
    assert "alice@example.com" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.subject_type, event.subject_id) == (
        personas.practitioner,
        Action.VIEW,
        "membership",
        record.pk,
    )


def test_staff_membership_is_not_a_patient_record(client: Client, personas: Personas) -> None:
    client.force_login(personas.clinic_admin)
    staff_record = personas.practitioner.memberships.get()
    assert client.get(patient("sakura", staff_record.pk)).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client, personas: Personas) -> None:
    assert client.get(patients("sakura")).status_code == 302
    assert client.get(patient("sakura", personas.patient_record.pk)).status_code == 302


def test_patient_cannot_open_the_list_or_a_record(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert client.get(patients("sakura")).status_code == 403
    assert client.get(patient("sakura", personas.patient_record.pk)).status_code == 403
    assert not AuditEvent.objects.exists()


def test_other_clinics_practitioner_is_forbidden_on_this_clinic(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_practitioner)
    assert client.get(patients("sakura")).status_code == 403
    assert client.get(patient("sakura", personas.patient_record.pk)).status_code == 403


def test_other_clinics_practitioner_gets_404_for_this_clinics_patient(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_practitioner)
    assert client.get(patient("other", personas.patient_record.pk)).status_code == 404
    assert client.get(patient("other", personas.other_patient_record.pk)).status_code == 200


def test_other_clinics_patient_is_forbidden(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_patient)
    assert client.get(patients("sakura")).status_code == 403
    assert client.get(patient("other", personas.patient_record.pk)).status_code == 403
