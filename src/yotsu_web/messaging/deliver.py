"""The worker's side of a delivery: claim it under a lease, send it with its idempotency key, record it.

A delivery row (unique per patient and purpose, created before enqueueing) moves
``pending -> sending -> sent`` (or ``failed`` after ``MAX_ATTEMPTS``). A worker claims it with a
conditional UPDATE that sets a fresh ``claim_token`` and a lease (``lease_until``); only the holder of
that token can record the outcome, so a worker that lost its lease cannot overwrite a newer claim.
A worker killed at any point leaves either ``pending`` (re-enqueued by the sweep) or ``sending`` with a
lease that lapses; the sweep then claims it again and it is sent again **with the same key**:

- LINE: ``X-Line-Retry-Key`` = the key; LINE accepts a key once (409 for a repeat, counted as sent).
- E-mail: ``Message-ID: <key@yotsu>``; SMTP has no server-side deduplication, so a worker killed after
  the server accepted the message and before the row was marked leaves a second copy with the same
  Message-ID, which mail stores and clients collapse. No reminder is ever dropped as "failed" because a
  worker died.

The lease (``settings.YOTSU_DELIVERY_LEASE_S``, default 120 s) is longer than the send timeouts
(``EMAIL_TIMEOUT``, LINE's HTTP timeout), so a live worker never loses its claim mid-send.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yotsu_web.messaging.line_api import LinePushError, push_text
from yotsu_web.messaging.models import Channel, Delivery, LineChannel, LineLink, Message

MAX_ATTEMPTS = 5


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "YOTSU_DELIVERY_LEASE_S", 120))


def _claimable(now: dt.datetime) -> Q:
    return Q(state=Delivery.State.PENDING) | Q(state=Delivery.State.SENDING, lease_until__lt=now)


def claim(key: str, now: dt.datetime | None = None) -> Delivery | None:
    """Take the delivery for this worker (a fresh claim token and lease), or None if someone holds it."""
    now = now or timezone.now()
    token = uuid.uuid4()
    updated = Delivery.objects.filter(_claimable(now), key=key, attempts__lt=MAX_ATTEMPTS).update(
        state=Delivery.State.SENDING, claimed_at=now, lease_until=now + lease(), claim_token=token,
        attempts=F("attempts") + 1,
    )  # fmt: skip
    if not updated:
        return None
    return Delivery.objects.select_related("patient__clinic", "patient__user", "guest_booking__clinic").get(
        key=key, claim_token=token
    )


def _text(delivery: Delivery) -> tuple[str, str]:
    """(subject, body) in the clinic's language. Reminders carry a link, never health data."""
    patient = delivery.patient
    kind, _sep, rest = delivery.purpose.partition(":")
    if patient is None:  # a guest's booking: only booking texts go to guests
        from yotsu_web.booking.notify import text

        guest = delivery.guest_booking
        assert guest is not None and kind == "booking"
        booking_id, _sep, what = rest.partition(":")
        with translation.override(guest.clinic.language):
            return text(int(booking_id), what.partition(":")[0], None)
    if kind in {"redflag", "support"}:
        from yotsu_web.referrals.notify import clinic_alert

        alert = clinic_alert(delivery)
        return alert.subject, alert.body
    with translation.override(patient.clinic.language):
        if kind == "booking":
            from yotsu_web.booking.notify import text

            booking_id, _sep, what = rest.partition(":")
            return text(int(booking_id), what.partition(":")[0], patient.pk)
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
    if delivery.patient is None:
        assert delivery.guest_booking is not None
        return "", delivery.guest_booking.guest_email
    line_user = LineLink.objects.get(patient=delivery.patient).line_user_id if delivery.channel == Channel.LINE else ""
    return line_user, delivery.patient.user.email


def _transmit(delivery: Delivery) -> None:
    subject, body = _text(delivery)
    line_user, email = _recipients(delivery)
    if delivery.channel == Channel.LINE:
        assert delivery.patient is not None  # guests are written to by e-mail only
        token = LineChannel.objects.get(clinic_id=delivery.patient.clinic_id).access_token
        push_text(token, line_user, body, delivery.key)
    else:
        headers = {"Message-ID": f"<{delivery.key}@yotsu>", "X-Yotsu-Delivery": str(delivery.key)}
        EmailMessage(subject, body, None, [email], headers=headers).send()


def send(key: str) -> str:
    """Send one delivery if this worker can claim it; returns its state afterwards."""
    delivery = claim(key)
    if delivery is None:
        return "not claimed"
    mine = Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token)
    try:
        _transmit(delivery)
    except (LinePushError, LineLink.DoesNotExist, LineChannel.DoesNotExist, smtplib.SMTPException, OSError) as err:
        state = Delivery.State.PENDING if delivery.attempts < MAX_ATTEMPTS else Delivery.State.FAILED
        mine.update(state=state, error=type(err).__name__, claim_token=None, lease_until=None)
        return state
    mine.update(state=Delivery.State.SENT, sent_at=timezone.now(), error="", claim_token=None, lease_until=None)
    return Delivery.State.SENT


def sweep(now: dt.datetime | None = None) -> list[str]:
    """Keys to enqueue again: pending rows whose task was lost, and claims whose lease lapsed."""
    now = now or timezone.now()
    again = Delivery.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(state=Delivery.State.PENDING, created_at__lt=now - lease())  # its queued task may have been lost
        | Q(state=Delivery.State.SENDING, lease_until__lt=now)
    )
    return [str(k) for k in again.values_list("key", flat=True)]
