"""A new patient signs up with one clinic."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Role

from .conftest import Personas

GOOD = {
    "username": "newpatient",
    "email": "new@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def signup(slug: str) -> str:
    return reverse("accounts:signup", args=[slug])


def test_signup_creates_a_patient_of_this_clinic_and_logs_in(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("clinics:portal", args=["sakura"])
    membership = User.objects.get(username="newpatient").memberships.get()
    assert (membership.clinic, membership.role) == (personas.clinic, Role.PATIENT)
    assert client.get(response["Location"]).status_code == 200


def test_password_is_stored_with_argon2(client: Client, personas: Personas) -> None:
    client.post(signup("sakura"), GOOD)
    assert User.objects.get(username="newpatient").password.startswith("argon2$")


def test_weak_password_is_refused(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), {**GOOD, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(username="newpatient").exists()


def test_taken_username_is_refused(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), {**GOOD, "username": "alice"})
    assert response.status_code == 200
    assert personas.patient.memberships.count() == 1


def test_signup_page_is_translated(client: Client, personas: Personas) -> None:
    page = client.get(signup("sakura"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "さくら整体院でアカウントを作成" in page


def test_logged_in_user_is_sent_home(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_patient)
    response = client.get(signup("sakura"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    assert personas.other_patient.memberships.count() == 1
