"""The patient's referral page and the practitioner's clearance. Both audited."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, own_record, post_only
from yotsu_web.referrals.forms import ClearanceForm
from yotsu_web.referrals.service import open_referral, record_clearance


@login_required
def referral(request: HttpRequest, slug: str) -> HttpResponse:
    """What to do, how urgently, where: the open referral in full (or that there is none)."""
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return render(request, "referrals/referral.html", {"clinic": patient.clinic, "open": open_referral(patient)})


@login_required
def clearance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The practitioner records that a doctor has seen the patient (who, when, outcome)."""
    staff, patient = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    form = ClearanceForm(request.POST, prefix="clearance")
    if not form.is_valid():
        context = {"clinic": staff.clinic, "patient": patient, "open": open_referral(patient), "form": form}
        return render(request, "referrals/clearance_needed.html", context, status=400)
    saved = record_clearance(patient, recorded_by=request.user, **form.cleaned_data)
    record(request, staff.clinic, Action.CREATE, saved)
    messages.success(request, _("Saved: the doctor's visit is recorded."))
    return redirect("desk:patient", slug, pk)


View = Callable[..., HttpResponse]


def needs_clearance(view: View) -> View:
    """For a practitioner's builder (plan, programme): while the patient has an open red flag, show the
    warning and the clearance form instead (409 for a POST), as the pathway's rule asks."""

    @wraps(view)
    def guarded(request: HttpRequest, slug: str, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        staff, patient = clinic_patient(request, slug, pk)
        pending = open_referral(patient)
        if pending is None:
            return view(request, slug, pk, *args, **kwargs)
        form = ClearanceForm(prefix="clearance")
        context = {"clinic": staff.clinic, "patient": patient, "open": pending, "form": form}
        return render(
            request, "referrals/clearance_needed.html", context, status=409 if request.method == "POST" else 200
        )

    return guarded
