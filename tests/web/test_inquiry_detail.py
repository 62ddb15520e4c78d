"""One inquiry, read and marked handled by a practitioner; every read and change is audited."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.inquiries.models import Channel, Inquiry

from .conftest import Personas

MESSAGE = "座っていると腰の奥が重くなります。"


def make_inquiry(personas: Personas) -> Inquiry:
    return Inquiry.objects.create(
        clinic=personas.clinic, channel=Channel.WEB, name="佐藤", contact="sato@example.com", message=MESSAGE
    )


def url(slug: str, pk: int) -> str:
    return reverse("inquiries:detail", args=[slug, pk])


def test_practitioner_reads_the_inquiry_and_the_read_is_audited(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.practitioner)
    response = client.get(url("sakura", inquiry.pk))
    assert MESSAGE in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.actor, event.clinic, event.action) == (personas.practitioner, personas.clinic, Action.VIEW)
    assert (event.subject_type, event.subject_id) == ("inquiry", inquiry.pk)


def test_marking_handled_and_open_again_is_audited(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.practitioner)
    assert client.post(url("sakura", inquiry.pk)).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.handled_at is not None and inquiry.handled_by == personas.practitioner
    client.post(url("sakura", inquiry.pk))
    inquiry.refresh_from_db()
    assert inquiry.handled_at is None and inquiry.handled_by is None
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.CHANGE, Action.CHANGE]


def test_patient_is_forbidden_and_nothing_audited(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.patient)
    assert client.get(url("sakura", inquiry.pk)).status_code == 403
    assert client.post(url("sakura", inquiry.pk)).status_code == 403
    assert not AuditEvent.objects.exists()


def test_other_clinics_practitioner_is_forbidden_on_this_clinics_address(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.other_practitioner)
    assert client.get(url("sakura", inquiry.pk)).status_code == 403


def test_other_clinics_practitioner_gets_404_through_their_own_clinic(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.other_practitioner)
    assert client.get(url("other", inquiry.pk)).status_code == 404
    assert client.post(url("other", inquiry.pk)).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.handled_at is None
    assert not AuditEvent.objects.exists()


def test_other_clinics_patient_is_forbidden(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.other_patient)
    assert client.get(url("sakura", inquiry.pk)).status_code == 403
    assert client.get(url("other", inquiry.pk)).status_code == 403


def test_audit_event_holds_no_content_of_the_record(client: Client, personas: Personas) -> None:
    inquiry = make_inquiry(personas)
    client.force_login(personas.practitioner)
    client.get(url("sakura", inquiry.pk))
    stored = " ".join(str(v) for v in AuditEvent.objects.values().get().values())
    assert MESSAGE not in stored and "佐藤" not in stored and "sato@example.com" not in stored
