"""The patient's plan page: the plan in force (the practitioner's latest version, or the pathway's plan for
the STarT Back risk group), this week's sessions and exercises at the level the pathway's progression
rule has reached, a form for the pain response after an exercise, and the start of the personal
explanation with the simulated course under each plan (``yotsu_web.explain``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.diary.models import SESSION_KIND_LABELS
from yotsu_web.explain.presentation import page
from yotsu_web.explain.service import personal_explanation
from yotsu_web.plans.current import current_plan
from yotsu_web.plans.forms import ExerciseLogForm
from yotsu_web.plans.progression import exercise_progress

TOP_DANGERS = 3


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    current = current_plan(patient)
    lang = current_lang()
    progress = exercise_progress(patient, current) if current is not None else []
    choices = [(p.planned.exercise.id, p.planned.exercise.name(lang)) for p in progress]
    form = ExerciseLogForm(request.POST or None, exercises=choices, prefix="log")
    if request.method == "POST":
        if current is not None and form.is_valid():
            log = form.save(commit=False)
            log.patient = patient
            log.save()
            record(request, patient.clinic, Action.CREATE, log)
            return redirect("assessments:plan", slug)
    else:
        record(request, patient.clinic, Action.VIEW, patient)
    today = timezone.localdate()
    week = current.week(today) if current is not None else None
    explanation = page(personal_explanation(patient), lang)
    context = {
        "clinic": patient.clinic,
        "current": current,
        "plan": current.plan if current is not None else None,
        "week": week + 1 if week is not None else None,
        "sessions": [
            (day, SESSION_KIND_LABELS[s.kind])
            for day, s in (current.sessions_in_week(week) if current and week is not None else [])
        ],
        "progress": progress,
        "form": form,
        "dangers": explanation.dangers[:TOP_DANGERS],
        "explanation": explanation,
        "course_url": reverse("explain:my-course", args=[slug]),
    }
    return render(request, "assessments/plan.html", context, status=400 if request.method == "POST" else 200)
