"""The clinic's e-mail about a new inquiry, sent by the queue worker, never inside the request.

``receive_inquiry`` stores the inquiry with ``notice_state=pending`` and enqueues
:func:`yotsu_web.inquiries.tasks.send_inquiry_notice` after the commit: a slow or unreachable SMTP server
never fails or slows the form, and the person who wrote is told their inquiry arrived.

The worker claims the notice with a conditional UPDATE (a fresh ``notice_claim`` token and a lease in
``notice_not_before``); only the holder of that token records the outcome, and a sent notice is never
claimed again, so a task that runs twice (a retry, a redelivered LINE event, a restored backup) sends
one e-mail. An SMTP failure puts it back to ``pending`` with a growing wait (1, 2, 4, ... minutes, at most
an hour) until ``MAX_ATTEMPTS``; the minute sweep enqueues what is due again, and what a killed worker
held, once its lease lapses. The mail carries ``Message-ID: <inquiry-KEY@yotsu>`` (one key per inquiry),
so the copy a worker killed between the server's acceptance and the UPDATE sends again is recognisably
the same message.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yotsu_web.inquiries.models import Inquiry, NoticeState

MAX_ATTEMPTS = 10
_KEYS = uuid.UUID("5b0c7a4e-8d1f-4c39-9f4e-2a6d3e1c9b70")
log = logging.getLogger(__name__)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "YOTSU_DELIVERY_LEASE_S", 120))


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def notice_key(inquiry_pk: int) -> uuid.UUID:
    return uuid.uuid5(_KEYS, f"inquiry:{inquiry_pk}")


def enqueue(inquiry_pk: int) -> None:
    """Queue the notice; a queue that cannot be reached is logged, and the sweep sends it later."""
    from yotsu_web.inquiries.tasks import send_inquiry_notice

    try:
        send_inquiry_notice(inquiry_pk)
    except Exception:  # the inquiry is stored; the minute sweep finds the pending notice
        log.exception("could not queue the notice of inquiry %s; the sweep will retry it", inquiry_pk)


def _due(now: dt.datetime) -> Q:
    return (Q(notice_state=NoticeState.PENDING) | Q(notice_state=NoticeState.SENDING)) & (
        Q(notice_not_before__isnull=True, notice_state=NoticeState.PENDING) | Q(notice_not_before__lt=now)
    )


def claim(inquiry_pk: int, now: dt.datetime | None = None) -> Inquiry | None:
    now = now or timezone.now()
    token = uuid.uuid4()
    updated = Inquiry.objects.filter(_due(now), pk=inquiry_pk, notice_attempts__lt=MAX_ATTEMPTS).update(
        notice_state=NoticeState.SENDING, notice_claim=token, notice_not_before=now + lease(),
        notice_attempts=F("notice_attempts") + 1,
    )  # fmt: skip
    if not updated:
        return None
    return Inquiry.objects.select_related("clinic").get(pk=inquiry_pk, notice_claim=token)


def _mail(inquiry: Inquiry) -> None:
    """The mail holds a link, not the person's words: e-mail is not a safe place for health information."""
    clinic = inquiry.clinic
    url = settings.YOTSU_BASE_URL + reverse("inquiries:detail", args=[clinic.slug, inquiry.pk])
    with translation.override(clinic.language):
        subject = _("New inquiry for %(clinic)s") % {"clinic": clinic.name}
        body = _("A new inquiry arrived by %(channel)s. Read it in your inbox:\n%(url)s\n") % {
            "channel": inquiry.get_channel_display(),
            "url": url,
        }
    key = notice_key(inquiry.pk)
    headers = {"Message-ID": f"<inquiry-{key}@yotsu>", "X-Yotsu-Delivery": str(key)}
    EmailMessage(subject, body, None, [clinic.notification_email], headers=headers).send()


def send(inquiry_pk: int, now: dt.datetime | None = None) -> str:
    """Send the inquiry's notice if this worker can claim it; returns its state afterwards."""
    inquiry = claim(inquiry_pk, now)
    if inquiry is None:
        return "not claimed"
    mine = Inquiry.objects.filter(pk=inquiry.pk, notice_claim=inquiry.notice_claim)
    try:
        if not inquiry.clinic.notification_email:
            mine.update(notice_state=NoticeState.NONE, notice_claim=None, notice_not_before=None)
            return NoticeState.NONE
        _mail(inquiry)
    except (smtplib.SMTPException, OSError) as err:
        now = now or timezone.now()
        if inquiry.notice_attempts < MAX_ATTEMPTS:
            state, not_before = NoticeState.PENDING, now + backoff(inquiry.notice_attempts)
        else:
            state, not_before = NoticeState.FAILED, None
        mine.update(notice_state=state, notice_error=type(err).__name__[:200], notice_claim=None,
                    notice_not_before=not_before)  # fmt: skip
        log.warning("notice of inquiry %s not sent (%s); state %s", inquiry_pk, type(err).__name__, state)
        return state
    mine.update(notice_state=NoticeState.SENT, notice_sent_at=timezone.now(), notice_error="", notice_claim=None,
                notice_not_before=None)  # fmt: skip
    return NoticeState.SENT


def sweep(now: dt.datetime | None = None) -> list[int]:
    """Inquiries whose notice is due again: a retry's wait is over, a lease lapsed, or a pending notice
    whose queued task was lost (older than a lease)."""
    now = now or timezone.now()
    due = Inquiry.objects.filter(notice_attempts__lt=MAX_ATTEMPTS).filter(
        Q(notice_state=NoticeState.PENDING, notice_not_before__isnull=True, received_at__lt=now - lease())
        | Q(notice_state__in=[NoticeState.PENDING, NoticeState.SENDING], notice_not_before__lt=now)
    )
    return list(due.values_list("pk", flat=True))
