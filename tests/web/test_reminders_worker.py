"""Reminders through the real queue: a Huey worker in a thread against SQLite queue storage (the
default, in the data directory) and against Redis on 127.0.0.1:6379. LINE is the local fake server."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.api import Huey
from huey.storage import RedisStorage, SqliteStorage

from yotsu_web.messaging.deliver import claim
from yotsu_web.messaging.line_api import push_text
from yotsu_web.messaging.models import Delivery, LineChannel, LineLink
from yotsu_web.messaging.tasks import send_delivery, sweep_deliveries
from yotsu_web.reminders.models import ReminderPreference
from yotsu_web.reminders.tasks import HUEY, dispatch_reminders

from .conftest import Personas
from .line_fake import FakeLine, fake_line_server, running_worker, wait_for
from .programme_helpers import make_programme

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["sqlite", "redis"])
def queue(request: pytest.FixtureRequest) -> Iterator[Huey]:
    """The application's queue, on its SQLite file or on a Redis queue of its own for this test."""
    original = HUEY.storage
    if request.param == "redis":
        HUEY.storage = RedisStorage(f"yotsu-test-{uuid.uuid4().hex}", url=REDIS_URL)
    assert isinstance(HUEY.storage, RedisStorage if request.param == "redis" else SqliteStorage)
    HUEY.storage.flush_all()
    try:
        yield HUEY
    finally:
        HUEY.storage.flush_all()
        HUEY.storage = original


@pytest.fixture
def line(settings: object) -> Iterator[FakeLine]:
    with fake_line_server() as fake:
        settings.YOTSU_LINE_API_HOST = fake.url  # type: ignore[attr-defined]
        yield fake


def linked_patient(personas: Personas) -> None:
    record = personas.patient_record
    make_programme(record)
    LineChannel.objects.create(clinic=personas.clinic, access_token="test-access-token")
    LineLink.objects.create(patient=record, clinic=personas.clinic, line_user_id="U-alice")
    ReminderPreference.objects.create(patient=record, time=dt.time(0, 0), by_email=True, by_line=True)


@pytest.mark.django_db(transaction=True)
def test_reminder_goes_out_by_email_and_line_push_once(personas: Personas, queue: Huey, line: FakeLine) -> None:
    linked_patient(personas)
    with running_worker(queue):
        dispatch_reminders()
        wait_for(lambda: len(line.accepted) == 1 and len(mail.outbox) == 1)
        dispatch_reminders()  # the next minute's run finds today's reminder already there
        wait_for(lambda: queue.pending_count() == 0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "/c/sakura/me/exercises/" in mail.outbox[0].body
    (push,) = line.accepted
    assert push.path == "/v2/bot/message/push" and push.body["to"] == "U-alice"
    assert push.headers["Authorization"] == "Bearer test-access-token"
    assert push.headers["X-Line-Retry-Key"] == str(Delivery.objects.get(channel="line").key)


@pytest.mark.django_db(transaction=True)
def test_a_restarted_worker_does_not_send_the_reminder_again(personas: Personas, queue: Huey, line: FakeLine) -> None:
    linked_patient(personas)
    with running_worker(queue):
        dispatch_reminders()
        wait_for(lambda: len(line.accepted) == 1 and len(mail.outbox) == 1)
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 2
    keys = [str(k) for k in Delivery.objects.values_list("key", flat=True)]
    with running_worker(queue):  # a new worker process after a restart: the dispatcher runs again
        dispatch_reminders()
        for key in keys:
            send_delivery(key)  # and even a redelivered task for the same reminder
        wait_for(lambda: queue.pending_count() == 0)
    assert len(mail.outbox) == 1 and len(line.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_push_cut_off_by_a_dying_worker_is_retried_with_the_same_key(
    personas: Personas, queue: Huey, line: FakeLine
) -> None:
    """The worker claimed the push and LINE accepted it, then the worker died before recording it."""
    linked_patient(personas)
    ReminderPreference.objects.update(by_email=False)
    from yotsu_web.reminders.due import dispatch

    dispatch()  # the delivery row exists; its task was lost with the worker
    delivery = Delivery.objects.get()
    earlier = timezone.now() - dt.timedelta(minutes=10)
    assert claim(str(delivery.key), now=earlier) is not None
    push_text("test-access-token", "U-alice", "reminder", delivery.key)  # reached LINE before the crash
    with running_worker(queue):
        sweep_deliveries()
        wait_for(lambda: len(line.requests) == 2)
    assert Delivery.objects.get().state == Delivery.State.SENT
    assert [r.status for r in line.requests] == [200, 409]  # LINE shows the person one message
    assert {r.headers["X-Line-Retry-Key"] for r in line.requests} == {str(delivery.key)}


@pytest.mark.django_db(transaction=True)
def test_no_reminder_when_today_is_already_logged_or_time_not_reached(personas: Personas, queue: Huey) -> None:
    linked_patient(personas)
    ReminderPreference.objects.update(by_line=False, time=dt.time(23, 59, 59))
    from yotsu_web.reminders.due import dispatch

    assert dispatch(now=timezone.make_aware(dt.datetime(2026, 3, 2, 12))) == 0
    entry = personas.patient_record.programme.exercises.first()
    from yotsu_web.programme.models import SessionLog

    SessionLog.objects.create(entry=entry, patient=personas.patient_record, date=dt.date(2026, 3, 2),
                              status="done", pain_during=1, level=1)  # fmt: skip
    late = timezone.make_aware(dt.datetime(2026, 3, 2, 23, 59, 59))
    assert dispatch(now=late) == 0
    assert dispatch(now=late + dt.timedelta(days=1)) == 1


def test_patient_sets_the_reminder_time(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    url = reverse("reminders:settings", args=["sakura"])
    data = {"enabled": "on", "time": "07:30", "by_email": "on"}
    assert client.post(url, data).status_code == 302
    pref = ReminderPreference.objects.get(patient=personas.patient_record)
    assert (pref.time, pref.by_email, pref.by_line) == (dt.time(7, 30), True, False)
