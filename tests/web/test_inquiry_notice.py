"""The clinic's inquiry notice goes through the queue: the form never waits for or fails on SMTP, and the
notice is sent once however often its task runs (the repo's fake SMTP server records every message)."""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.api import Huey

from yotsu_web.inquiries import notify, receive
from yotsu_web.inquiries.models import Channel, Inquiry, NoticeState
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas
from .smtp_fake import FakeSmtp, fake_smtp_server

FORM = {"name": "山田 太郎", "contact": "taro@example.com", "message": "三か月前から腰が重いです。"}


@pytest.fixture
def queue() -> Iterator[Huey]:
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.storage.flush_all()


@pytest.fixture
def smtp(settings: object) -> Iterator[FakeSmtp]:
    with fake_smtp_server() as fake:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", fake.port  # type: ignore[attr-defined]
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5  # type: ignore[attr-defined]
        yield fake


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _send_form(client: Client, personas: Personas, captured: object, token: str | None = None) -> int:
    url = reverse("inquiries:landing", args=[personas.clinic.slug])
    if token is None:
        match = re.search(r'name="submission" value="([0-9a-f-]{36})"', client.get(url).content.decode())
        assert match, "the form carries a one-time token"
        token = match.group(1)
    with captured(execute=True):  # type: ignore[operator]
        return client.post(url, {**FORM, "submission": token}).status_code


def test_with_smtp_down_the_form_succeeds_and_the_notice_is_sent_once_when_it_is_back(
    client: Client, personas: Personas, queue: Huey, smtp: FakeSmtp, settings: object,
    django_capture_on_commit_callbacks: object,
) -> None:  # fmt: skip
    settings.EMAIL_PORT = _closed_port()  # type: ignore[attr-defined]
    assert _send_form(client, personas, django_capture_on_commit_callbacks) == 302
    inquiry = Inquiry.objects.get()
    assert [(t.name, t.args) for t in queue.pending()] == [("send_inquiry_notice", (inquiry.pk,))]

    assert notify.send(inquiry.pk) == NoticeState.PENDING  # refused: kept for a retry, nothing lost
    inquiry.refresh_from_db()
    assert inquiry.notice_error == "ConnectionRefusedError" and inquiry.notice_attempts == 1
    assert notify.send(inquiry.pk) == "not claimed"  # the retry waits its turn
    later = timezone.now() + dt.timedelta(minutes=2)
    assert notify.sweep(later) == [inquiry.pk]

    settings.EMAIL_PORT = smtp.port  # type: ignore[attr-defined]
    assert notify.send(inquiry.pk, later) == NoticeState.SENT
    for retry in (later, later + dt.timedelta(hours=1)):  # the task run again, a redelivery, a restore
        assert notify.send(inquiry.pk, retry) == "not claimed"
        assert notify.sweep(retry) == []
    key = notify.notice_key(inquiry.pk)
    assert smtp.messages == [("sakura@example.com", f"<inquiry-{key}@yotsu>")]
    assert Inquiry.objects.count() == 1


def test_the_same_form_sent_twice_is_stored_once(
    client: Client, personas: Personas, queue: Huey, django_capture_on_commit_callbacks: object
) -> None:
    url = reverse("inquiries:landing", args=[personas.clinic.slug])
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', client.get(url).content.decode())
    assert token
    for _attempt in range(2):
        assert _send_form(client, personas, django_capture_on_commit_callbacks, token.group(1)) == 302
    assert Inquiry.objects.count() == 1 and queue.pending_count() == 1
    # A fresh page is a fresh token: a second, different inquiry is stored.
    assert _send_form(client, personas, django_capture_on_commit_callbacks) == 302
    assert Inquiry.objects.count() == 2


def test_with_the_queue_down_the_form_succeeds_and_the_sweep_sends_the_notice(
    client: Client, personas: Personas, smtp: FakeSmtp, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:  # fmt: skip
    from yotsu_web.inquiries import tasks

    def unreachable(_pk: int) -> None:
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "send_inquiry_notice", unreachable)
    assert _send_form(client, personas, django_capture_on_commit_callbacks) == 302
    inquiry = Inquiry.objects.get()
    assert notify.sweep() == []  # its task may still be on its way
    later = timezone.now() + notify.lease() + dt.timedelta(seconds=1)
    assert notify.sweep(later) == [inquiry.pk]
    assert notify.send(inquiry.pk, later) == NoticeState.SENT and len(smtp.messages) == 1


def test_a_notice_held_by_a_killed_worker_is_sent_after_its_lease(personas: Personas, smtp: FakeSmtp) -> None:
    inquiry = receive.receive_inquiry(personas.clinic, Channel.WEB, name="a", contact="b", message="c")
    assert notify.claim(inquiry.pk) is not None  # claimed, then the worker was killed before sending
    assert notify.send(inquiry.pk) == "not claimed" and notify.sweep() == []
    later = timezone.now() + notify.lease() + dt.timedelta(seconds=1)
    assert notify.sweep(later) == [inquiry.pk]
    assert notify.send(inquiry.pk, later) == NoticeState.SENT
    assert len(smtp.messages) == 1


def test_after_the_last_attempt_the_notice_is_failed_not_retried_forever(personas: Personas, settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", _closed_port(), False  # type: ignore[attr-defined]
    inquiry = receive.receive_inquiry(personas.clinic, Channel.WEB, name="a", contact="b", message="c")
    when = timezone.now()
    states = []
    for _attempt in range(notify.MAX_ATTEMPTS):
        states.append(notify.send(inquiry.pk, when))
        when += dt.timedelta(hours=2)
    assert states == [NoticeState.PENDING] * (notify.MAX_ATTEMPTS - 1) + [NoticeState.FAILED]
    assert notify.sweep(when) == [] and notify.send(inquiry.pk, when) == "not claimed"


def test_a_twin_stored_at_the_same_moment_gives_back_the_first(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = receive.receive_inquiry(
        personas.clinic, Channel.LINE, name="", contact="U1", message="x", line_event_id="E1"
    )
    real = receive._already_received
    calls: list[int] = []

    def racing(*args: object) -> Inquiry | None:  # the twin checked before the first was committed
        calls.append(1)
        return None if len(calls) == 1 else real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(receive, "_already_received", racing)
    again = receive.receive_inquiry(
        personas.clinic, Channel.LINE, name="", contact="U1", message="x", line_event_id="E1"
    )
    assert again.pk == first.pk and Inquiry.objects.count() == 1 and len(calls) == 2
