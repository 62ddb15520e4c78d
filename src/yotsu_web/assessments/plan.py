"""The plan page: the pathway's plan for the patient's STarT Back risk group (``yotsu.pathway.plan``).

The personal explanation and the simulated course under each plan will come from the model's API
(src/yotsu/model, in progress); the page keeps a marked place for them (``id="model-pending"``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yotsu.pathway.plan import build_plan, risk_group_of
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.access import own_record

PLAN_WEEKS = 12


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    start_back = (
        QuestionnaireResponse.objects.filter(patient=patient, instrument="start_back", completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )
    care_plan = build_plan(risk_group_of(start_back.result()), weeks=PLAN_WEEKS) if start_back else None
    context = {"clinic": patient.clinic, "plan": care_plan, "start_back": start_back}
    return render(request, "assessments/plan.html", context)
