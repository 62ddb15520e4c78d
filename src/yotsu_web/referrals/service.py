"""Recording a red flag, telling the clinic, and closing it with a doctor's clearance.

Every face that hears a red flag calls :func:`record_red_flag` (self-check, intake, diary, later
answers); the clinic is told at once: the desk lists the open flag first, and an e-mail (to the clinic's
notification address) and a LINE push (to the clinic's alert contact, when set) leave through the
delivery queue. The e-mail and the push name the flag, when and where it was answered and link to the
desk; they never carry the patient's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yotsu.pathway.referral import Referral, clearance_required, referral_for
from yotsu_web.clinics.models import Membership
from yotsu_web.messaging.models import Channel, LineChannel
from yotsu_web.messaging.send import queue_delivery
from yotsu_web.referrals.models import AlertContact, Clearance, Outcome, RedFlagEvent

PURPOSE = "redflag"


def record_red_flag(
    patient: Membership,
    source: str,
    route: str,
    flags: Iterable[str],
    *,
    answered_at: dt.datetime | None = None,
    where: str = "",
    actor_id: int | None = None,
) -> RedFlagEvent | None:
    """Store the raised ``flags`` for ``patient`` and tell the clinic; None when ``flags`` is empty.

    ``source`` is a :class:`~yotsu_web.referrals.models.Source` value, ``route`` triage's route
    (kept as answered; the portal recomputes the steps from the flags), ``where`` a short detail (e.g.
    "web self-check", "intake form of 2026-12-01")."""
    flags = list(dict.fromkeys(flags))
    if referral_for(flags) is None:  # also checks that every flag id is known
        return None
    with transaction.atomic():
        event = RedFlagEvent.objects.create(
            patient=patient,
            source=source,
            route=route,
            flags=flags,
            where=where[:200],
            answered_at=answered_at or timezone.now(),
            actor_id=actor_id,
        )
        notify_clinic(event)
    return event


def notify_clinic(event: RedFlagEvent) -> list[str]:
    """Queue the e-mail and (where set) the LINE push for ``event``; the channels queued."""
    clinic = event.patient.clinic
    queued = []
    if clinic.notification_email:
        queue_delivery(event.patient, f"{PURPOSE}:{event.pk}:email", Channel.EMAIL)
        queued.append(Channel.EMAIL.value)
    contact = AlertContact.objects.filter(clinic=clinic).exclude(line_user_id="").first()
    if contact is not None and LineChannel.objects.filter(clinic=clinic).exists():
        queue_delivery(event.patient, f"{PURPOSE}:{event.pk}:line", Channel.LINE)
        queued.append(Channel.LINE.value)
    return queued


def open_events(patient: Membership) -> list[RedFlagEvent]:
    return list(RedFlagEvent.objects.filter(patient=patient, cleared_by__isnull=True).order_by("-answered_at", "-pk"))


@dataclass(frozen=True)
class OpenReferral:
    """The patient's open red flags and the pathway's referral for all of them together."""

    events: list[RedFlagEvent]
    referral: Referral

    @property
    def since(self) -> dt.datetime:
        return min(e.answered_at for e in self.events)


def open_referral(patient: Membership) -> OpenReferral | None:
    """The open referral of ``patient`` (None when every flag is cleared or none was raised)."""
    events = open_events(patient)
    flags = [f for e in events for f in e.flags]
    if not clearance_required(flags):
        return None
    referral = referral_for(flags)
    return OpenReferral(events, referral) if referral is not None else None


def open_referral_once(request: object, patient: Membership) -> OpenReferral | None:
    """:func:`open_referral`, asked once per request (the page and base.html's referral card both ask)."""
    memo: dict[int, OpenReferral | None] = request.__dict__.setdefault("_yotsu_open_referral", {})
    if patient.pk not in memo:
        memo[patient.pk] = open_referral(patient)
    return memo[patient.pk]


def last_cleared(patient: Membership) -> dt.datetime | None:
    """When a doctor's clearance last closed the patient's flags: older reports no longer alert."""
    row = Clearance.objects.filter(patient=patient, outcome=Outcome.CLEARED).order_by("-recorded_at").first()
    return row.recorded_at if row is not None else None


def record_clearance(
    patient: Membership, *, doctor: str, seen_on: dt.date, outcome: str, note: str, recorded_by: object
) -> Clearance:
    """Store a doctor's clearance; a ``cleared`` outcome closes every open flag, ``under_care`` keeps them."""
    with transaction.atomic():
        clearance = Clearance.objects.create(
            patient=patient, doctor=doctor, seen_on=seen_on, outcome=outcome, note=note, recorded_by=recorded_by
        )
        if outcome == Outcome.CLEARED:
            RedFlagEvent.objects.filter(patient=patient, cleared_by__isnull=True).update(cleared_by=clearance)
    return clearance


def notify_support(patient: Membership, response_id: int) -> list[str]:
    """Tell the clinic that a questionnaire answer warrants support (e-mail, and LINE where set)."""
    clinic = patient.clinic
    queued = []
    if clinic.notification_email:
        queue_delivery(patient, f"support:{response_id}:email", Channel.EMAIL)
        queued.append(Channel.EMAIL.value)
    contact = AlertContact.objects.filter(clinic=clinic).exclude(line_user_id="").first()
    if contact is not None and LineChannel.objects.filter(clinic=clinic).exists():
        queue_delivery(patient, f"support:{response_id}:line", Channel.LINE)
        queued.append(Channel.LINE.value)
    return queued
