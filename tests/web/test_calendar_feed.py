"""The practitioner's iCalendar feed: their bookings, at a secret address only, without patients' names."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from yotsu_web.booking.models import Booking, CalendarFeed, VisitType

from .conftest import Personas


def _booking(personas: Personas, hours: int, status: str = Booking.Status.BOOKED) -> Booking:
    visit, _ = VisitType.objects.get_or_create(clinic=personas.clinic, name="初回", minutes=60, first_visit=True)
    at = (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0)
    return Booking.objects.create(clinic=personas.clinic, practitioner=personas.practitioner.memberships.get(),
                                  visit_type=visit, patient=personas.patient_record, starts_at=at,
                                  ends_at=at + dt.timedelta(minutes=60), status=status)  # fmt: skip


def test_feed_lists_the_practitioners_bookings_without_names_and_only_with_its_token(
    client: Client, personas: Personas
) -> None:
    kept = _booking(personas, 24)
    _booking(personas, 48, status=Booking.Status.CANCELLED)
    client.force_login(personas.practitioner)
    page = client.get(reverse("booking:calendar-feed", args=["sakura"])).content.decode()
    feed = CalendarFeed.objects.get(practitioner=personas.practitioner.memberships.get())
    url = reverse("booking:calendar", args=["sakura", feed.practitioner.pk])
    assert f"{url}?t={feed.token}" in page
    client.logout()
    response = client.get(url, {"t": feed.token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"booking-{kept.pk}@yotsu"]
    assert events[0].decoded("dtstart") == kept.starts_at and events[0].decoded("dtend") == kept.ends_at
    assert "初回" in str(events[0]["summary"]) and "alice" not in response.content.decode()
    assert client.get(url).status_code == 404
    assert client.get(url, {"t": feed.token[:-1] + "x"}).status_code == 404
    other = reverse("booking:calendar", args=["other", feed.practitioner.pk])
    assert client.get(other, {"t": feed.token}).status_code == 404


def test_a_new_address_stops_the_old_one_and_patients_have_no_feed(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    client.get(reverse("booking:calendar-feed", args=["sakura"]))
    old = CalendarFeed.objects.get().token
    assert client.post(reverse("booking:calendar-feed", args=["sakura"])).status_code == 302
    new = CalendarFeed.objects.get().token
    assert new != old
    url = reverse("booking:calendar", args=["sakura", personas.practitioner.memberships.get().pk])
    assert client.get(url, {"t": old}).status_code == 404
    assert client.get(url, {"t": new}).status_code == 200
    client.force_login(personas.patient)
    assert client.get(reverse("booking:calendar-feed", args=["sakura"])).status_code in (403, 404)
    patient_feed = CalendarFeed.objects.create(practitioner=personas.patient_record)
    patient_url = reverse("booking:calendar", args=["sakura", personas.patient_record.pk])
    assert client.get(patient_url, {"t": patient_feed.token}).status_code == 404
