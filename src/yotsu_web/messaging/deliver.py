"""The worker's side of a delivery: claim it, send it, mark it — so that it leaves once.

A delivery row (unique per patient and purpose, created before enqueueing) moves
``pending -> sending -> sent``; only one worker can move it to ``sending`` (a conditional UPDATE).
If a worker dies mid-send, the row stays ``sending``; after ``STALE`` a LINE push is claimed again and
re-sent with the **same** retry key, which LINE accepts only once. E-mail has no such key, so a stale
e-mail is marked failed rather than risk a second copy.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yotsu_web.messaging.line_api import LinePushError, push_text
from yotsu_web.messaging.models import Channel, Delivery, LineChannel, LineLink, Message

STALE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5


def claim(key: str, now: dt.datetime | None = None) -> Delivery | None:
    now = now or timezone.now()
    claimable = Q(state=Delivery.State.PENDING) | Q(
        state=Delivery.State.SENDING, channel=Channel.LINE, claimed_at__lt=now - STALE
    )
    updated = Delivery.objects.filter(claimable, key=key, attempts__lt=MAX_ATTEMPTS).update(
        state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return Delivery.objects.select_related("patient__clinic", "patient__user").get(key=key) if updated else None


def _text(delivery: Delivery) -> tuple[str, str]:
    """(subject, body) in the clinic's language. Reminders carry a link, never health data."""
    patient = delivery.patient
    kind, _sep, rest = delivery.purpose.partition(":")
    if kind in {"redflag", "support"}:
        from yotsu_web.referrals.notify import clinic_alert

        alert = clinic_alert(delivery)
        return alert.subject, alert.body
    with translation.override(patient.clinic.language):
        if kind == "message":
            message = Message.objects.get(pk=int(rest), patient=patient)
            return _("Message from %(clinic)s") % {"clinic": patient.clinic.name}, message.body
        url = settings.YOTSU_BASE_URL + reverse("programme:today", args=[patient.clinic.slug])
        subject = _("Time for today's exercises")
        body = _("A reminder from %(clinic)s: your exercises for today are ready.\n%(url)s") % {
            "clinic": patient.clinic.name,
            "url": url,
        }
        return subject, body


def _recipients(delivery: Delivery) -> tuple[str, str]:
    """(LINE user, e-mail address): the patient's, or the clinic's for a red-flag alert."""
    if delivery.purpose.startswith(("redflag:", "support:")):
        from yotsu_web.referrals.notify import clinic_alert

        alert = clinic_alert(delivery)
        return alert.line_user_id, alert.email
    line_user = LineLink.objects.get(patient=delivery.patient).line_user_id if delivery.channel == Channel.LINE else ""
    return line_user, delivery.patient.user.email


def send(key: str) -> str:
    """Send one delivery if this worker can claim it; returns its state afterwards."""
    delivery = claim(key)
    if delivery is None:
        return "not claimed"
    patient = delivery.patient
    try:
        subject, body = _text(delivery)
        line_user, email = _recipients(delivery)
        if delivery.channel == Channel.LINE:
            token = LineChannel.objects.get(clinic_id=patient.clinic_id).access_token
            push_text(token, line_user, body, delivery.key)
        else:
            mail = EmailMessage(subject, body, None, [email], headers={"X-Yotsu-Delivery": str(delivery.key)})
            mail.send()
    except (LinePushError, LineLink.DoesNotExist, LineChannel.DoesNotExist, smtplib.SMTPException, OSError) as err:
        state = Delivery.State.PENDING if delivery.attempts < MAX_ATTEMPTS else Delivery.State.FAILED
        Delivery.objects.filter(pk=delivery.pk).update(state=state, error=type(err).__name__)
        return state
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENT, sent_at=timezone.now(), error="")
    return Delivery.State.SENT


def sweep(now: dt.datetime | None = None) -> list[str]:
    """Keys to enqueue again: pending ones left behind, and LINE pushes a dead worker left half-sent."""
    now = now or timezone.now()
    Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - STALE).exclude(
        channel=Channel.LINE
    ).update(state=Delivery.State.FAILED, error="worker stopped while sending")
    again = Delivery.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(state=Delivery.State.PENDING, created_at__lt=now - dt.timedelta(minutes=1))
        | Q(state=Delivery.State.SENDING, claimed_at__lt=now - STALE)
    )
    return [str(k) for k in again.values_list("key", flat=True)]
