"""Password reset by e-mail through Django's own views, in the site's templates, in Japanese and English.
Mail goes through Django's mail backend (pytest-django's in-memory outbox)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Role

from .conftest import Personas, make_user

OLD, NEW = "old-unusual-passphrase", "a-new-unusual-passphrase"


def ask(client: Client, email: str, lang: str = "ja") -> str:
    response = client.post(reverse("password_reset"), {"email": email}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def link_in(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", body)
    assert found, body
    return found.group(1)


@pytest.mark.parametrize(("lang", "words"), [("ja", "パスワードをお忘れですか"), ("en", "Forgot your password?")])
def test_login_page_links_the_reset_and_the_form_is_translated(client: Client, lang: str, words: str) -> None:
    assert reverse("password_reset") in client.get(reverse("accounts:login")).content.decode()
    assert words in client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_reset_by_e_mail_sets_a_new_password_and_the_link_works_once(client: Client, personas: Personas) -> None:
    user = make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    page = ask(client, "carol@example.com")
    assert 'id="reset-sent"' in page and "メール" in page
    (message,) = mail.outbox
    assert message.to == ["carol@example.com"] and "パスワード" in message.subject and "carol" in message.body
    link = link_in(message.body)
    form = client.get(link, follow=True)  # Django swaps the token for a session key
    assert "新しいパスワード" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert 'id="reset-complete"' in client.get(done["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(OLD)
    again = Client().get(link, follow=True).content.decode()
    assert 'id="reset-invalid"' in again


def test_english_mail_for_an_english_reader(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    ask(client, "carol@example.com", lang="en")
    (message,) = mail.outbox
    assert "new password" in message.subject and "Open this link" in message.body


def test_unknown_address_gets_the_same_answer_and_no_mail(client: Client, personas: Personas) -> None:
    assert 'id="reset-sent"' in ask(client, "nobody@example.com")
    assert mail.outbox == []


def test_the_link_resets_only_its_own_account(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    dave = make_user("dave", personas.other_clinic, Role.PATIENT, password=OLD)
    ask(client, "carol@example.com")
    (message,) = mail.outbox
    assert message.to == ["carol@example.com"]
    form = client.get(link_in(message.body), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    dave.refresh_from_db()
    assert dave.check_password(OLD)


def test_a_forged_or_garbled_link_is_refused_plainly(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    for uid, token in [("Mg", "set-password"), ("xx", "abc-def"), ("Mg", "1234-5678")]:
        page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
        assert page.status_code == 200 and 'id="reset-invalid"' in page.content.decode()


def test_weak_new_password_is_refused(client: Client, personas: Personas) -> None:
    user = make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    ask(client, "carol@example.com")
    form = client.get(link_in(mail.outbox[0].body), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(OLD) and User.objects.count() == 6


def test_the_mail_goes_out_over_smtp(client: Client, personas: Personas, settings: object) -> None:
    from .smtp_fake import fake_smtp_server

    make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    with fake_smtp_server() as fake:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", fake.port  # type: ignore[attr-defined]
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5  # type: ignore[attr-defined]
        ask(client, "carol@example.com")
    assert [to for to, _id in fake.messages] == ["carol@example.com"]


def test_a_mail_server_that_is_down_shows_the_usual_page_not_an_error(
    client: Client, personas: Personas, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = int(sock.getsockname()[1])
    make_user("carol", personas.clinic, Role.PATIENT, password=OLD)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed, False  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 5  # type: ignore[attr-defined]
    assert 'id="reset-sent"' in ask(client, "carol@example.com")
    # Django's form logs the failure by user id, never the address
    assert "Failed to send password reset email" in caplog.text and "carol@example.com" not in caplog.text
