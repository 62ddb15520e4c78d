"""The patient's own start page and the post-login home page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .conftest import Personas


def portal(slug: str) -> str:
    return reverse("clinics:portal", args=[slug])


def test_patient_opens_own_portal(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = client.get(portal("sakura"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "aliceさん、ようこそ。" in page


def test_other_clinics_patient_cannot_open_this_clinics_portal(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_patient)
    assert client.get(portal("sakura")).status_code == 403


def test_practitioner_has_no_patient_portal(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    assert client.get(portal("sakura")).status_code == 403


def test_other_clinics_practitioner_cannot_open_the_portal(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_practitioner)
    assert client.get(portal("sakura")).status_code == 403


def test_anonymous_is_sent_to_log_in(client: Client, personas: Personas) -> None:
    response = client.get(portal("sakura"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_home_links_a_patient_to_their_portal_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = client.get(reverse("accounts:home")).content.decode()
    assert portal("sakura") in page
    assert reverse("inquiries:inbox", args=["sakura"]) not in page
    assert "other" not in page.split("<main>")[1]


def test_home_links_a_practitioner_to_inbox_and_patients(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    page = client.get(reverse("accounts:home")).content.decode()
    assert reverse("inquiries:inbox", args=["sakura"]) in page
    assert reverse("desk:patients", args=["sakura"]) in page
    assert reverse("inquiries:inbox", args=["other"]) not in page
