"""The clinic's public landing page and its inquiry form."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from yotsu_web.inquiries import notify
from yotsu_web.inquiries.models import Channel, Inquiry, NoticeState

from .conftest import Personas

FORM = {
    "name": "山田 太郎",
    "contact": "taro@example.com",
    "message": "三か月前から腰が重く、朝がつらいです。",
}


def landing(personas: Personas) -> str:
    return reverse("inquiries:landing", args=[personas.clinic.slug])


def test_landing_shows_the_clinic_and_the_form_in_japanese(client: Client, personas: Personas) -> None:
    response = client.get(landing(personas), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    page = response.content.decode()
    assert "さくら整体院" in page
    assert "お名前" in page and "送信する" in page


def test_landing_speaks_english_when_asked(client: Client, personas: Personas) -> None:
    page = client.get(landing(personas), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your name" in page and "Send inquiry" in page
    assert "お名前" not in page


def test_unknown_clinic_is_404(client: Client, personas: Personas) -> None:
    assert client.get(reverse("inquiries:landing", args=["nowhere"])).status_code == 404


def test_inquiry_is_stored_for_this_clinic_and_the_clinic_is_mailed(client: Client, personas: Personas) -> None:
    response = client.post(landing(personas), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:thanks", args=[personas.clinic.slug])
    inquiry = Inquiry.objects.get()
    assert (inquiry.clinic, inquiry.channel, inquiry.name) == (personas.clinic, Channel.WEB, "山田 太郎")
    assert inquiry.message == FORM["message"]
    assert mail.outbox == [] and inquiry.notice_state == NoticeState.PENDING  # the worker sends it
    assert notify.send(inquiry.pk) == NoticeState.SENT
    assert [m.to for m in mail.outbox] == [["sakura@example.com"]]


def test_notification_mail_carries_a_link_but_no_health_information(client: Client, personas: Personas) -> None:
    client.post(landing(personas), FORM)
    inquiry = Inquiry.objects.get()
    notify.send(inquiry.pk)
    (message,) = mail.outbox
    assert f"/c/sakura/desk/inquiries/{inquiry.pk}/" in message.body
    for secret in (FORM["message"], FORM["name"], FORM["contact"]):
        assert secret not in message.body and secret not in message.subject


def test_no_mail_when_the_clinic_has_no_notification_address(client: Client, personas: Personas) -> None:
    personas.clinic.notification_email = ""
    personas.clinic.save()
    client.post(landing(personas), FORM)
    inquiry = Inquiry.objects.get()
    assert inquiry.notice_state == NoticeState.NONE
    assert notify.send(inquiry.pk) == "not claimed" and notify.sweep() == []
    assert mail.outbox == []


@pytest.mark.parametrize("missing", ["name", "contact", "message"])
def test_incomplete_form_is_shown_again_and_nothing_stored(client: Client, personas: Personas, missing: str) -> None:
    response = client.post(landing(personas), {**FORM, missing: ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_form_without_csrf_token_is_refused(personas: Personas) -> None:
    response = Client(enforce_csrf_checks=True).post(landing(personas), FORM)
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_inquiry_text_does_not_reach_the_logs(
    client: Client, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.post(landing(personas), FORM)
    client.post(landing(personas), {**FORM, "contact": ""})
    assert FORM["message"] not in caplog.text


def test_thanks_page_names_the_clinic(client: Client, personas: Personas) -> None:
    page = client.get(reverse("inquiries:thanks", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "さくら整体院 has received your inquiry" in page
