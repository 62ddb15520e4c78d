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


def portal(personas: Personas) -> str:
    return reverse("clinics:portal", args=[personas.clinic.slug])


def test_a_patients_login_ends_with_the_browser_and_after_60_idle_minutes(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(personas.patient)
        first = client.get(portal(personas))
        assert first.status_code == 200
        cookie = first.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie.value and cookie["expires"] == "" and cookie["max-age"] == ""  # ends with the browser
        clock.move_to(T0 + dt.timedelta(minutes=59))  # a long questionnaire: still logged in
        assert client.get(portal(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=59 + 45))  # 45 idle minutes: more than staff get, fine here
        assert client.get(portal(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=59 + 45 + 61))
        response = client.get(portal(personas), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "logged out after 60 minutes without activity" in page
        assert client.get(portal(personas)).status_code == 302  # the login is gone


def test_the_clinic_sets_the_patients_idle_time(client: Client, personas: Personas) -> None:
    personas.clinic.patient_idle_minutes = 15
    personas.clinic.save()
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(personas.patient)
        assert client.get(portal(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=14))
        assert client.get(portal(personas)).status_code == 200
        clock.move_to(T0 + dt.timedelta(minutes=14 + 16))
        assert client.get(portal(personas)).status_code == 302


def test_the_patients_idle_time_is_bounded() -> None:
    from django.core.exceptions import ValidationError

    from yotsu_web.clinics.models import Clinic

    field = Clinic._meta.get_field("patient_idle_minutes")
    assert field.clean(5, None) == 5 and field.clean(24 * 60, None) == 24 * 60
    for wrong in (4, 24 * 60 + 1):
        try:
            field.clean(wrong, None)
        except ValidationError:
            continue
        raise AssertionError(f"{wrong} minutes was accepted")
