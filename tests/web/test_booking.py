"""Booking on the web: open slots from availability, breaks and time off; the three taps for a guest and
a patient; the guest's link only with its token; cancelling until the clinic's cut-off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.booking import services
from yotsu_web.booking.models import Availability, BookedCell, Booking, TimeOff, VisitType
from yotsu_web.clinics.models import Membership

from .conftest import Personas

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # a Monday, 08:00 in Tokyo
DAY = dt.date(2026, 3, 4)  # Wednesday


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@pytest.fixture
def clinic_set_up(personas: Personas) -> tuple[VisitType, VisitType, Membership]:
    practitioner = personas.practitioner.memberships.get()
    first = VisitType.objects.create(
        clinic=personas.clinic,
        name="初回",
        name_en="First visit",
        minutes=60,
        price_yen=6600,
        first_visit=True,
        order=1,
    )
    repeat = VisitType.objects.create(clinic=personas.clinic, name="2回目以降", minutes=40, price_yen=4400, order=2)
    # Wednesday 10-12 and 13-15: the lunch break is the gap
    Availability.objects.create(practitioner=practitioner, weekday=2, start=dt.time(10), end=dt.time(12))
    Availability.objects.create(practitioner=practitioner, weekday=2, start=dt.time(13), end=dt.time(15))
    return first, repeat, practitioner


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def starts(slots: list[services.Slot]) -> list[str]:
    return [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots]


def test_slots_follow_availability_breaks_bookings_and_time_off(personas: Personas, clinic_set_up: tuple) -> None:
    first, repeat, practitioner = clinic_set_up
    assert starts(services.open_slots(first, DAY)) == ["10:00", "10:30", "11:00", "13:00", "13:30", "14:00"]
    services.book(repeat, practitioner, at(10, 30), guest_name="山田", guest_phone="090-1111-2222")
    assert starts(services.open_slots(first, DAY)) == ["13:00", "13:30", "14:00"]  # 10:30-11:10 is taken
    TimeOff.objects.create(clinic=personas.clinic, starts_at=at(14), ends_at=at(15), reason="研修")
    assert starts(services.open_slots(first, DAY)) == ["13:00"]
    assert services.open_slots(first, DAY + dt.timedelta(days=1)) == []  # no Thursday availability
    assert services.open_slots(first, dt.date(2026, 3, 1)) == []  # the past


def test_repeat_slots_step_by_the_clinics_interval(personas: Personas, clinic_set_up: tuple) -> None:
    _first, repeat, practitioner = clinic_set_up
    services.book(repeat, practitioner, at(10, 30), guest_name="山田", guest_phone="090-1111-2222")
    assert starts(services.open_slots(repeat, DAY)) == ["13:00", "13:30", "14:00"]  # 10:00 would run into 10:30
    assert BookedCell.objects.count() == 8


def test_a_time_outside_availability_cannot_be_booked(personas: Personas, clinic_set_up: tuple) -> None:
    first, _repeat, practitioner = clinic_set_up
    for bad in (at(11, 30), at(12), at(9), at(10, 2)):  # runs into the break, in it, before, not on a cell
        with pytest.raises(services.NotBookable):
            services.book(first, practitioner, bad, guest_name="x", guest_phone="090-0000-0000")
    assert Booking.objects.count() == 0


def test_a_guest_books_in_three_taps_and_the_link_needs_its_token(
    client: Client, personas: Personas, clinic_set_up: tuple
) -> None:
    first, _repeat, _practitioner = clinic_set_up
    page = client.get(reverse("booking:start", args=["sakura"])).content.decode()
    slots_url = reverse("booking:slots", args=["sakura", first.pk])
    assert slots_url in page and "初回" in page and "6600円" in page  # tap 1
    page = client.get(slots_url, {"day": "2026-03-04"}).content.decode()
    key = services.open_slots(first, DAY)[0].key
    confirm = reverse("booking:confirm", args=["sakura", first.pk]) + f"?s={key}"
    assert confirm in page  # tap 2
    bad = client.post(confirm, {"guest_name": "", "guest_phone": "abc", "guest_email": "x"})
    assert bad.status_code == 200 and Booking.objects.count() == 0  # errors named, nothing stored
    done = client.post(
        confirm, {"guest_name": "山田 太郎", "guest_phone": "090-1234-5678", "guest_email": "taro@example.com"}
    )  # tap 3
    booking = Booking.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"?t={booking.token}")
    assert (booking.guest_name, booking.patient, timezone.localtime(booking.starts_at)) == ("山田 太郎", None, at(10))
    assert "山田 太郎" in client.get(done["Location"]).content.decode()
    url = reverse("booking:booking", args=["sakura", booking.pk])
    assert client.get(url + "?t=wrong").status_code == 404
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(personas.patient)
    assert client.get(url).status_code == 404  # a patient never sees someone else's booking


def test_a_patient_books_without_typing_and_sees_only_their_own(
    client: Client, personas: Personas, clinic_set_up: tuple
) -> None:
    first, _repeat, practitioner = clinic_set_up
    client.force_login(personas.patient)
    key = services.open_slots(first, DAY)[1].key
    done = client.post(reverse("booking:confirm", args=["sakura", first.pk]) + f"?s={key}")
    booking = Booking.objects.get()
    assert booking.patient == personas.patient_record and done["Location"] == reverse(
        "booking:booking", args=["sakura", booking.pk]
    )
    assert client.get(done["Location"]).status_code == 200
    other = Membership.objects.create(user=personas.other_patient, clinic=personas.clinic, role="patient")
    theirs = services.book(first, practitioner, at(13), patient=other)
    assert client.get(reverse("booking:booking", args=["sakura", theirs.pk])).status_code == 404


def test_a_taken_slot_sends_the_second_person_back_to_choose(
    client: Client, personas: Personas, clinic_set_up: tuple
) -> None:
    first, _repeat, practitioner = clinic_set_up
    key = services.open_slots(first, DAY)[0].key
    services.book(first, practitioner, at(10), guest_name="先客", guest_phone="090-0000-0000")
    response = client.post(
        reverse("booking:confirm", args=["sakura", first.pk]) + f"?s={key}",
        {"guest_name": "二人目", "guest_phone": "090-1234-5678", "guest_email": "b@example.com"},
    )
    assert response["Location"] == reverse("booking:slots", args=["sakura", first.pk])
    assert Booking.objects.count() == 1


def test_cancel_until_the_cut_off_frees_the_time(
    client: Client, personas: Personas, clinic_set_up: tuple, frozen: time_machine.Traveller
) -> None:
    first, _repeat, practitioner = clinic_set_up
    booking = services.book(first, practitioner, at(10), guest_name="山田", guest_phone="090-0000-0000")
    url = reverse("booking:cancel", args=["sakura", booking.pk])
    assert client.post(url, {"t": "wrong"}).status_code == 404
    frozen.move_to(at(9, 59) - dt.timedelta(hours=24))
    assert client.post(url, {"t": booking.token}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and BookedCell.objects.count() == 0
    assert "10:00" in starts(services.open_slots(first, DAY))
    again = services.book(first, practitioner, at(10), guest_name="次", guest_phone="090-0000-0000")
    frozen.move_to(at(10, 1) - dt.timedelta(hours=24))  # past the 24-hour cut-off
    client.post(url.replace(str(booking.pk), str(again.pk)), {"t": again.token})
    again.refresh_from_db()
    assert again.status == Booking.Status.BOOKED


def test_bad_slot_keys_and_days_never_fail(client: Client, personas: Personas, clinic_set_up: tuple) -> None:
    first, _repeat, _practitioner = clinic_set_up
    confirm = reverse("booking:confirm", args=["sakura", first.pk])
    for key in ("", "x-y", "999-1", f"{first.pk}-99999999999999"):
        assert client.get(confirm, {"s": key}).status_code in {302, 200}
    assert client.get(reverse("booking:slots", args=["sakura", first.pk]), {"day": "2026-99-99"}).status_code == 200


def test_a_guest_changes_the_time_until_the_cut_off_with_the_bookings_key(
    client: Client, personas: Personas, clinic_set_up: tuple, frozen: time_machine.Traveller
) -> None:
    first, _repeat, practitioner = clinic_set_up
    booking = services.book(first, practitioner, at(10), guest_name="山田", guest_phone="090-0000-0000")
    url = reverse("booking:change", args=["sakura", booking.pk])
    assert client.get(url, {"t": "wrong"}).status_code == 404
    page = client.get(url, {"t": booking.token, "day": "2026-03-04"}).content.decode()
    assert "13:00" in page and "10:00" in page  # the booking's own time is shown as "now"
    later = next(s for s in services.open_slots(first, DAY) if s.starts_at == at(13))
    assert client.post(url, {"t": "wrong", "s": later.key}).status_code == 404
    done = client.post(url, {"t": booking.token, "s": later.key})
    assert done.status_code == 302 and done["Location"].endswith(f"?t={booking.token}")
    booking.refresh_from_db()
    assert booking.starts_at == at(13) and booking.status == Booking.Status.BOOKED
    assert "10:00" in starts(services.open_slots(first, DAY)) and "13:00" not in starts(services.open_slots(first, DAY))
    assert client.post(url, {"t": booking.token, "s": "1-garbage"}).status_code == 302  # refused, nothing changed
    booking.refresh_from_db()
    assert booking.starts_at == at(13)
    frozen.move_to(at(13, 1) - dt.timedelta(hours=24))  # past the cut-off
    ten = services.open_slots(first, DAY)[0]
    client.post(url, {"t": booking.token, "s": ten.key})
    booking.refresh_from_db()
    assert booking.starts_at == at(13)


def test_a_patient_changes_their_own_booking_only(client: Client, personas: Personas, clinic_set_up: tuple) -> None:
    first, _repeat, practitioner = clinic_set_up
    mine = services.book(first, practitioner, at(10), patient=personas.patient_record)
    other = Membership.objects.create(user=personas.other_patient, clinic=personas.clinic, role="patient")
    theirs = services.book(first, practitioner, at(13), patient=other)
    client.force_login(personas.patient)
    slot = next(s for s in services.open_slots(first, DAY) if s.starts_at == at(11))
    assert client.get(reverse("booking:change", args=["sakura", theirs.pk])).status_code == 404
    assert client.post(reverse("booking:change", args=["sakura", theirs.pk]), {"s": slot.key}).status_code == 404
    assert client.post(reverse("booking:change", args=["sakura", mine.pk]), {"s": slot.key}).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.starts_at == at(11) and theirs.starts_at == at(13)
