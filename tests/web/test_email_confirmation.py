"""Confirming the e-mail address after sign-up, sending the link again (limited), the password reset's
limit, and which e-mails an unconfirmed address receives. Real database; Django's mail outbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Role
from yotsu_web.messaging.models import Delivery

from .conftest import Personas, make_user
from .programme_helpers import make_programme

SIGNUP = {
    "full_name": "山田 花子",
    "furigana": "ヤマダ ハナコ",
    "birth_date": "1980-04-01",
    "phone": "090-1234-5678",
    "email": "hanako@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
    "consent": "on",
}


def sign_up(client: Client, lang: str = "ja", **extra: str) -> User:
    response = client.post(reverse("accounts:signup", args=["sakura"]), SIGNUP, HTTP_ACCEPT_LANGUAGE=lang, **extra)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return User.objects.get(email="hanako@example.com")


def link_in(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def portal(client: Client) -> str:
    return client.get(reverse("clinics:portal", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()


def resend(client: Client, **extra: str) -> str:
    response = client.post(reverse("accounts:send-confirmation", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja", **extra)
    assert response.status_code == 302 and response["Location"] == reverse("clinics:portal", args=["sakura"])
    return portal(client)


def test_sign_up_sends_the_link_and_opening_it_confirms_the_address(client: Client, personas: Personas) -> None:
    user = sign_up(client)
    assert user.email_confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["hanako@example.com"] and "さくら整体院" in message.subject and "確認" in message.subject
    assert user.username not in message.body
    assert 'id="email-unconfirmed"' in portal(client)
    page = Client().get(link_in(message.body), HTTP_ACCEPT_LANGUAGE="ja").content.decode()  # no log-in needed
    assert 'id="email-confirmed"' in page and "hanako@example.com" in page
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert 'id="email-unconfirmed"' not in portal(client)


def test_opening_the_link_again_keeps_the_first_time(client: Client, personas: Personas) -> None:
    sign_up(client)
    link = link_in(mail.outbox[0].body)
    client.get(link)
    first = User.objects.get(email="hanako@example.com").email_confirmed_at
    assert 'id="email-confirmed"' in client.get(link).content.decode()
    assert User.objects.get(email="hanako@example.com").email_confirmed_at == first


def test_the_mail_is_in_english_for_an_english_reader(client: Client, personas: Personas) -> None:
    sign_up(client, lang="en")
    (message,) = mail.outbox
    assert "confirm your e-mail address" in message.subject and "3 days" in message.body


def test_an_expired_link_does_not_confirm(client: Client, personas: Personas) -> None:
    sign_up(client)
    link = link_in(mail.outbox[0].body)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        page = client.get(link, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'id="email-confirm-invalid"' in page
    assert User.objects.get(email="hanako@example.com").email_confirmed_at is None


@pytest.mark.parametrize("tamper", ["x", "-"])
def test_a_forged_or_damaged_link_does_not_confirm(client: Client, personas: Personas, tamper: str) -> None:
    sign_up(client)
    link = link_in(mail.outbox[0].body)
    broken = link[:-3] + tamper + link[-2:]
    assert 'id="email-confirm-invalid"' in client.get(broken).content.decode()
    assert client.get(reverse("email_confirm", args=["not-a-token"])).status_code == 200
    assert User.objects.get(email="hanako@example.com").email_confirmed_at is None


def test_a_link_for_an_old_address_does_not_confirm_the_new_one(client: Client, personas: Personas) -> None:
    user = sign_up(client)
    link = link_in(mail.outbox[0].body)
    user.email = "new-address@example.com"
    user.save()
    assert 'id="email-confirm-invalid"' in client.get(link).content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_changing_a_confirmed_address_makes_it_unconfirmed(personas: Personas) -> None:
    user = User.objects.get(pk=personas.patient.pk)
    assert user.email_confirmed_at is not None  # make_user's accounts have a confirmed address
    user.full_name = "名前"
    user.save()
    assert User.objects.get(pk=user.pk).email_confirmed_at is not None
    user.email = "ALICE@example.com"  # the same address in other letters stays confirmed
    user.save()
    assert User.objects.get(pk=user.pk).email_confirmed_at is not None
    user.email = "alice-new@example.com"
    user.save(update_fields=["email"])
    assert User.objects.get(pk=user.pk).email_confirmed_at is None


def test_send_again_sends_a_working_link_and_is_limited_per_address(client: Client, personas: Personas) -> None:
    sign_up(client)  # the first link counts: four more in the hour
    for _ in range(4):
        assert "hanako@example.com" in resend(client)
    assert len(mail.outbox) == 5
    page = resend(client)
    assert "1時間" in page and len(mail.outbox) == 5
    client.get(link_in(mail.outbox[-1].body))
    assert User.objects.get(email="hanako@example.com").email_confirmed_at is not None
    assert "確認済み" in resend(client) and len(mail.outbox) == 5


def test_send_again_is_limited_per_client_address(personas: Personas) -> None:
    """Five sign-ups from one address, then a sixth account's resend from there is refused."""
    ip = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(5):
        Client().post(reverse("accounts:signup", args=["sakura"]), {**SIGNUP, "email": f"p{n}@example.com"}, **ip)
    assert len(mail.outbox) == 5
    client = Client()
    client.force_login(make_unconfirmed(personas, "late"))
    resend(client, **ip)
    assert len(mail.outbox) == 5
    resend(client, REMOTE_ADDR="198.51.100.1")  # elsewhere the same account may
    assert mail.outbox[-1].to == ["late@example.com"]


def make_unconfirmed(personas: Personas, name: str) -> User:
    user = make_user(name, personas.clinic, Role.PATIENT)
    User.objects.filter(pk=user.pk).update(email_confirmed_at=None)
    return User.objects.get(pk=user.pk)


def test_send_again_only_by_post_and_only_for_ones_own_account(client: Client, personas: Personas) -> None:
    late = make_unconfirmed(personas, "late")
    client.force_login(late)
    assert client.get(reverse("accounts:send-confirmation", args=["sakura"])).status_code == 405
    assert client.post(reverse("accounts:send-confirmation", args=["other"])).status_code == 403
    resend(client)
    assert [m.to for m in mail.outbox] == [["late@example.com"]]


# The password reset's limit


def ask_reset(client: Client, email: str, **extra: str) -> int:
    return client.post(reverse("password_reset"), {"email": email}, HTTP_ACCEPT_LANGUAGE="ja", **extra).status_code


def test_password_reset_is_limited_per_address_with_a_clear_message(client: Client, personas: Personas) -> None:
    make_user("carol", personas.clinic, Role.PATIENT, password="old-unusual-passphrase")
    for n in range(5):
        assert ask_reset(Client(), "carol@example.com", REMOTE_ADDR=f"198.51.100.{n}") == 302
    assert len(mail.outbox) == 5
    response = client.post(reverse("password_reset"), {"email": "CAROL@example.com"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 429 and "1時間" in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_is_limited_per_client_whatever_the_address(client: Client, personas: Personas) -> None:
    for n in range(5):
        assert ask_reset(client, f"someone{n}@example.com") == 302
    assert ask_reset(client, "alice@example.com") == 429
    assert mail.outbox == []


def test_the_limit_says_nothing_about_whether_an_account_exists(personas: Personas) -> None:
    """An address with an account and one without: the same answers, in the same order."""
    make_user("carol", personas.clinic, Role.PATIENT, password="old-unusual-passphrase")
    answers = {}
    for email in ("carol@example.com", "nobody@example.com"):
        answers[email] = [ask_reset(Client(), email, REMOTE_ADDR=f"192.0.2.{n}") for n in range(6)]
    assert answers["carol@example.com"] == answers["nobody@example.com"] == [302] * 5 + [429]
    assert [m.to for m in mail.outbox] == [["carol@example.com"]] * 5


# Which e-mails an unconfirmed address receives


def booking_for(personas: Personas, start: dt.datetime) -> object:
    from yotsu_web.booking.models import Booking, VisitType

    visit = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60)
    return Booking.objects.create(
        clinic=personas.clinic, practitioner=personas.practitioner.memberships.get(), visit_type=visit,
        patient=personas.patient_record, starts_at=start, ends_at=start + dt.timedelta(hours=1),
    )  # fmt: skip


@pytest.mark.parametrize("confirmed", [True, False])
def test_booking_messages_go_to_the_address_but_the_reminder_only_when_confirmed(
    personas: Personas, confirmed: bool
) -> None:
    from yotsu_web.booking import notify

    if not confirmed:
        User.objects.filter(pk=personas.patient.pk).update(email_confirmed_at=None)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    booking = booking_for(personas, tomorrow.replace(hour=10, minute=0, second=0, microsecond=0))
    notify.booking_made(booking)  # type: ignore[arg-type]
    notify.booking_changed(booking, "cancelled")  # type: ignore[arg-type]
    late = timezone.localtime().replace(hour=23, minute=59)
    notify.due_reminders(late)
    purposes = set(Delivery.objects.filter(channel="email").values_list("purpose", flat=True))
    made, cancelled, remind = (f"booking:{booking.pk}:{w}:email" for w in ("made", "cancelled", "remind"))  # type: ignore[attr-defined]
    assert purposes == ({made, cancelled, remind} if confirmed else {made, cancelled})


@pytest.mark.parametrize("confirmed", [True, False])
def test_exercise_reminders_by_e_mail_only_to_a_confirmed_address(personas: Personas, confirmed: bool) -> None:
    from yotsu_web.reminders.due import dispatch
    from yotsu_web.reminders.models import ReminderPreference

    record = personas.patient_record
    if not confirmed:
        User.objects.filter(pk=personas.patient.pk).update(email_confirmed_at=None)
    make_programme(record)
    ReminderPreference.objects.create(patient=record, time=dt.time(0, 0), by_email=True, by_line=False)
    assert dispatch() == (1 if confirmed else 0)
    assert Delivery.objects.filter(patient=record, channel="email").exists() is confirmed


def test_the_password_reset_mail_names_the_e_mail_not_the_internal_username(client: Client, personas: Personas) -> None:
    user = sign_up(client)
    mail.outbox.clear()
    assert ask_reset(Client(), "hanako@example.com") == 302
    (message,) = mail.outbox
    assert user.username not in message.body
    assert "ログインにはメールアドレスを使います: hanako@example.com" in message.body


def test_an_account_from_before_confirmation_existed_keeps_its_reminders_and_is_not_asked(
    client: Client, personas: Personas
) -> None:
    """Accounts that existed when e-mail confirmation came (the migration marks them) are still reminded at
    their address and see no banner; a new, unconfirmed account is not reminded and sees it."""
    from yotsu_web.booking import notify

    User.objects.filter(pk=personas.patient.pk).update(email_confirmed_at=None, email_confirmation_required=False)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    booking = booking_for(personas, tomorrow.replace(hour=10, minute=0, second=0, microsecond=0))
    notify.due_reminders(timezone.localtime().replace(hour=23, minute=59))
    assert Delivery.objects.filter(purpose=f"booking:{booking.pk}:remind:email").exists()  # type: ignore[attr-defined]
    client.force_login(personas.patient)
    assert 'id="email-unconfirmed"' not in client.get(reverse("clinics:portal", args=["sakura"])).content.decode()
    User.objects.filter(pk=personas.patient.pk).update(email_confirmation_required=True)
    assert 'id="email-unconfirmed"' in client.get(reverse("clinics:portal", args=["sakura"])).content.decode()


def test_the_limit_is_counted_across_processes() -> None:
    """Every gunicorn worker sees the same counts: the cache is the data directory's (or Redis), not the
    process's memory. Another Python process counts three; this one counts the fourth."""
    import subprocess
    import sys

    from django.core.cache import caches

    from yotsu_web.accounts.throttle import _count, _key

    key = _key("reset", "email", "shared@example.com")
    caches["shared"].delete(key)
    code = (
        "import django; django.setup()\n"
        "from yotsu_web.accounts.throttle import _count\n"
        f"print([_count({key!r}) for _ in range(3)])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[1, 2, 3]"
    assert _count(key) == 4
