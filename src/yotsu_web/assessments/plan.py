"""The patient's plan page: the plan in force (the practitioner's latest version, or the pathway's plan for
the STarT Back risk group), this week's sessions, the home programme's exercises (logged on the
programme's page, the one place to log them), and the start of the personal explanation with the
simulated course under each plan (``yotsu_web.explain``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.diary.models import SESSION_KIND_LABELS
from yotsu_web.explain.presentation import page
from yotsu_web.explain.service import explanation_state
from yotsu_web.journey.facts import mark_seen
from yotsu_web.journey.models import Page
from yotsu_web.plans.current import current_plan
from yotsu_web.programme.models import ProgrammeExercise

TOP_DANGERS = 3


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)  # access first: another clinic's member gets 403 on any method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    current = current_plan(patient)
    lang = current_lang()
    record(request, patient.clinic, Action.VIEW, patient)
    mark_seen(patient, Page.PLAN)
    exercises = list(ProgrammeExercise.objects.filter(patient=patient, active=True).order_by("position", "pk"))
    today = timezone.localdate()
    week = current.week(today) if current is not None else None
    state = explanation_state(patient)  # the worker computes it; None while the first is prepared or failed
    personal = state.personal
    explanation = page(personal, lang) if personal is not None else None
    context = {
        "clinic": patient.clinic,
        "current": current,
        "plan": current.plan if current is not None else None,
        "week": week + 1 if week is not None else None,
        "sessions": [
            (day, SESSION_KIND_LABELS[s.kind])
            for day, s in (current.sessions_in_week(week) if current and week is not None else [])
        ],
        "exercises": exercises,
        "dangers": explanation.dangers[:TOP_DANGERS] if explanation is not None else [],
        "explanation": explanation,
        "explanation_failed": state.failed and explanation is None,
        "course_url": reverse("explain:my-course", args=[slug]),
    }
    return render(request, "assessments/plan.html", context)
