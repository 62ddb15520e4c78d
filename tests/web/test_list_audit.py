"""Views that show many patients' status are audited: who looked at which list of which clinic, when."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.api.models import ApiToken
from yotsu_web.audit.log import API_PATIENT_LIST, DELETION_LIST, INQUIRY_INBOX, PATIENT_LIST
from yotsu_web.audit.models import Action, AuditEvent

from .conftest import Personas


@pytest.mark.parametrize(
    ("name", "listing"),
    [("desk:patients", PATIENT_LIST), ("inquiries:inbox", INQUIRY_INBOX), ("exports:deletions", DELETION_LIST)],
)
def test_each_list_view_records_one_view_event(client: Client, personas: Personas, name: str, listing: str) -> None:
    client.force_login(personas.practitioner)
    assert client.get(reverse(name, args=[personas.clinic.slug])).status_code == 200
    event = AuditEvent.objects.get()
    assert (event.actor, event.clinic, event.action) == (personas.practitioner, personas.clinic, Action.VIEW)
    assert (event.subject_type, event.subject_id) == (listing, personas.clinic.pk)


def test_the_api_patient_list_is_audited(client: Client, personas: Personas) -> None:
    token = ApiToken.issue(personas.practitioner, "desk script")[1]
    url = reverse("api:patients", args=[personas.clinic.slug])
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    event = AuditEvent.objects.get()
    assert (event.actor, event.subject_type, event.subject_id) == (
        personas.practitioner,
        API_PATIENT_LIST,
        personas.clinic.pk,
    )


def test_a_refused_list_records_nothing(client: Client, personas: Personas) -> None:
    client.force_login(personas.other_practitioner)
    assert client.get(reverse("desk:patients", args=[personas.clinic.slug])).status_code in (403, 404)
    assert not AuditEvent.objects.exists()
