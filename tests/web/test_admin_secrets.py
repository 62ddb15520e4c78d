"""The LINE channel secret and access token are write-only in the admin: never in the page, kept when the
box is left empty, replaced by a new value, removed only on purpose."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.clinics.models import Clinic
from yotsu_web.messaging.models import LineChannel

from .conftest import Personas

SECRET = "sakura-channel-secret-0123456789"
TOKEN = "sakura-access-token-abcdefghijklmnop"


@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    personas.clinic_admin.is_staff = True
    personas.clinic_admin.save()
    Clinic.objects.filter(pk=personas.clinic.pk).update(line_channel_secret=SECRET)
    client.force_login(personas.clinic_admin)
    return client


def clinic_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "さくら整体院", "slug": "sakura", "language": "ja", "notification_email": "sakura@example.com",
        "line_channel_secret": "", "booking_cutoff_hours": "24", "booking_horizon_days": "30",
        "booking_step_minutes": "30", "reminder_time": "18:00", "staff_idle_minutes": "30",
        "patient_idle_minutes": "60",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    }  # fmt: skip
    return {**form, **changes}


def test_the_channel_secret_is_never_shown_and_an_empty_box_keeps_it(admin_client: Client, personas: Personas) -> None:
    url = reverse("admin:clinics_clinic_change", args=[personas.clinic.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="line_channel_secret"' in page and SECRET not in page
    assert admin_client.post(url, clinic_form(notification_email="new@example.com")).status_code == 302
    personas.clinic.refresh_from_db()
    assert (personas.clinic.line_channel_secret, personas.clinic.notification_email) == (SECRET, "new@example.com")


def test_a_new_channel_secret_replaces_it_and_remove_empties_it(admin_client: Client, personas: Personas) -> None:
    url = reverse("admin:clinics_clinic_change", args=[personas.clinic.pk])
    assert admin_client.post(url, clinic_form(line_channel_secret="new-secret-9876543210")).status_code == 302
    personas.clinic.refresh_from_db()
    assert personas.clinic.line_channel_secret == "new-secret-9876543210"
    assert "new-secret-9876543210" not in admin_client.get(url).content.decode()
    assert admin_client.post(url, clinic_form(line_channel_secret_clear="on")).status_code == 302
    personas.clinic.refresh_from_db()
    assert personas.clinic.line_channel_secret == ""


def test_the_access_token_is_never_shown_and_kept_unless_replaced(admin_client: Client, personas: Personas) -> None:
    channel = LineChannel.objects.create(clinic=personas.clinic, access_token=TOKEN)
    url = reverse("admin:messaging_linechannel_change", args=[channel.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="access_token"' in page and TOKEN not in page
    assert admin_client.post(url, {"clinic": personas.clinic.pk, "access_token": ""}).status_code == 302
    channel.refresh_from_db()
    assert channel.access_token == TOKEN
    assert admin_client.post(url, {"clinic": personas.clinic.pk, "access_token": "replaced-token"}).status_code == 302
    channel.refresh_from_db()
    assert channel.access_token == "replaced-token"
    assert "replaced-token" not in admin_client.get(url).content.decode()


def test_a_new_channel_needs_its_token(admin_client: Client, personas: Personas) -> None:
    add = reverse("admin:messaging_linechannel_add")
    assert admin_client.post(add, {"clinic": personas.clinic.pk, "access_token": ""}).status_code == 200
    assert not LineChannel.objects.exists()
