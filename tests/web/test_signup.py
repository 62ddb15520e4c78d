"""A new patient signs up with one clinic."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Role

from .conftest import Personas, make_user

GOOD = {
    "full_name": "山田 花子",
    "furigana": "ヤマダ ハナコ",
    "birth_date": "1980-04-01",
    "phone": "090-1234-5678",
    "email": "new@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
    "consent": "on",
}


def signup(slug: str) -> str:
    return reverse("accounts:signup", args=[slug])


def test_signup_creates_a_patient_of_this_clinic_and_logs_in(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("clinics:portal", args=["sakura"])
    membership = User.objects.get(email="new@example.com").memberships.get()
    assert (membership.clinic, membership.role) == (personas.clinic, Role.PATIENT)
    assert client.get(response["Location"]).status_code == 200


def test_password_is_stored_with_argon2(client: Client, personas: Personas) -> None:
    client.post(signup("sakura"), GOOD)
    assert User.objects.get(email="new@example.com").password.startswith("argon2$")


def test_weak_password_is_refused(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), {**GOOD, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(email__iexact="new@example.com").exists()


def test_sign_up_asks_no_username_and_makes_an_internal_one(client: Client, personas: Personas) -> None:
    page = client.get(signup("sakura")).content.decode()
    assert 'name="username"' not in page
    client.post(signup("sakura"), {**GOOD, "username": "chosen-name"})  # a username sent anyway is ignored
    user = User.objects.get(email="new@example.com")
    assert re.fullmatch(r"p-[a-z2-7]{16}", user.username), user.username
    assert "chosen-name" not in user.username and "yamada" not in user.username.lower()


def test_each_sign_up_gets_its_own_username(client: Client, personas: Personas) -> None:
    client.post(signup("sakura"), GOOD)
    Client().post(signup("sakura"), {**GOOD, "email": "second@example.com"})
    first, second = User.objects.get(email="new@example.com"), User.objects.get(email="second@example.com")
    assert first.username != second.username


def test_a_drawn_username_already_taken_is_drawn_again(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = make_user("p-aaaaaaaaaaaaaaaa", personas.clinic, Role.PATIENT)
    draws = iter(["p-aaaaaaaaaaaaaaaa", "p-bbbbbbbbbbbbbbbb"])
    monkeypatch.setattr("yotsu_web.accounts.forms.new_internal_username", lambda: next(draws))
    assert client.post(signup("sakura"), GOOD).status_code == 302
    assert User.objects.get(email="new@example.com").username == "p-bbbbbbbbbbbbbbbb"
    taken.refresh_from_db()
    assert taken.email == "p-aaaaaaaaaaaaaaaa@example.com"


def test_the_patient_logs_in_by_e_mail_and_never_sees_the_username(client: Client, personas: Personas) -> None:
    client.post(signup("sakura"), GOOD)
    user = User.objects.get(email="new@example.com")
    fresh = Client()
    response = fresh.post(reverse("accounts:login"), {"username": "NEW@example.com", "password": GOOD["password1"]})
    assert response.status_code == 302
    assert "山田 花子" in fresh.get(reverse("clinics:portal", args=["sakura"])).content.decode()
    for name in ("clinics:portal", "accounts:consent", "exports:mine", "booking:start"):
        page = fresh.get(reverse(name, args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert user.username not in page, name
    assert user.username not in fresh.get(reverse("accounts:home")).content.decode()


def test_signup_page_is_translated(client: Client, personas: Personas) -> None:
    page = client.get(signup("sakura"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "さくら整体院でアカウントを作成" in page


def test_logged_in_user_is_sent_home(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_patient)
    response = client.get(signup("sakura"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    assert personas.other_patient.memberships.count() == 1


def test_signup_stores_name_reading_birth_date_and_phone(client: Client, personas: Personas) -> None:
    client.post(signup("sakura"), {**GOOD, "furigana": "やまだ　ﾊﾅｺ", "phone": "０９０-１２３４-５６７８"})
    user = User.objects.get(email="new@example.com")
    assert (user.full_name, user.furigana, user.phone) == ("山田 花子", "ヤマダ ハナコ", "090-1234-5678")
    assert user.birth_date is not None and user.birth_date.isoformat() == "1980-04-01"
    assert user.email == "new@example.com"


@pytest.mark.parametrize("field", ["full_name", "furigana", "birth_date", "phone", "email", "consent"])
def test_each_identity_field_is_required(client: Client, personas: Personas, field: str) -> None:
    response = client.post(signup("sakura"), {**GOOD, field: ""})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not User.objects.filter(email__iexact="new@example.com").exists()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("furigana", "Yamada Hanako", "カタカナ"),
        ("furigana", "山田", "カタカナ"),
        ("birth_date", "2999-01-01", "未来"),
        ("birth_date", "1850-01-01", "120"),
        ("birth_date", "1980-13-45", "日付"),
        ("phone", "call me", "090-1234-5678"),
        ("phone", "12", "090-1234-5678"),
    ],
)
def test_implausible_identity_is_refused_with_a_reason(
    client: Client, personas: Personas, field: str, value: str, says: str
) -> None:
    response = client.post(signup("sakura"), {**GOOD, field: value}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email__iexact="new@example.com").exists()


def test_age_counts_full_years() -> None:
    import datetime as dt

    from yotsu_web.accounts.identity import age_on

    born = dt.date(1976, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 49
    assert age_on(born, dt.date(2026, 3, 1)) == 50
    assert age_on(dt.date(1980, 4, 1), dt.date(2026, 4, 1)) == 46


def test_an_e_mail_address_already_in_use_is_refused(client: Client, personas: Personas) -> None:
    response = client.post(signup("sakura"), {**GOOD, "email": "ALICE@example.com"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200 and "パスワード" in " ".join(response.context["form"].errors["email"])
    assert not User.objects.filter(email__iexact="new@example.com").exists()


def test_an_address_taken_between_the_check_and_the_save_gets_the_form_error(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sign-ups with one address at the same moment: the database's unique index decides, and the second
    is told as clearly as if the form had seen it."""
    monkeypatch.setattr(
        "yotsu_web.accounts.forms.PatientSignupForm.clean_email", lambda self: self.cleaned_data["email"]
    )
    monkeypatch.setattr(User, "validate_constraints", lambda self, exclude=None: None)  # what the form checks
    response = client.post(signup("sakura"), {**GOOD, "email": "Alice@Example.com"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200 and "パスワード" in " ".join(response.context["form"].errors["email"])
    assert (
        personas.patient.memberships.count() == 1
        and User.objects.filter(email__iexact="alice@example.com").count() == 1
    )
