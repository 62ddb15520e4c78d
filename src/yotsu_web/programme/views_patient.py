"""The patient's side of the home programme: today's exercises, two-tap logging, next-morning pain."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record, post_only
from yotsu_web.clinics.models import Membership
from yotsu_web.journey.facts import mark_seen
from yotsu_web.journey.models import Page
from yotsu_web.plans.changes import exercise_name
from yotsu_web.programme.adherence import bars_svg, weekly
from yotsu_web.programme.forms import LogForm, MorningForm
from yotsu_web.programme.models import Decision, MorningPain, Programme, ProgrammeExercise, Proposal, SessionLog
from yotsu_web.programme.services import after_logged_day

ADHERENCE_WEEKS = 8


def needs_morning_pain(patient: Membership, today: dt.date) -> bool:
    """Yesterday had a session and this morning's pain is not logged yet (asked on the first visit)."""
    yesterday = today - dt.timedelta(days=1)
    return (
        SessionLog.objects.filter(patient=patient, date=yesterday, pain_during__isnull=False).exists()
        and not MorningPain.objects.filter(patient=patient, date=today).exists()
    )


@login_required
def today(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    programme = Programme.objects.filter(patient=patient).first()
    context: dict[str, object] = {"clinic": patient.clinic, "programme": programme}
    if programme is not None:
        day = timezone.localdate()
        entries = list(programme.exercises.filter(active=True))
        logs = {log.entry_id: log for log in SessionLog.objects.filter(entry__in=entries, date=day)}
        weeks = weekly([programme], day, ADHERENCE_WEEKS)[patient.pk]
        context |= {
            "today": day,
            "rows": [
                (e, logs.get(e.pk), LogForm(initial={"entry": e.pk, "status": "done"}, prefix=f"e{e.pk}"))
                for e in entries
            ],
            "ask_morning": needs_morning_pain(patient, day),
            "morning_form": MorningForm(),
            "weeks": weeks,
            "bars": bars_svg(weeks, _("Sessions done per week")),
            "proposed": Proposal.objects.filter(patient=patient, decision=Decision.PENDING).select_related("entry"),
            "moved_up": Proposal.objects.filter(
                patient=patient, step="progress", decision__in=[Decision.ACCEPTED, Decision.AUTOMATIC]
            ).select_related("entry")[:10],
        }
        record(request, patient.clinic, Action.VIEW, programme)
    mark_seen(patient, Page.EXERCISES)
    return render(request, "programme/today.html", context)


@login_required
def log_session(request: HttpRequest, slug: str) -> HttpResponse:
    """Two taps: done / partly / not today, then pain during (0-10). The entry id travels in the body."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    entry_id = request.POST.get("entry", "")
    entry = get_object_or_404(ProgrammeExercise, pk=int(entry_id) if entry_id.isdigit() else 0, patient=patient)
    form = LogForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    day = timezone.localdate()
    with transaction.atomic():
        log, created = SessionLog.objects.update_or_create(
            entry=entry,
            date=day,
            defaults={
                "patient": patient,
                "status": form.cleaned_data["status"],
                "pain_during": form.cleaned_data["pain"],
                "level": entry.level,
            },
        )
        record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, log)
        after_logged_day(entry.programme, day)
    messages.success(
        request, _("Saved: {exercise} is logged for today.").format(exercise=exercise_name(entry.exercise_id))
    )
    return redirect("programme:today", slug)


@login_required
def log_morning(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    programme = get_object_or_404(Programme, patient=patient)
    form = MorningForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    day = timezone.localdate()
    with transaction.atomic():
        morning, created = MorningPain.objects.update_or_create(
            patient=patient, date=day, defaults={"pain_nrs": form.cleaned_data["pain"]}
        )
        record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, morning)
        after_logged_day(programme, day)
    messages.success(request, _("Saved: this morning's pain."))
    return redirect("programme:today", slug)
