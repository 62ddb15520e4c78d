"""The personal explanation: "what is pressing your brake", for the patient and on the practitioner's desk.

Every number comes from the pathway (profile, explain, figures); this module only finds the patient,
checks access, audits and renders. Figures are separate SVG responses (no inline style under the CSP).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu_web.assessments.catalogue import offers
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, own_record, post_only
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Membership
from yotsu_web.explain.forms import ProfileAnswersForm
from yotsu_web.explain.models import ProfileAnswers
from yotsu_web.explain.presentation import page
from yotsu_web.explain.service import (
    FIGURES,
    explanation_state,
    figure_svg,
    recorded_failure,
    retry_explanation,
)
from yotsu_web.journey.facts import mark_seen
from yotsu_web.journey.models import Page

#: Seconds before a page that waits for the first explanation reloads itself.
PREPARING_REFRESH = 5


def _context(patient: Membership, figure_urls: dict[str, str]) -> dict[str, Any]:
    """The stored explanation (never computed here: the worker does it); ``page`` None while the first one
    is being prepared, and then the page reloads itself, or when it could not be computed (``failed``: the
    page says so and does not reload)."""
    state = explanation_state(patient)
    personal = state.personal
    lang = current_lang()
    answerable = {o.instrument.id for o in offers(patient.clinic, lang) if o.readable}
    return {
        "clinic": patient.clinic, "patient": patient, "urls": figure_urls,
        "page": page(personal, lang, answerable) if personal is not None else None,
        "computed_at": personal.computed_at if personal is not None else None,
        "updating": personal.updating if personal is not None else False,
        "failed": state.failed,
        "refresh_seconds": PREPARING_REFRESH if personal is None and not state.failed else None,
    }  # fmt: skip


def _svg(text: str | None) -> HttpResponse:
    if text is None:
        label = escape(_("Your explanation is being prepared."))
        text = (f'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60"><text x="10" y="35" '
                f'font-size="16">{label}</text></svg>')  # fmt: skip
    response = HttpResponse(text, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"  # health data: no shared cache may keep it
    return response


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    mark_seen(patient, Page.EXPLANATION)
    urls = {name: reverse(f"explain:my-{name}", args=[slug]) for name in FIGURES}
    context = _context(patient, urls) | {"answer_links": True}
    answers = ProfileAnswers.objects.filter(patient=patient).first()
    context["form"] = ProfileAnswersForm(instance=answers, prefix="profile")
    return render(request, "explain/explanation.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the two single questions (sleep quality, life pressure); the explanation then updates."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    answers = ProfileAnswers.objects.filter(patient=patient).first() or ProfileAnswers(patient=patient)
    form = ProfileAnswersForm(request.POST, instance=answers, prefix="profile")
    if not form.is_valid():
        urls = {name: reverse(f"explain:my-{name}", args=[slug]) for name in FIGURES}
        context = _context(patient, urls) | {"form": form, "answer_links": True}
        return render(request, "explain/explanation.html", context, status=400)
    created = answers.pk is None
    saved = form.save()
    record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, saved)
    messages.success(request, _("Saved: your explanation now uses these answers."))
    return redirect("explain:mine", slug)


def _figure(request: HttpRequest, patient: Membership, which: str) -> HttpResponse:
    record(request, patient.clinic, Action.VIEW, patient)
    return _svg(figure_svg(patient, which, current_lang()))


@login_required
def my_course(request: HttpRequest, slug: str) -> HttpResponse:
    return _figure(request, own_record(request, slug), "course")


@login_required
def my_factors(request: HttpRequest, slug: str) -> HttpResponse:
    return _figure(request, own_record(request, slug), "factors")


@login_required
def patient(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The same explanation on the practitioner's desk, with the profile's parameters. Audited."""
    staff, record_ = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, record_)
    urls = {name: reverse(f"explain:patient-{name}", args=[slug, pk]) for name in FIGURES}
    context = _context(record_, urls) | {"desk": True, "explanation_failure": recorded_failure(record_)}
    return render(request, "explain/desk.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The desk's retry of an explanation the worker could not compute: queued again now. Audited."""
    staff, record_ = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    row = retry_explanation(record_)
    record(request, staff.clinic, Action.CHANGE, row)
    messages.success(request, _("The explanation will be computed again in a minute or so."))
    return redirect(_back(request, "desk:patient", slug, pk))


def _back(request: HttpRequest, default: str, slug: str, pk: int) -> str:
    """The desk page the retry was pressed on (the patient's page or their explanation's), else ``default``."""
    choices = {reverse(name, args=[slug, pk]) for name in ("desk:patient", "explain:patient")}
    wanted = request.POST.get("next", "")
    return wanted if wanted in choices else str(reverse(default, args=[slug, pk]))


@login_required
def patient_course(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _figure(request, clinic_patient(request, slug, pk)[1], "course")


@login_required
def patient_factors(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _figure(request, clinic_patient(request, slug, pk)[1], "factors")
