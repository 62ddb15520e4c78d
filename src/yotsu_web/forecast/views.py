"""The personal forecast: "from your diary so far", for the patient and on the practitioner's desk.

The fit runs in the task queue (``service.request_fit``); these views only find the patient, check access,
audit and render the latest stored fit with its date. The fan chart is a separate SVG response.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from yotsu.pathway.figures import forecast_figure
from yotsu.pathway.personal import PersonalFit
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Membership
from yotsu_web.forecast.models import PersonalForecast
from yotsu_web.forecast.presentation import forecast_page
from yotsu_web.forecast.service import request_fit
from yotsu_web.referrals.service import open_referral


def _page(request: HttpRequest, patient: Membership, template: str, desk: bool, fan_url: str) -> HttpResponse:
    record(request, patient.clinic, Action.VIEW, patient)
    row = request_fit(patient)
    context = {
        "clinic": patient.clinic, "patient": patient, "fan_url": fan_url,
        "page": forecast_page(row, patient, current_lang(), desk=desk),
        "referral": open_referral(patient),
    }  # fmt: skip
    return render(request, template, context)


def _fan(request: HttpRequest, patient: Membership) -> HttpResponse:
    record(request, patient.clinic, Action.VIEW, patient)
    row = PersonalForecast.objects.filter(patient=patient).first()
    fit = PersonalFit.model_validate(row.result) if row is not None and row.result is not None else None
    if fit is None or fit.red_flag or not fit.forecasts:
        text = escape(_("No forecast to show yet."))
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60"><text x="10" y="35" '
               f'font-size="16">{text}</text></svg>')  # fmt: skip
    else:
        buffer = io.StringIO()
        forecast_figure(fit, current_lang()).savefig(buffer, format="svg", bbox_inches="tight")
        svg = buffer.getvalue()
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"  # health data: no shared cache may keep it
    return response


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, own_record(request, slug), "forecast/mine.html", False,
                 reverse("forecast:my-fan", args=[slug]))  # fmt: skip


@login_required
def my_fan(request: HttpRequest, slug: str) -> HttpResponse:
    return _fan(request, own_record(request, slug))


@login_required
def patient(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _page(request, clinic_patient(request, slug, pk)[1], "forecast/desk.html", True,
                 reverse("forecast:patient-fan", args=[slug, pk]))  # fmt: skip


@login_required
def patient_fan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _fan(request, clinic_patient(request, slug, pk)[1])
