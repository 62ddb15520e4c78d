"""Logging in and out, and django-axes throttling."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.clinics.models import Role

from .conftest import Personas, make_user

PASSWORD = "correct-horse-battery"


def login(client: Client, username: str, password: str) -> int:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}).status_code


def test_correct_password_logs_in_and_lands_home(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_wrong_password_shows_the_form_again(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=PASSWORD)
    assert login(client, "carol", "wrong") == 200
    assert client.get(reverse("accounts:home")).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=PASSWORD)
    for _ in range(5):
        login(client, "carol", "wrong")
    response = client.post(reverse("accounts:login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get(reverse("accounts:home")).status_code == 302


def test_logout_is_post_only_and_ends_the_session(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_login_by_e_mail_address_in_any_case(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": " Carol@Example.com ", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_login_page_asks_for_the_e_mail_address(client: Client) -> None:
    assert "メールアドレス" in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()


def test_failures_by_e_mail_and_by_user_name_count_together(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=PASSWORD)
    for entered in ("carol", "carol@example.com", "carol", "CAROL@example.com", "carol"):
        login(client, entered, "wrong")
    assert login(client, "carol@example.com", PASSWORD) == 429
    assert login(client, "carol", PASSWORD) == 429


def test_the_database_refuses_two_accounts_with_one_e_mail_address(personas: Personas) -> None:
    """Log-in by e-mail is never ambiguous: a unique index on the lower-cased address (empty ones apart)."""
    from django.db import IntegrityError, transaction

    from yotsu_web.accounts.models import User

    carol = make_user("carol", personas.clinic, Role.PATIENT)
    for address in (carol.email, carol.email.upper()):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=personas.patient.pk).update(email=address)
    User.objects.filter(pk__in=[carol.pk, personas.patient.pk]).update(email="")  # no address: any number
    assert User.objects.filter(email="").count() == 2


def test_the_admin_says_when_an_address_is_taken(admin_client: Client, personas: Personas) -> None:

    url = reverse("admin:accounts_user_change", args=[personas.patient.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data |= {"email": "BOB@example.com", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Another account already uses this e-mail address." in response.content.decode()
