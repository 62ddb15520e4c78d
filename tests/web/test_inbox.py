"""The practitioner's inbox of inquiries, with wrong-user checks."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yotsu_web.inquiries.models import Channel, Inquiry

from .conftest import Personas


def inbox(slug: str) -> str:
    return reverse("inquiries:inbox", args=[slug])


def add_inquiry(personas: Personas, name: str, other: bool = False) -> Inquiry:
    clinic = personas.other_clinic if other else personas.clinic
    return Inquiry.objects.create(clinic=clinic, channel=Channel.WEB, name=name, contact="c", message="m")


def test_practitioner_sees_own_clinics_inquiries_only(client: Client, personas: Personas) -> None:
    add_inquiry(personas, "鈴木 一郎")
    add_inquiry(personas, "Someone Elsewhere", other=True)
    client.force_login(personas.practitioner)
    page = client.get(inbox("sakura")).content.decode()
    assert "鈴木 一郎" in page
    assert "Someone Elsewhere" not in page


def test_clinic_admin_sees_the_inbox(client: Client, personas: Personas) -> None:
    client.force_login(personas.clinic_admin)
    assert client.get(inbox("sakura")).status_code == 200


def test_anonymous_is_sent_to_log_in(client: Client, personas: Personas) -> None:
    response = client.get(inbox("sakura"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_patient_is_forbidden(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert client.get(inbox("sakura")).status_code == 403


def test_other_clinics_practitioner_is_forbidden(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_practitioner)
    assert client.get(inbox("sakura")).status_code == 403


def test_other_clinics_patient_is_forbidden(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_patient)
    assert client.get(inbox("sakura")).status_code == 403
