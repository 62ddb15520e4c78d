"""The public self-check: red flags first (any flag stops with its referral), then the scope check.

Nothing is stored: the red-flag answers travel to the second step as hidden form fields (in the
POST body, never the URL). A logged-in patient of the clinic may choose to save the result.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu._strict import parse_json
from yotsu.pathway import PathwayError, TriageResult, age_years_on, triage, triage_flags
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record, post_only
from yotsu_web.clinics.models import Clinic, Membership, Role
from yotsu_web.referrals.models import Source
from yotsu_web.referrals.service import record_red_flag
from yotsu_web.selfcheck.forms import RedFlagForm, ScopeForm
from yotsu_web.selfcheck.models import SavedSelfCheck


def _result(request: HttpRequest, clinic: Clinic, result: TriageResult, answers: dict[str, Any]) -> HttpResponse:
    patient = Membership.objects.filter(clinic=clinic, user_id=request.user.pk, role=Role.PATIENT).first()
    can_save = patient is not None
    if patient is not None and result.is_referral:  # a patient's red flag reaches the clinic at once
        record_red_flag(
            patient, Source.SELFCHECK, result.route.value, result.raised_flags,
            where="web self-check", actor_id=request.user.pk,
        )  # fmt: skip
    context = {
        "clinic": clinic,
        "result": result,
        "answers_json": json.dumps(answers),
        "can_save": can_save,
    }
    return render(request, "selfcheck/result.html", context)


def _known_age(request: HttpRequest) -> int | None:
    """The logged-in person's age from their account's date of birth (the pathway counts the years)."""
    born = getattr(request.user, "birth_date", None)
    return None if born is None else age_years_on(born, timezone.localdate())


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "scope":
        scope = ScopeForm(request.POST)
        if scope.is_valid():
            answers = scope.answers()
            return _result(request, clinic, triage(answers), answers)
        return render(request, "selfcheck/scope.html", {"clinic": clinic, "form": scope})
    form = RedFlagForm(request.POST if step == "flags" else None, known_age=_known_age(request))
    if step == "flags" and form.is_valid():
        answers = form.answers()
        referral = triage_flags(answers)
        if referral is not None:
            return _result(request, clinic, referral, answers)
        initial = {key: value if key in form.NUMBERS else "yes" if value else "no" for key, value in answers.items()}
        return render(request, "selfcheck/scope.html", {"clinic": clinic, "form": ScopeForm(initial=initial)})
    return render(request, "selfcheck/flags.html", {"clinic": clinic, "form": form})


@login_required
def save(request: HttpRequest, slug: str) -> HttpResponse:
    """Keep the self-check in the patient's record; the route is recomputed, never taken from the form."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        answers = parse_json(request.POST.get("answers", ""), "answers")  # no key twice, no NaN
        result = triage(answers) if isinstance(answers, dict) else None
    except (ValueError, KeyError, PathwayError):
        result = None
    if result is None:
        return HttpResponseBadRequest()
    saved = SavedSelfCheck.objects.create(
        patient=patient, route=result.route.value, raised_flags=list(result.raised_flags), answers=answers
    )
    record(request, patient.clinic, Action.CREATE, saved)
    messages.success(request, _("Saved: your self-check is in your record."))
    return redirect("clinics:portal", slug)
