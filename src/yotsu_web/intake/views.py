"""The intake on the patient's phone, one step per page, and the practitioner's view of it on the desk.

The intake opens with its own secret (``?t=``, carried in the POST body on submit), or for a logged-in
patient from their account; a wrong secret is 404, another patient's intake does not exist for you. Each
step is stored on submit; a POST for another step than the current one (an old tab) is ignored and the
current step shown. The steps and their order are the pathway's (``yotsu.pathway.intake``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yotsu.pathway import triage
from yotsu.pathway.instruments import instrument
from yotsu.pathway.intake import IntakeStatus, IntakeStep, StepKind
from yotsu.pathway.referral import referral_for
from yotsu.pathway.triage import triage_rules
from yotsu_web.accounts.consent import ConsentWithdrawn, consent_due
from yotsu_web.accounts.models import Consent
from yotsu_web.assessments.catalogue import clinic_texts
from yotsu_web.assessments.views import instrument_name
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.booking.models import Booking
from yotsu_web.clinics.access import member_of, own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import STAFF_ROLES
from yotsu_web.intake import service
from yotsu_web.intake.forms import DrawingForm, FreeTextForm, IdentityForm, QuestionnaireForm
from yotsu_web.intake.models import Intake
from yotsu_web.records.drawing import drawing_views
from yotsu_web.referrals.notify import flag_names
from yotsu_web.referrals.service import OpenReferral
from yotsu_web.selfcheck.forms import ScopeForm


def _visible_intake(request: HttpRequest, slug: str, pk: int) -> Intake | HttpResponse:
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    intake = get_object_or_404(
        Intake.objects.select_related("booking__clinic", "booking__visit_type", "patient__user"),
        booking__clinic__slug=slug, booking__pk=pk,
    )  # fmt: skip
    if token:
        if not constant_time_compare(token, intake.token):
            raise Http404
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    else:
        patient = own_record(request, slug)
        if patient.pk not in {intake.booking.patient_id, intake.patient_id}:
            raise Http404  # another patient's intake does not exist for you
    if (
        intake.patient is not None
        and Consent.objects.filter(patient=intake.patient, withdrawn_at__isnull=False).exists()
    ):
        raise ConsentWithdrawn(intake.patient)
    return intake


def _here(intake: Intake, token: str) -> str:
    url = reverse("intake:fill", args=[intake.booking.clinic.slug, intake.booking.pk])
    return f"{url}?t={token}" if token else url


def _known_age(intake: Intake) -> int | None:
    user = intake.patient.user if intake.patient is not None else None
    return user.age_on(timezone.localdate()) if user is not None else None


def _step_form(request: HttpRequest, intake: Intake, step: IntakeStep, data: Any) -> Any:
    patient = intake.patient
    if step.kind is StepKind.IDENTITY:
        user = patient.user if patient is not None else None
        initial = (
            {f: getattr(user, f) for f in ("full_name", "furigana", "birth_date", "phone")}
            if user is not None
            else {"full_name": intake.booking.guest_name, "phone": intake.booking.guest_phone}
        )
        ask_consent = patient is None or consent_due(patient)
        return IdentityForm(data, initial=initial, ask_consent=ask_consent)
    if step.kind is StepKind.RED_FLAGS:
        return ScopeForm(data, hide_flags=False, known_age=_known_age(intake))
    if step.kind is StepKind.QUESTIONNAIRE:
        assert step.instrument is not None
        texts = clinic_texts(intake.booking.clinic, step.instrument)
        return QuestionnaireForm(data, inst=instrument(step.instrument), texts=texts)
    if step.kind is StepKind.PAIN_DRAWING:
        return DrawingForm(data, initial={"pain_regions": intake.pain_regions})
    return FreeTextForm(data, initial={"chief_complaint": intake.chief_complaint, "wishes": intake.wishes})


def _store(request: HttpRequest, intake: Intake, step: IntakeStep, form: Any, lang: str) -> None:
    if step.kind is StepKind.IDENTITY:
        service.store_identity(intake, form.identity(), "consent" in form.cleaned_data, lang)
    elif step.kind is StepKind.RED_FLAGS:
        answers = form.answers()
        service.store_triage(intake, answers, triage(answers), lang, request.user.pk)
    elif step.kind is StepKind.QUESTIONNAIRE:
        assert step.instrument is not None
        service.store_questionnaire(intake, step.instrument, form.answers(), lang)
    elif step.kind is StepKind.PAIN_DRAWING:
        service.store_drawing(intake, form.cleaned_data["pain_regions"], lang)
    else:
        service.store_free_text(intake, form.cleaned_data["chief_complaint"], form.cleaned_data["wishes"], lang)


def _referral(intake: Intake) -> OpenReferral | None:
    event = intake.red_flag_event
    referral = referral_for(intake.raised_flags)
    return OpenReferral([event], referral) if event is not None and referral is not None else None


@require_http_methods(["GET", "HEAD", "POST"])
def fill(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _visible_intake(request, slug, pk)
    if isinstance(found, HttpResponse):
        return found
    intake, lang = found, current_lang()
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    state = service.progress(intake, lang)
    step = state.current
    if step is not None and step.kind is StepKind.IDENTITY and service.identity_known(intake.patient):
        state = service.store_identity(intake, {}, False, lang)  # prefilled from the account: nothing to ask
        step = state.current
    context: dict[str, Any] = {"clinic": intake.booking.clinic, "intake": intake, "state": state, "token": token}
    if step is None:
        context["open"] = _referral(intake)
        template = "intake/stopped.html" if state.status is IntakeStatus.RED_FLAG else "intake/done.html"
        return render(request, template, context)
    posted = request.method == "POST" and request.POST.get("step") == step.key
    form = _step_form(request, intake, step, request.POST if posted else None)
    if posted and form.is_valid():
        _store(request, intake, step, form, lang)
        return redirect(_here(intake, token))
    context |= {"step": step, "form": form}
    if step.kind is StepKind.QUESTIONNAIRE:
        inst = instrument(step.instrument or "")
        context["instrument_name"] = inst.name(lang)
        context["recall"] = inst.recall.get(lang, "")
    if step.kind is StepKind.PAIN_DRAWING:
        context["views"] = drawing_views(form["pain_regions"].value() or [])
    return render(request, "intake/step.html", context, status=400 if posted else 200)


ROUTE_LABELS = {
    "emergency": _("Emergency: to hospital today"),
    "urgent": _("Urgent: a doctor within days"),
    "routine_medical": _("A doctor's check first"),
    "in_scope": _("No red flag: the programme fits"),
    "out_of_scope": _("No red flag, but outside the programme's scope"),
}


def intake_summary(intake: Intake, lang: str) -> dict[str, Any]:
    """What the desk shows of an intake: status and triage first, then the answers."""
    check = intake.self_check
    answers = check.answers if check is not None else {}
    questions = dict(triage_rules().flag_questions())
    return {
        "intake": intake,
        "state": service.progress(intake, lang),
        "route_label": ROUTE_LABELS.get(intake.route, intake.route),
        "flags": flag_names(list(intake.raised_flags), lang),
        "open": _referral(intake),
        "self_check": check,
        "yes_answers": [questions[q](lang) for q, v in answers.items() if v is True and q in questions],
        "age_years": answers.get("age_years"),
        "pain_duration_weeks": answers.get("pain_duration_weeks"),
        "responses": [(r, instrument_name(r.instrument, lang)) for r in service.responses(intake)],
        "views": drawing_views(intake.pain_regions),
    }


@login_required
def desk(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A booking's intake on the desk: status, the triage route on top, the answers. Audited."""
    staff = member_of(request, slug, STAFF_ROLES)
    booking = get_object_or_404(Booking.objects.select_related("visit_type"), clinic=staff.clinic, pk=pk)
    intake = Intake.objects.filter(booking=booking).select_related("patient__user", "self_check").first()
    if intake is None:
        raise Http404
    record(request, staff.clinic, Action.VIEW, intake)
    context = {
        "clinic": staff.clinic,
        "booking": booking,
        "starts_at": timezone.localtime(booking.starts_at),
        "summary": intake_summary(intake, current_lang()),
    }
    return render(request, "intake/desk.html", context)
