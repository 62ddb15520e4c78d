"""The plan page. The personal explanation and simulated courses will come from the model's API
(src/yotsu/model, in progress); until then this page shows the pathway's plan for the patient's
STarT Back risk group, if the pathway's plan builder is installed."""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.access import own_record


def plan_builder() -> Any | None:
    """``yotsu.pathway.plan`` if present (it is being written beside this app), else ``None``."""
    try:
        return importlib.import_module("yotsu.pathway.plan")
    except ImportError:
        return None


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    builder = plan_builder()
    start_back = (
        QuestionnaireResponse.objects.filter(patient=patient, instrument="start_back", completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )
    care_plan = None
    if builder is not None and start_back is not None:
        care_plan = builder.build_plan(builder.risk_group_of(start_back.result()), weeks=12)
    context = {
        "clinic": patient.clinic,
        "builder": builder is not None,
        "plan": care_plan,
        "start_back": start_back,
    }
    return render(request, "assessments/plan.html", context)
