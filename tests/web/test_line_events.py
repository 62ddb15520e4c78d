"""LINE webhook: every event in its own transaction. A bad event does not drop the others, the same event
delivered twice at once is stored once with 200 for both, a database outage answers 503."""

from __future__ import annotations

import pytest
from django.db import DataError, OperationalError
from django.test import Client

from yotsu_web.inquiries import line, receive
from yotsu_web.inquiries.models import Inquiry

from .conftest import Personas
from .test_line_webhook import SECRET, body_of, post, sign, text_event


@pytest.fixture
def sakura_on_line(personas: Personas) -> Personas:
    personas.clinic.line_channel_secret = SECRET
    personas.clinic.save()
    return personas


def test_an_event_the_database_refuses_does_not_drop_the_others(
    client: Client, sakura_on_line: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = receive.receive_inquiry

    def refusing(*args: object, **kwargs: object) -> Inquiry:
        if kwargs["message"] == "bad":
            Inquiry.objects.create(clinic=sakura_on_line.clinic, channel="line", contact="U", message="half")
            raise DataError("value the database cannot hold")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(line, "receive_inquiry", refusing)
    body = body_of(text_event("一つ目", "01HA"), text_event("bad", "01HB"), text_event("三つ目", "01HC"))
    assert post(client, body, sign(body)) == 200
    # The bad event's half-written row was rolled back with it; the others are stored.
    assert sorted(Inquiry.objects.values_list("message", flat=True)) == ["一つ目", "三つ目"]


@pytest.mark.django_db(transaction=True)  # outside a test transaction, as in production
def test_a_text_the_length_of_a_linking_code_from_an_unlinked_user_is_an_inquiry(
    client: Client, sakura_on_line: Personas
) -> None:
    body = body_of(text_event("ABCD2345"))  # looks like a code (checked under a row lock), is not one
    assert post(client, body, sign(body)) == 200
    assert Inquiry.objects.get().message == "ABCD2345"


def test_with_the_database_unreachable_line_is_asked_to_deliver_again(
    client: Client, sakura_on_line: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(line, "_receive_text", down)
    body = body_of(text_event("x"))
    assert post(client, body, sign(body)) == 503


def test_the_same_event_stored_by_a_concurrent_request_first_gives_200_and_one_row(
    client: Client, sakura_on_line: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = body_of(text_event("同時", "01HPAIR"))
    assert post(client, body, sign(body)) == 200
    # The twin request: its checks ran before the first was committed, so it tries to store the event too.
    monkeypatch.setattr(receive, "_already_received", lambda *_args: None)
    monkeypatch.setattr(line, "_receive_text", lambda clinic, event, event_id: receive.receive_inquiry(
        clinic, "line", name="", contact="U1234", message=event.message.text, line_event_id=event_id))  # fmt: skip
    assert post(client, body, sign(body)) == 200
    assert Inquiry.objects.count() == 1
