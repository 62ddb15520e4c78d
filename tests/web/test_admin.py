"""Django admin: a clinic admin edits only their own clinic's settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.audit.models import AuditEvent

from .conftest import Personas


@pytest.fixture
def admin_client_of_sakura(client: Client, personas: Personas) -> Client:
    personas.clinic_admin.is_staff = True
    personas.clinic_admin.save()
    client.force_login(personas.clinic_admin)
    return client


def change_url(pk: int) -> str:
    return reverse("admin:clinics_clinic_change", args=[pk])


def test_clinic_admin_sees_only_their_clinic(admin_client_of_sakura: Client, personas: Personas) -> None:
    page = admin_client_of_sakura.get(reverse("admin:clinics_clinic_changelist")).content.decode()
    assert "さくら整体院" in page and "Other clinic" not in page


def test_clinic_admin_changes_their_clinics_settings(admin_client_of_sakura: Client, personas: Personas) -> None:
    form = {
        "name": "さくら整体院 本院",
        "slug": "sakura",
        "language": "ja",
        "notification_email": "new@example.com",
        "line_channel_secret": "",
        "booking_cutoff_hours": "24",
        "booking_horizon_days": "30",
        "booking_step_minutes": "30",
        "reminder_time": "18:00",
        "staff_idle_minutes": "30", "patient_idle_minutes": "60",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = admin_client_of_sakura.post(change_url(personas.clinic.pk), form)
    assert response.status_code == 302
    personas.clinic.refresh_from_db()
    assert personas.clinic.notification_email == "new@example.com"


def test_clinic_admin_cannot_open_or_change_another_clinic(admin_client_of_sakura: Client, personas: Personas) -> None:
    response = admin_client_of_sakura.get(change_url(personas.other_clinic.pk))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    admin_client_of_sakura.post(change_url(personas.other_clinic.pk), {"name": "hijacked", "slug": "other"})
    personas.other_clinic.refresh_from_db()
    assert personas.other_clinic.name == "Other clinic"


def test_clinic_admin_cannot_add_clinics(admin_client_of_sakura: Client) -> None:
    assert admin_client_of_sakura.get(reverse("admin:clinics_clinic_add")).status_code == 403


def test_practitioner_with_staff_flag_but_no_admin_role_sees_no_clinic(client: Client, personas: Personas) -> None:
    personas.practitioner.is_staff = True
    personas.practitioner.save()
    client.force_login(personas.practitioner)
    assert client.get(change_url(personas.clinic.pk)).status_code in {302, 403}
    assert "さくら整体院" not in client.get(reverse("admin:index")).content.decode()


def test_audit_trail_is_read_only_and_scoped(admin_client_of_sakura: Client, personas: Personas) -> None:
    ours = AuditEvent.objects.create(
        actor=personas.practitioner,
        clinic=personas.clinic,
        action="view",
        subject_type="membership",
        subject_id=1,
    )
    theirs = AuditEvent.objects.create(
        actor=personas.other_practitioner,
        clinic=personas.other_clinic,
        action="view",
        subject_type="x",
        subject_id=2,
    )
    client = admin_client_of_sakura
    assert client.get(reverse("admin:audit_auditevent_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[ours.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == 2
