"""The LINE channel access token in the admin: a clinic admin sees and sets only their own clinic's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yotsu_web.messaging.models import LineChannel

from .conftest import Personas


def test_clinic_admin_sets_their_token_and_cannot_see_another_clinics(client: Client, personas: Personas) -> None:
    other = LineChannel.objects.create(clinic=personas.other_clinic, access_token="other-secret-token")
    personas.clinic_admin.is_staff = True
    personas.clinic_admin.save()
    client.force_login(personas.clinic_admin)
    add = reverse("admin:messaging_linechannel_add")
    page = client.get(add).content.decode()
    assert "さくら整体院" in page and "Other clinic" not in page
    assert client.post(add, {"clinic": personas.other_clinic.pk, "access_token": "x"}).status_code == 200  # refused
    assert client.post(add, {"clinic": personas.clinic.pk, "access_token": "sakura-token"}).status_code == 302
    assert LineChannel.objects.get(clinic=personas.clinic).access_token == "sakura-token"
    listing = client.get(reverse("admin:messaging_linechannel_changelist")).content.decode()
    assert "Other clinic" not in listing
    assert client.get(reverse("admin:messaging_linechannel_change", args=[other.pk])).status_code in (302, 403, 404)


def test_practitioner_has_no_access_to_tokens(client: Client, personas: Personas) -> None:
    personas.practitioner.is_staff = True
    personas.practitioner.save()
    client.force_login(personas.practitioner)
    assert client.get(reverse("admin:messaging_linechannel_changelist")).status_code == 403
