"""The desk's day and week: who is coming, first visit or not, red flags; marking attended / no-show, moving
and cancelling, each with its rules, audited, and the patient told of a move or cancellation once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.audit.models import AuditEvent
from yotsu_web.booking import services
from yotsu_web.booking.models import Availability, BookedCell, Booking, VisitType
from yotsu_web.messaging.models import Delivery
from yotsu_web.referrals.service import record_red_flag

from .conftest import Personas

TOKYO = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=TOKYO)  # Monday 08:00
WED = dt.date(2026, 3, 4)


def at(hour: int, minute: int = 0, day: dt.date = WED) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@pytest.fixture
def day_of_bookings(personas: Personas) -> dict[str, Booking]:
    practitioner = personas.practitioner.memberships.get()
    first = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60, first_visit=True)
    repeat = VisitType.objects.create(clinic=personas.clinic, name="2回目以降", minutes=40)
    for weekday in (2, 3):
        Availability.objects.create(practitioner=practitioner, weekday=weekday, start=dt.time(10), end=dt.time(15))
    user = personas.patient
    user.full_name, user.furigana = "佐藤 花子", "サトウ ハナコ"
    user.save()
    with time_machine.travel(NOW, tick=False):
        patient = services.book(first, practitioner, at(10), patient=personas.patient_record)
        guest = services.book(repeat, practitioner, at(13), guest_name="山田 太郎", guest_phone="090-1111-2222")
    return {"patient": patient, "guest": guest}


def staff_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.practitioner)
    return client


def test_the_day_shows_who_is_coming_first_visits_and_red_flags(personas: Personas, day_of_bookings: dict) -> None:
    client = staff_client(personas)
    url = reverse("booking:schedule", args=["sakura"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(url, {"day": "2026-03-04"}).content.decode()
        assert "佐藤 花子" in page and "サトウ ハナコ" in page and "山田 太郎" in page
        assert page.index("10:00") < page.index("13:00")
        assert "初回" in page and "red flag" not in page and "危険サイン" not in page
        booking = day_of_bookings["patient"]
        assert reverse("intake:desk", args=["sakura", booking.pk]) in page, (
            "the first visit's intake status links to it"
        )
        record_red_flag(personas.patient_record, "diary", "emergency", ["saddle_numbness"])
        page = client.get(url, {"day": "2026-03-04"}).content.decode()
        assert "危険サイン" in page or "red flag" in page
        assert "山田 太郎" not in client.get(url, {"day": "2026-03-05"}).content.decode()
        week = client.get(url, {"day": "2026-03-05", "view": "week"}).content.decode()
        assert "佐藤 花子" in week and "山田 太郎" in week  # Thursday's week starts on Monday 2 March
    assert AuditEvent.objects.filter(subject_type="schedule", actor_id=personas.practitioner.pk).count() == 4


def test_another_clinics_staff_and_patients_see_no_schedule(personas: Personas, day_of_bookings: dict) -> None:
    other = Client()
    other.force_login(personas.other_practitioner)
    assert other.get(reverse("booking:schedule", args=["sakura"])).status_code in (403, 404)
    booking = day_of_bookings["patient"]
    for name in ("booking:desk-move", "booking:desk-cancel"):
        assert other.get(reverse(name, args=["sakura", booking.pk])).status_code in (403, 404)
    patient = Client()
    patient.force_login(personas.patient)
    assert patient.get(reverse("booking:schedule", args=["sakura"])).status_code in (403, 404)
    response = patient.post(reverse("booking:desk-mark", args=["sakura", booking.pk]), {"status": "attended"})
    assert response.status_code in (403, 404)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


def test_attended_from_the_visits_day_and_no_show_only_once_it_began(personas: Personas, day_of_bookings: dict) -> None:
    client = staff_client(personas)
    booking = day_of_bookings["patient"]
    url = reverse("booking:desk-mark", args=["sakura", booking.pk])
    with time_machine.travel(NOW, tick=False):  # Monday: the visit is on Wednesday
        client.post(url, {"status": "attended"})
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED
    with time_machine.travel(at(9, 30), tick=False):
        client = staff_client(personas)  # two days later: the staff's idle timeout ended the first login
        client.post(url, {"status": "no_show"})  # not begun yet
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED
        response = client.post(url, {"status": "attended"}, follow=True)
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ATTENDED
        assert "来院を記録しました" in response.content.decode() or "Marked as attended" in response.content.decode()
        client.post(url, {"status": "no_show"})  # a second click changes nothing
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ATTENDED
        assert client.post(url, {"status": "cancelled"}).status_code == 302  # not a mark: refused, not stored
    guest = day_of_bookings["guest"]
    with time_machine.travel(at(13, 5), tick=False):
        client = staff_client(personas)
        client.post(reverse("booking:desk-mark", args=["sakura", guest.pk]), {"status": "no_show"})
    assert Booking.objects.get(pk=guest.pk).status == Booking.Status.NO_SHOW
    assert AuditEvent.objects.filter(subject_type="booking", action="change").count() == 2


def test_the_clinic_moves_a_booking_to_an_open_time_and_the_patient_is_told(
    personas: Personas, day_of_bookings: dict
) -> None:
    client = staff_client(personas)
    booking = day_of_bookings["patient"]
    url = reverse("booking:desk-move", args=["sakura", booking.pk])
    with time_machine.travel(NOW, tick=False):
        page = client.get(url, {"day": "2026-03-05"}).content.decode()
        assert "10:00" in page
        slot = next(
            s
            for s in services.open_slots(booking.visit_type, dt.date(2026, 3, 5))
            if s.starts_at == at(11, 0, dt.date(2026, 3, 5))
        )
        client.post(url, {"s": slot.key})
        client.post(url, {"s": slot.key})  # a second post: the booking is already there, nothing doubles
        client.post(url, {"s": "garbage"})
        huge = client.post(url, {"s": f"{booking.practitioner_id}-99999999999999999999"})  # no such time
        assert huge.status_code == 302
    moved = Booking.objects.get(pk=booking.pk)
    assert moved.starts_at == at(11, 0, dt.date(2026, 3, 5)) and moved.status == Booking.Status.BOOKED
    assert BookedCell.objects.filter(booking=moved).count() == 12  # 11:00-12:00 in 5-minute cells
    moves = Delivery.objects.filter(purpose__startswith=f"booking:{booking.pk}:moved")
    assert moves.count() == 1, "one message per move, by e-mail (the patient has no LINE)"


def test_a_move_onto_a_taken_time_is_refused_and_nothing_changes(personas: Personas, day_of_bookings: dict) -> None:
    client = staff_client(personas)
    booking, guest = day_of_bookings["patient"], day_of_bookings["guest"]
    key = f"{booking.practitioner_id}-{int(at(13).timestamp())}"  # the guest holds 13:00
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("booking:desk-move", args=["sakura", booking.pk]), {"s": key}, follow=True)
    assert response.status_code == 200
    assert Booking.objects.get(pk=booking.pk).starts_at == at(10)
    assert BookedCell.objects.filter(booking=booking).count() == 12  # 60 minutes in 5-minute cells
    assert BookedCell.objects.filter(booking=guest).count() == 8


def test_the_clinic_cancels_after_confirming_frees_the_time_and_tells_the_patient(
    personas: Personas, day_of_bookings: dict
) -> None:
    client = staff_client(personas)
    booking = day_of_bookings["patient"]
    url = reverse("booking:desk-cancel", args=["sakura", booking.pk])
    with time_machine.travel(NOW, tick=False):
        assert "佐藤 花子" in client.get(url).content.decode()
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED  # GET only asks
        client.post(url)
        client.post(url)  # twice: told once
        assert "10:00" in [
            timezone.localtime(s.starts_at).strftime("%H:%M") for s in services.open_slots(booking.visit_type, WED)
        ]
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert Delivery.objects.filter(purpose__startswith=f"booking:{booking.pk}:cancelled").count() == 1
