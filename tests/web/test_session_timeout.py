"""Logins to health data end when the browser closes; staff are logged out after their clinic's idle time."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import Personas

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def desk(personas: Personas) -> str:
    return reverse("desk:patients", args=[personas.clinic.slug])


def test_staff_are_logged_out_after_30_idle_minutes_by_default(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(personas.practitioner)
        assert client.get(desk(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=29))
        assert client.get(desk(personas)).status_code == 200  # active: the idle time starts again
        clock.move_to(T0 + dt.timedelta(minutes=29 + 31))
        response = client.get(desk(personas), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        assert "next=" in response["Location"]
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "logged out after 30 minutes without activity" in page
        assert client.get(desk(personas)).status_code == 302  # the login is gone, not just this request


def test_the_clinic_sets_the_idle_time(client: Client, personas: Personas) -> None:
    personas.clinic.staff_idle_minutes = 90
    personas.clinic.save()
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(personas.practitioner)
        assert client.get(desk(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=80))
        assert client.get(desk(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=80 + 91))
        assert client.get(desk(personas)).status_code == 302


def test_a_patients_login_has_no_idle_limit_and_ends_with_the_browser(client: Client, personas: Personas) -> None:
    portal = reverse("clinics:portal", args=[personas.clinic.slug])
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(personas.patient)
        first = client.get(portal)
        assert first.status_code == 200
        cookie = first.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie.value and cookie["expires"] == "" and cookie["max-age"] == ""  # ends with the browser
        clock.move_to(T0 + dt.timedelta(hours=3))
        assert client.get(portal).status_code == 200
