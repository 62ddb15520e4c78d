"""Storing a new inquiry and telling the clinic, whichever channel it came by."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from yotsu_web.clinics.models import Clinic
from yotsu_web.inquiries import notify
from yotsu_web.inquiries.models import Channel, Inquiry, NoticeState


def receive_inquiry(
    clinic: Clinic,
    channel: Channel,
    *,
    name: str,
    contact: str,
    message: str,
    line_event_id: str | None = None,
    submission_key: uuid.UUID | None = None,
) -> Inquiry:
    """Store the inquiry once and queue the clinic's notice e-mail (sent by the worker, see ``notify``).

    The same web form sent again (``submission_key``) or the same LINE event delivered again
    (``line_event_id``), even at the same moment, gives back the inquiry stored the first time."""
    again = _already_received(line_event_id, submission_key)
    if again is not None:
        return again
    state = NoticeState.PENDING if clinic.notification_email else NoticeState.NONE
    try:
        with transaction.atomic():
            inquiry = Inquiry.objects.create(
                clinic=clinic,
                channel=channel,
                name=name,
                contact=contact,
                message=message,
                line_event_id=line_event_id,
                submission_key=submission_key,
                notice_state=state,
            )
    except IntegrityError:
        again = _already_received(line_event_id, submission_key)
        if again is None:
            raise
        return again  # a concurrent twin was stored first
    if state == NoticeState.PENDING:
        pk = inquiry.pk
        transaction.on_commit(lambda: notify.enqueue(pk))
    return inquiry


def _already_received(line_event_id: str | None, submission_key: uuid.UUID | None) -> Inquiry | None:
    if line_event_id:
        return Inquiry.objects.filter(line_event_id=line_event_id).first()
    if submission_key is not None:
        return Inquiry.objects.filter(submission_key=submission_key).first()
    return None
