"""Stored programme -> plain values for the pathway's :mod:`yotsu.pathway.progression`, and what follows a
logged day: proposals (applied at once when the clinic chose so), flare alerts and the gentle message.
Every rule is the pathway's; this module stores what it decides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yotsu.pathway import progression
from yotsu.pathway.exercises import Dose, Step
from yotsu_web.clinics.models import Membership
from yotsu_web.messaging.models import SystemText
from yotsu_web.messaging.send import post_system_message
from yotsu_web.programme.models import (
    Alert,
    AlertKind,
    ClinicProgrammeSettings,
    Decision,
    MorningPain,
    Programme,
    ProgrammeExercise,
    Proposal,
    SessionLog,
    Status,
)


def entry_states(programme: Programme, entries: list[ProgrammeExercise] | None = None) -> list[progression.EntryState]:
    entries = entries if entries is not None else list(programme.exercises.filter(active=True))
    sessions: dict[int, list[progression.LoggedSession]] = {e.pk: [] for e in entries}
    logs = SessionLog.objects.filter(entry__in=entries, pain_during__isnull=False, level=F("entry__level")).exclude(
        status=Status.SKIPPED
    )  # sessions at the entry's current level only: a step starts the count again
    for entry_id, day, pain in logs.values_list("entry_id", "date", "pain_during"):
        sessions[entry_id].append(progression.LoggedSession(day=day, pain_during=pain))
    return [
        progression.EntryState(
            key=e.pk,
            exercise=e.exercise,
            level=e.level,
            level_since=e.level_since,
            dose=e.dose,
            sessions=tuple(sessions[e.pk]),
        )
        for e in entries
    ]


def morning_pains(patient: Membership) -> dict[dt.date, float]:
    return dict(MorningPain.objects.filter(patient=patient).values_list("date", "pain_nrs"))


def auto_apply(programme: Programme) -> bool:
    found = ClinicProgrammeSettings.objects.filter(clinic_id=programme.patient.clinic_id).first()
    return bool(found and found.apply_progressions_automatically)


@transaction.atomic
def after_logged_day(programme: Programme, today: dt.date | None = None) -> None:
    """Run after every session or morning log: proposals for the last complete day, then alerts."""
    today = today or timezone.localdate()
    patient = programme.patient
    entries = list(programme.exercises.filter(active=True))
    states = entry_states(programme, entries)
    morning = morning_pains(patient)
    complete = [s.day for st in states for s in st.sessions if s.day + progression.ONE_DAY in morning]
    if complete:
        _propose(programme, entries, states, morning, max(complete), today)
    _flare_alert(programme, progression.flare_days(states, morning, programme.baseline_pain_nrs), today)


def _propose(
    programme: Programme,
    entries: list[ProgrammeExercise],
    states: list[progression.EntryState],
    morning: dict[dt.date, float],
    day: dt.date,
    today: dt.date,
) -> None:
    by_key = {e.pk: e for e in entries}
    drafts = {d.key: d for d in progression.programme_proposals(states, morning, programme.baseline_pain_nrs, day)}
    automatic = auto_apply(programme)
    flare_today = day in progression.flare_days(states, morning, programme.baseline_pain_nrs)
    for entry in entries:
        pending = entry.proposals.filter(decision=Decision.PENDING).first()
        draft = drafts.get(entry.pk)
        waiting = (
            None
            if pending is None
            else progression.PendingStep(
                day=pending.day, step=Step(pending.step), to_level=pending.to_level, to_dose=Dose(**pending.to_dose)
            )
        )
        action = progression.reconcile(waiting, draft, day, flare_today)
        if action in (progression.ProposalAction.WITHDRAW, progression.ProposalAction.REPLACE) and pending:
            pending.decision = Decision.SUPERSEDED
            pending.save(update_fields=["decision"])
        if action is not progression.ProposalAction.REPLACE or draft is None:
            continue
        if (
            Proposal.objects.filter(entry=entry, day=day, step=draft.step.value)
            .exclude(decision__in=[Decision.PENDING, Decision.SUPERSEDED])
            .exists()
        ):
            continue  # already decided for this day
        proposal = Proposal.objects.create(
            entry=entry,
            patient=programme.patient,
            day=day,
            step=draft.step.value,
            from_level=entry.level,
            to_level=draft.decision.level,
            to_dose=draft.to_dose.model_dump(),
            reason_en=draft.decision.reason("en"),
            reason_ja=draft.decision.reason("ja"),
        )
        if automatic:
            apply(
                proposal,
                by_key[entry.pk],
                None,
                Decision.AUTOMATIC,
                level=proposal.to_level,
                dose=Dose(**proposal.to_dose),
                on=today,
            )


def apply(
    proposal: Proposal,
    entry: ProgrammeExercise,
    user: object,
    decision: Decision,
    *,
    level: int,
    dose: Dose,
    reason: str = "",
    on: dt.date | None = None,
) -> None:
    """Set the entry to ``level`` and ``dose`` from ``on`` (default today) and record the decision."""
    entry.level = level
    entry.set_dose(dose)
    entry.level_since = on or timezone.localdate()
    entry.save()
    proposal.decision = decision
    proposal.decided_by = user  # type: ignore[assignment]
    proposal.decided_at = timezone.now()
    proposal.applied_level = level
    proposal.override_reason = reason
    proposal.save()


def _flare_alert(programme: Programme, flares: set[dt.date], today: dt.date) -> None:
    day = progression.flare_alert_day(flares, today)
    if day is not None:
        raise_alert(programme.patient, AlertKind.FLARE, day)


def raise_alert(patient: Membership, kind: AlertKind, day: dt.date) -> Alert | None:
    """Store the alert (once per kind and day) and send the patient a gentle message."""
    if Alert.objects.filter(patient=patient, kind=kind, resolved_at=None).exists():
        return None  # still open on the desk: the same flare or silence going on
    alert, created = Alert.objects.get_or_create(
        patient=patient, kind=kind, day=day, defaults={"clinic_id": patient.clinic_id}
    )
    if not created:
        return None
    post_system_message(patient, SystemText.FLARE if kind == AlertKind.FLARE else SystemText.NO_LOG)
    return alert


def check_inactivity(today: dt.date | None = None) -> int:
    """Raise the "no log" alert (the pathway's silence window) for every programme that went quiet;
    returns how many."""
    today = today or timezone.localdate()
    silence = progression.alert_rule().silence_days
    raised = 0
    for programme in (
        Programme.objects.select_related("patient")
        .filter(start_date__lte=today - dt.timedelta(days=silence))
        .exclude(patient__consents__withdrawn_at__isnull=False)  # withdrawn consent: no more processing
    ):
        last_log = (
            SessionLog.objects.filter(patient=programme.patient)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        day = progression.silence_alert_day(last_log, programme.start_date, today)
        if day is not None and raise_alert(programme.patient, AlertKind.NO_LOG, day):
            raised += 1
    return raised
