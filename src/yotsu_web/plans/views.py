"""The practitioner edits a patient's plan; each save is a new version, audited and on the timeline."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient
from yotsu_web.plans.changes import change_lines, changes_between, choices_of
from yotsu_web.plans.current import current_plan
from yotsu_web.plans.forms import PlanForm, plan_initial
from yotsu_web.plans.models import PlanVersion
from yotsu_web.referrals.views import needs_clearance


@login_required
@needs_clearance
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    current = current_plan(patient)
    before = choices_of(current)
    form = PlanForm(request.POST or None, initial=plan_initial(before), prefix="plan")
    if request.method == "POST" and form.is_valid():
        after = form.choices()
        changes = changes_between(before, after)
        with transaction.atomic():
            version = PlanVersion.objects.create(
                patient=patient,
                changed_by=request.user,
                start_date=dt.date.fromisoformat(after["start_date"]),
                risk_group=after["risk_group"],
                weeks=after["weeks"],
                sleep_care=after["sleep_care"],
                massage_pressure=after["massage_pressure"],
                changes=changes,
                note=form.cleaned_data["note"],
            )
            changed = current is not None and not current.is_default  # the default is no one's plan yet
            record(request, staff.clinic, Action.CHANGE if changed else Action.CREATE, version)
        return redirect("desk:patient", slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    versions = list(PlanVersion.objects.filter(patient=patient).select_related("changed_by").order_by("-created_at"))
    context = {
        "clinic": staff.clinic,
        "patient": patient,
        "form": form,
        "current": current,
        "history": [(v, change_lines(v.changes)) for v in versions],
    }
    return render(request, "plans/edit.html", context, status=400 if request.method == "POST" else 200)
