"""Which reminders are due now; each becomes a delivery row (unique per patient, day and channel) before
it is enqueued, so running the dispatcher twice, or on two workers, still sends one reminder."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yotsu_web.messaging.models import Channel
from yotsu_web.messaging.send import can_push, may_email, queue_delivery
from yotsu_web.programme.models import Programme, SessionLog
from yotsu_web.reminders.models import ReminderPreference


def dispatch(now: dt.datetime | None = None) -> int:
    """Queue today's reminder for every patient whose chosen time has come; returns how many were queued."""
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    prefs = ReminderPreference.objects.filter(enabled=True, time__lte=local.time()).select_related(
        "patient__clinic", "patient__user"
    )
    with_programme = set(
        Programme.objects.filter(patient__in=[p.patient for p in prefs]).values_list("patient_id", flat=True)
    )
    logged_today = set(SessionLog.objects.filter(date=today).values_list("patient_id", flat=True))
    queued = 0
    for pref in prefs:
        patient = pref.patient
        if patient.pk not in with_programme or patient.pk in logged_today:
            continue
        with transaction.atomic():
            if pref.by_email and may_email(patient, reminder=True):
                queued += queue_delivery(patient, f"reminder:{today.isoformat()}:email", Channel.EMAIL)
            if pref.by_line and can_push(patient):
                queued += queue_delivery(patient, f"reminder:{today.isoformat()}:line", Channel.LINE)
    return queued
