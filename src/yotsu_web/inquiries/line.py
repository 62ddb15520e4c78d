"""LINE Messaging API webhook: each text message becomes an inquiry, unless it comes from a patient who
linked LINE (or is their linking code): then it goes to the patient's thread (``messaging.linking``).

The body is verified against ``X-Line-Signature`` with the clinic's channel secret by the
official SDK (``linebot.v3.WebhookParser``) before anything is read or stored.
Nothing here calls LINE's servers. Each event is stored in its own transaction: an event the database
refuses is logged and skipped (it would fail again on every redelivery) without losing the others; the
same event delivered twice at once is stored once and both requests get 200; with the database
unreachable the answer is 503, so LINE delivers the events again.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import MessageEvent, TextMessageContent

from yotsu_web.clinics.models import Clinic
from yotsu_web.inquiries.models import Channel, Inquiry
from yotsu_web.inquiries.receive import receive_inquiry
from yotsu_web.messaging.linking import receive_line_text
from yotsu_web.messaging.models import Message

SIGNATURE_HEADER = "X-Line-Signature"
log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    if not clinic.line_channel_secret:
        return HttpResponse(status=404)
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return HttpResponseBadRequest("missing X-Line-Signature")
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return HttpResponseBadRequest("body is not UTF-8")
    try:
        events = WebhookParser(clinic.line_channel_secret).parse(body, signature)
    except InvalidSignatureError:
        return HttpResponseForbidden("invalid X-Line-Signature")
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("malformed webhook body")
    unavailable = False
    for event in events:
        if not (isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)):
            continue
        event_id = event.webhook_event_id
        try:
            with transaction.atomic():  # one event, one transaction: a bad event does not take the others
                _receive_text(clinic, event, event_id)
        except IntegrityError:
            if event_id and _stored(event_id):
                continue  # the same event, redelivered at the same moment, was stored by the other request
            log.exception("LINE event %s for clinic %s could not be stored", event_id, clinic.slug)
        except OperationalError:
            unavailable = True  # the database is unreachable: answer 503 so LINE delivers the events again
            log.exception("LINE event %s for clinic %s: database unavailable", event_id, clinic.slug)
        except DatabaseError:
            # Refused by the database (e.g. a value it cannot hold): it would fail again on every redelivery.
            log.exception("LINE event %s for clinic %s could not be stored", event_id, clinic.slug)
    if unavailable:
        return HttpResponse("database unavailable", status=503)
    return HttpResponse("OK")


def _stored(event_id: str) -> bool:
    return (
        Inquiry.objects.filter(line_event_id=event_id).exists()
        or Message.objects.filter(line_event_id=event_id).exists()
    )


def _receive_text(clinic: Clinic, event: MessageEvent, event_id: str | None) -> None:
    if event_id and Inquiry.objects.filter(line_event_id=event_id).exists():
        return  # LINE redelivers events it is unsure we received.
    user_id = getattr(event.source, "user_id", None) or ""
    if receive_line_text(clinic, user_id, event.message.text, event_id):
        return  # a linking code, or a linked patient's message: it goes to their thread
    receive_inquiry(
        clinic,
        Channel.LINE,
        name="",
        contact=user_id,
        message=event.message.text,
        line_event_id=event_id,
    )
