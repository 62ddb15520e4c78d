"""Putting messages in a patient's thread, and queueing what must leave by LINE or e-mail.

Views and services only create rows and enqueue (after the transaction commits); the worker sends.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction

from yotsu_web.clinics.models import Membership
from yotsu_web.messaging.models import Channel, Delivery, LineChannel, LineLink, Message, Origin, SystemText

if TYPE_CHECKING:
    from yotsu_web.booking.models import Booking


def can_push(patient: Membership) -> bool:
    return (
        LineLink.objects.filter(patient=patient).exists()
        and LineChannel.objects.filter(clinic_id=patient.clinic_id).exists()
    )


def may_email(patient: Membership, *, reminder: bool) -> bool:
    """Whether the patient's e-mail address may be written to: a message about something the patient just
    did or that the clinic changed (a booking's confirmation, move, cancellation) goes to the address as
    typed; reminders only once the patient confirmed the address (``User.email_confirmed_at``), or to an
    address given before confirmation existed (``User.email_confirmation_required`` off)."""
    user = patient.user
    return bool(user.email) and (not reminder or bool(user.email_may_remind))


def queue_delivery(patient: Membership, purpose: str, channel: str) -> bool:
    """Create the delivery for ``purpose`` and enqueue its send after commit; False when it already existed
    (the unique (patient, purpose) makes a second call a no-op; the sweep retries what is left pending)."""
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            patient=patient, purpose=purpose, defaults={"key": uuid.uuid4(), "channel": channel}
        )
    if created:
        from yotsu_web.messaging.tasks import send_delivery

        key = str(delivery.key)
        transaction.on_commit(lambda: send_delivery(key))
    return created


def queue_guest_email(booking: Booking, purpose: str) -> bool:
    """The same for a guest's booking (no patient record): an e-mail to the address the guest gave."""
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            patient=None,
            guest_booking=booking,
            purpose=purpose,
            defaults={"key": uuid.uuid4(), "channel": Channel.EMAIL},
        )
    if created:
        from yotsu_web.messaging.tasks import send_delivery

        key = str(delivery.key)
        transaction.on_commit(lambda: send_delivery(key))
    return created


def post_system_message(patient: Membership, text: SystemText) -> Message:
    message = Message.objects.create(patient=patient, origin=Origin.SYSTEM, system_text=text)
    if can_push(patient):
        queue_delivery(patient, f"message:{message.pk}", Channel.LINE)
    return message


def post_clinic_message(patient: Membership, author: object, text: str) -> Message:
    """A practitioner's reply: in the thread, and pushed by LINE when the patient linked LINE."""
    linked = can_push(patient)
    message = Message.objects.create(
        patient=patient, origin=Origin.CLINIC, author=author, text=text, channel=Channel.LINE if linked else Channel.WEB
    )
    if linked:
        queue_delivery(patient, f"message:{message.pk}", Channel.LINE)
    return message
