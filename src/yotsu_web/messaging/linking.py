"""Linking a patient's LINE account: the portal shows a one-time code, the patient sends it to the
clinic's LINE account, and the webhook links that LINE user to the patient."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from yotsu_web.clinics.models import Clinic, Membership
from yotsu_web.messaging.models import Channel, LineLink, LinkCode, Message, Origin

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
CODE_LIFETIME = dt.timedelta(minutes=30)


def new_code(patient: Membership) -> LinkCode:
    """A fresh code for ``patient`` (earlier unused codes stop working)."""
    LinkCode.objects.filter(patient=patient, used_at=None).update(expires_at=timezone.now())
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return LinkCode.objects.create(
                    patient=patient, clinic=patient.clinic, code=code, expires_at=timezone.now() + CODE_LIFETIME
                )
        except IntegrityError:
            continue


def _normalise(text: str) -> str:
    return "".join(text.split()).upper()


@transaction.atomic
def receive_line_text(clinic: Clinic, line_user_id: str, text: str, event_id: str | None) -> bool:
    """Handle a LINE text message for the thread; False means it is not for a thread (an inquiry)."""
    if not line_user_id:
        return False
    link = LineLink.objects.filter(clinic=clinic, line_user_id=line_user_id).select_related("patient").first()
    if link is None:
        candidate = _normalise(text)
        if len(candidate) != CODE_LENGTH:
            return False
        code = (
            LinkCode.objects.select_for_update()
            .filter(clinic=clinic, code=candidate, used_at=None, expires_at__gt=timezone.now())
            .first()
        )
        if code is None:
            return False
        code.used_at = timezone.now()
        code.save(update_fields=["used_at"])
        LineLink.objects.filter(patient=code.patient).delete()
        LineLink.objects.create(patient=code.patient, clinic=clinic, line_user_id=line_user_id)
        return True
    if event_id and Message.objects.filter(line_event_id=event_id).exists():
        return True  # LINE redelivered an event we already stored
    Message.objects.create(
        patient=link.patient, origin=Origin.PATIENT, channel=Channel.LINE, text=text, line_event_id=event_id or None
    )
    return True
