"""LINE webhook: signed with a test channel secret; nothing here talks to LINE's servers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from yotsu_web.inquiries import notify
from yotsu_web.inquiries.models import Channel, Inquiry, NoticeState

from .conftest import Personas

SECRET = "test-channel-secret-sakura"
OTHER_SECRET = "test-channel-secret-other"


@pytest.fixture
def line_clinic(personas: Personas) -> Personas:
    personas.clinic.line_channel_secret = SECRET
    personas.clinic.save()
    personas.other_clinic.line_channel_secret = OTHER_SECRET
    personas.other_clinic.save()
    return personas


def text_event(text: str, event_id: str = "01HTESTEVENT0000000000001", user: str = "U1234") -> dict[str, Any]:
    return {
        "type": "message",
        "mode": "active",
        "timestamp": 1_700_000_000_000,
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
        "replyToken": "reply-token",
        "source": {"type": "user", "userId": user},
        "message": {"type": "text", "id": "468789577898262530", "quoteToken": "q", "text": text},
    }


def sticker_event() -> dict[str, Any]:
    event = text_event("", event_id="01HTESTSTICKER00000000001")
    event["message"] = {
        "type": "sticker",
        "id": "1",
        "quoteToken": "q",
        "packageId": "1",
        "stickerId": "1",
        "stickerResourceType": "STATIC",
    }
    return event


def body_of(*events: dict[str, Any]) -> bytes:
    return json.dumps({"destination": "Udest", "events": list(events)}, ensure_ascii=False).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def post(client: Client, body: bytes, signature: str | None, slug: str = "sakura") -> int:
    headers = {} if signature is None else {"X-Line-Signature": signature}
    url = reverse("inquiries:line-webhook", args=[slug])
    return client.post(url, body, content_type="application/json", headers=headers).status_code


def test_signed_text_message_becomes_an_inquiry(client: Client, line_clinic: Personas) -> None:
    body = body_of(text_event("腰が痛くて眠れません"))
    assert post(client, body, sign(body)) == 200
    inquiry = Inquiry.objects.get()
    assert (inquiry.clinic, inquiry.channel) == (line_clinic.clinic, Channel.LINE)
    assert (inquiry.contact, inquiry.message) == ("U1234", "腰が痛くて眠れません")
    assert notify.send(inquiry.pk) == NoticeState.SENT  # by the queue worker
    assert [m.to for m in mail.outbox] == [["sakura@example.com"]]
    assert "腰が痛くて眠れません" not in mail.outbox[0].body


def test_each_text_message_is_one_inquiry_and_stickers_are_ignored(client: Client, line_clinic: Personas) -> None:
    body = body_of(text_event("一つ目", "01HA"), sticker_event(), text_event("二つ目", "01HB"))
    assert post(client, body, sign(body)) == 200
    assert sorted(Inquiry.objects.values_list("message", flat=True)) == ["一つ目", "二つ目"]


def test_redelivered_event_is_stored_once(client: Client, line_clinic: Personas) -> None:
    body = body_of(text_event("同じ"))
    assert post(client, body, sign(body)) == 200
    assert post(client, body, sign(body)) == 200
    assert Inquiry.objects.count() == 1


def test_empty_event_list_from_the_verify_button_is_accepted(client: Client, line_clinic: Personas) -> None:
    body = body_of()
    assert post(client, body, sign(body)) == 200
    assert not Inquiry.objects.exists()


def test_missing_signature_is_400_and_nothing_stored(client: Client, line_clinic: Personas) -> None:
    assert post(client, body_of(text_event("x")), None) == 400
    assert not Inquiry.objects.exists() and mail.outbox == []


def test_wrong_signature_is_403_and_nothing_stored(client: Client, line_clinic: Personas) -> None:
    body = body_of(text_event("x"))
    assert post(client, body, sign(body, "not-the-secret")) == 403
    assert not Inquiry.objects.exists() and mail.outbox == []


def test_tampered_body_is_403(client: Client, line_clinic: Personas) -> None:
    signature = sign(body_of(text_event("original")))
    assert post(client, body_of(text_event("tampered")), signature) == 403
    assert not Inquiry.objects.exists()


def test_another_clinics_signature_is_403_here(client: Client, line_clinic: Personas) -> None:
    body = body_of(text_event("x"))
    assert post(client, body, sign(body, OTHER_SECRET), slug="sakura") == 403
    assert post(client, body, sign(body, OTHER_SECRET), slug="other") == 200
    assert Inquiry.objects.get().clinic == line_clinic.other_clinic


def test_signed_but_malformed_body_is_400(client: Client, line_clinic: Personas) -> None:
    for body in (b"not json", b'{"destination": "U"}'):
        assert post(client, body, sign(body)) == 400
    assert not Inquiry.objects.exists()


def test_clinic_without_line_is_404(client: Client, personas: Personas) -> None:
    body = body_of(text_event("x"))
    assert post(client, body, sign(body, "")) == 404
    assert not Inquiry.objects.exists()


def test_get_is_not_allowed(client: Client, line_clinic: Personas) -> None:
    assert client.get(reverse("inquiries:line-webhook", args=["sakura"])).status_code == 405
