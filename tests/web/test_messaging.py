"""The patient-clinic thread and LINE linking: signed webhook requests in, pushes out to the local fake
LINE server through the real queue worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.inquiries.models import Inquiry
from yotsu_web.messaging.models import Delivery, LineChannel, LineLink, LinkCode, Message
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas
from .line_fake import FakeLine, fake_line_server, running_worker, wait_for
from .test_line_webhook import SECRET, body_of, sign, text_event


@pytest.fixture
def line_clinic(personas: Personas) -> Personas:
    personas.clinic.line_channel_secret = SECRET
    personas.clinic.save()
    LineChannel.objects.create(clinic=personas.clinic, access_token="sakura-token")
    return personas


def webhook(client: Client, text: str, user: str, event_id: str, slug: str = "sakura") -> int:
    body = body_of(text_event(text, event_id=event_id, user=user))
    url = reverse("inquiries:line-webhook", args=[slug])
    return client.post(url, body, content_type="application/json", headers={"X-Line-Signature": sign(body)}).status_code


def code_for(client: Client, personas: Personas) -> str:
    client.force_login(personas.patient)
    assert client.post(reverse("messaging:link-code", args=["sakura"])).status_code == 302
    page = client.get(reverse("messaging:thread", args=["sakura"])).content.decode()
    code = LinkCode.objects.get(patient=personas.patient_record, used_at=None).code
    assert f'id="line-code">{code}<' in page
    return code


def test_code_sent_to_the_clinics_line_links_and_later_messages_land_in_the_thread(
    client: Client, line_clinic: Personas
) -> None:
    code = code_for(client, line_clinic)
    assert webhook(client, f" {code.lower()} ", "U-alice", "01HLINK") == 200
    assert LineLink.objects.get().patient == line_clinic.patient_record
    assert webhook(client, "昨日の運動のあと少し張りました", "U-alice", "01HMSG1") == 200
    assert webhook(client, "昨日の運動のあと少し張りました", "U-alice", "01HMSG1") == 200  # redelivered
    message = Message.objects.get()
    assert (message.patient, message.origin, message.channel) == (line_clinic.patient_record, "patient", "line")
    assert not Inquiry.objects.exists()
    client.force_login(line_clinic.practitioner)
    page = client.get(reverse("messaging:desk-thread", args=["sakura", line_clinic.patient_record.pk]))
    assert "昨日の運動のあと少し張りました" in page.content.decode()


def test_unlinked_users_messages_stay_inquiries(client: Client, line_clinic: Personas) -> None:
    code_for(client, line_clinic)
    assert webhook(client, "はじめまして、予約できますか", "U-stranger", "01HINQ") == 200
    assert webhook(client, "ABCDEFGH", "U-guess", "01HGUESS") == 200  # a wrong code is just a message
    assert sorted(Inquiry.objects.values_list("message", flat=True)) == ["ABCDEFGH", "はじめまして、予約できますか"]
    assert not LineLink.objects.exists() and not Message.objects.exists()


def test_an_expired_or_used_code_does_not_link(client: Client, line_clinic: Personas) -> None:
    code = code_for(client, line_clinic)
    LinkCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    webhook(client, code, "U-alice", "01HLATE")
    assert not LineLink.objects.exists() and Inquiry.objects.count() == 1


def test_a_code_only_works_at_its_own_clinic(client: Client, line_clinic: Personas) -> None:
    from .test_line_webhook import OTHER_SECRET

    other = line_clinic.other_clinic
    other.line_channel_secret = OTHER_SECRET
    other.save()
    code = code_for(client, line_clinic)
    body = body_of(text_event(code, event_id="01HOTHER", user="U-alice"))
    url = reverse("inquiries:line-webhook", args=["other"])
    client.post(url, body, content_type="application/json", headers={"X-Line-Signature": sign(body, OTHER_SECRET)})
    assert not LineLink.objects.exists() and Inquiry.objects.get().clinic == other


@pytest.fixture
def line(settings: object) -> Iterator[FakeLine]:
    with fake_line_server() as fake:
        settings.YOTSU_LINE_API_HOST = fake.url  # type: ignore[attr-defined]
        yield fake


@pytest.mark.django_db(transaction=True)
def test_practitioners_reply_is_pushed_to_the_linked_patient(client: Client, line_clinic: Personas,
                                                             line: FakeLine) -> None:  # fmt: skip
    HUEY.storage.flush_all()
    LineLink.objects.create(patient=line_clinic.patient_record, clinic=line_clinic.clinic, line_user_id="U-alice")
    client.force_login(line_clinic.practitioner)
    url = reverse("messaging:desk-thread", args=["sakura", line_clinic.patient_record.pk])
    with running_worker(HUEY):
        assert client.post(url, {"text": "無理のない範囲で続けましょう"}).status_code == 302
        wait_for(lambda: len(line.accepted) == 1)
    assert Delivery.objects.get().state == Delivery.State.SENT
    assert line.texts() == [("U-alice", "無理のない範囲で続けましょう")]
    assert line.accepted[0].headers["Authorization"] == "Bearer sakura-token"
    client.force_login(line_clinic.patient)
    assert "無理のない範囲で続けましょう" in client.get(reverse("messaging:thread", args=["sakura"])).content.decode()


def test_reply_to_an_unlinked_patient_stays_in_the_portal(client: Client, line_clinic: Personas) -> None:
    client.force_login(line_clinic.practitioner)
    url = reverse("messaging:desk-thread", args=["sakura", line_clinic.patient_record.pk])
    client.post(url, {"text": "お大事に"})
    assert Message.objects.get().channel == "web" and not Delivery.objects.exists()


def test_patient_writes_in_the_portal_and_the_desk_sees_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert client.post(reverse("messaging:thread", args=["sakura"]), {"text": "質問です"}).status_code == 302
    client.force_login(personas.practitioner)
    page = client.get(reverse("messaging:desk-thread", args=["sakura", personas.patient_record.pk])).content.decode()
    assert "質問です" in page
    client.force_login(personas.other_practitioner)
    other = reverse("messaging:desk-thread", args=["other", personas.patient_record.pk])
    assert client.get(other).status_code == 404
