"""LINE Messaging API webhook: each text message becomes an inquiry, unless it comes from a patient who
linked LINE (or is their linking code): then it goes to the patient's thread (``messaging.linking``).

The body is verified against ``X-Line-Signature`` with the clinic's channel secret by the
official SDK (``linebot.v3.WebhookParser``) before anything is read or stored.
Nothing here calls LINE's servers.
"""

from __future__ import annotations

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

SIGNATURE_HEADER = "X-Line-Signature"


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
    for event in events:
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            event_id = event.webhook_event_id
            if event_id and Inquiry.objects.filter(line_event_id=event_id).exists():
                continue  # LINE redelivers events it is unsure we received.
            user_id = getattr(event.source, "user_id", None) or ""
            if receive_line_text(clinic, user_id, event.message.text, event_id):
                continue  # a linking code, or a linked patient's message: it goes to their thread
            receive_inquiry(
                clinic,
                Channel.LINE,
                name="",
                contact=user_id,
                message=event.message.text,
                line_event_id=event_id,
            )
    return HttpResponse("OK")
