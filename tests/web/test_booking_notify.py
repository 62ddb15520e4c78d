"""A patient's booking sends its confirmation at once and its reminder the day before at the clinic's time,
by e-mail and by LINE push, each exactly once, through the real queue and worker (LINE is the local fake)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from huey.api import Huey

from yotsu_web.booking import services
from yotsu_web.booking.models import Availability, Booking, VisitType
from yotsu_web.booking.tasks import booking_reminders
from yotsu_web.messaging.models import Delivery, LineChannel, LineLink
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas
from .line_fake import FakeLine, fake_line_server, running_worker, wait_for

TOKYO = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=TOKYO)  # Monday 08:00; the visit is Tuesday 10:00


@pytest.fixture
def queue() -> Iterator[Huey]:
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.storage.flush_all()


@pytest.fixture
def line(settings: object) -> Iterator[FakeLine]:
    with fake_line_server() as fake:
        settings.YOTSU_LINE_API_HOST = fake.url  # type: ignore[attr-defined]
        yield fake


def _book(personas: Personas) -> Booking:
    practitioner = personas.practitioner.memberships.get()
    visit = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60, first_visit=True)
    Availability.objects.create(practitioner=practitioner, weekday=1, start=dt.time(10), end=dt.time(12))
    record = personas.patient_record
    LineChannel.objects.create(clinic=personas.clinic, access_token="test-access-token")
    LineLink.objects.create(patient=record, clinic=personas.clinic, line_user_id="U-alice")
    return services.book(visit, practitioner, dt.datetime(2026, 3, 3, 10, 0, tzinfo=TOKYO), patient=record)


@pytest.mark.django_db(transaction=True)
def test_confirmation_at_once_and_reminder_the_day_before_each_once(
    personas: Personas, queue: Huey, line: FakeLine
) -> None:
    with time_machine.travel(NOW, tick=True), running_worker(queue):
        booking = _book(personas)
        wait_for(lambda: len(mail.outbox) == 1 and len(line.accepted) == 1)
        assert "2026-03-03 10:00" in mail.outbox[0].body and f"/c/sakura/bookings/{booking.pk}/" in mail.outbox[0].body
        assert f"/c/sakura/bookings/{booking.pk}/intake/?t={booking.intake.token}" in mail.outbox[0].body  # first visit
        assert booking_reminders.call_local() == 0, "Monday 08:00: the visit is not tomorrow yet"
    evening = dt.datetime(2026, 3, 2, 18, 1, tzinfo=TOKYO)  # the clinic's default reminder time is 18:00
    with time_machine.travel(evening, tick=True), running_worker(queue):
        assert booking_reminders.call_local() == 2
        assert booking_reminders.call_local() == 0, "the next minute's run finds them already there"
        wait_for(lambda: len(mail.outbox) == 2 and len(line.accepted) == 2)
    reminder = mail.outbox[1]
    assert "tomorrow" in reminder.body or "明日" in reminder.body
    assert "初回" in reminder.body and "alice" not in reminder.body
    assert [p.body["to"] for p in line.accepted] == ["U-alice", "U-alice"]
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 4


@pytest.mark.django_db(transaction=True)
def test_no_reminder_for_a_cancelled_booking_or_before_the_clinics_time(personas: Personas, queue: Huey) -> None:
    with time_machine.travel(NOW, tick=False):
        booking = _book(personas)
    with time_machine.travel(dt.datetime(2026, 3, 2, 17, 59, tzinfo=TOKYO), tick=False):
        assert booking_reminders.call_local() == 0
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    with time_machine.travel(dt.datetime(2026, 3, 2, 18, 30, tzinfo=TOKYO), tick=False):
        assert booking_reminders.call_local() == 0


def _guest_booking(personas: Personas, email: str) -> Booking:
    practitioner = personas.practitioner.memberships.get()
    visit = VisitType.objects.create(clinic=personas.clinic, name="2回目以降", minutes=40)
    Availability.objects.create(practitioner=practitioner, weekday=1, start=dt.time(10), end=dt.time(12))
    return services.book(visit, practitioner, dt.datetime(2026, 3, 3, 11, 0, tzinfo=TOKYO), guest_name="山田 太郎",
                         guest_phone="090-1111-2222", guest_email=email)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_guest_with_an_email_gets_the_confirmation_reminder_and_changes_each_once(
    personas: Personas, queue: Huey
) -> None:
    with time_machine.travel(NOW, tick=True), running_worker(queue):
        booking = _guest_booking(personas, "taro@example.com")
        wait_for(lambda: len(mail.outbox) == 1)
        confirmation = mail.outbox[0]
        assert confirmation.to == ["taro@example.com"] and "2026-03-03 11:00" in confirmation.body
        assert f"/c/sakura/bookings/{booking.pk}/?t={booking.token}" in confirmation.body, "the guest's own key"
    evening = dt.datetime(2026, 3, 2, 18, 1, tzinfo=TOKYO)
    with time_machine.travel(evening, tick=True), running_worker(queue):
        assert booking_reminders.call_local() == 1
        assert booking_reminders.call_local() == 0
        wait_for(lambda: len(mail.outbox) == 2)
        services.cancel(Booking.objects.get(pk=booking.pk), by_clinic=True)
        wait_for(lambda: len(mail.outbox) == 3)
    assert "明日" in mail.outbox[1].body or "tomorrow" in mail.outbox[1].body
    assert "キャンセル" in mail.outbox[2].subject or "cancelled" in mail.outbox[2].subject
    assert all(m.to == ["taro@example.com"] for m in mail.outbox)
    rows = Delivery.objects.filter(guest_booking=booking)
    assert rows.count() == 3 and all(r.state == Delivery.State.SENT and r.channel == "email" for r in rows)


@pytest.mark.django_db(transaction=True)
def test_a_guest_without_an_email_gets_no_delivery(personas: Personas, queue: Huey) -> None:
    with time_machine.travel(NOW, tick=False):
        _guest_booking(personas, "")
    with time_machine.travel(dt.datetime(2026, 3, 2, 18, 30, tzinfo=TOKYO), tick=False):
        assert booking_reminders.call_local() == 0
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_a_delivery_has_exactly_one_recipient(personas: Personas) -> None:
    import uuid

    from django.db import IntegrityError, transaction

    with time_machine.travel(NOW, tick=False):
        booking = _guest_booking(personas, "taro@example.com")
    for bad in ({}, {"patient": personas.patient_record, "guest_booking": booking},
                {"guest_booking": booking, "channel": "line"}):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Delivery.objects.create(key=uuid.uuid4(), purpose="booking:x", **{"channel": "email", **bad})
