"""The practitioner's desk: the clinic's patients with their status, one patient's timeline,
in-clinic body-map tests and notes. Every view or change of a patient record is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yotsu_web.accounts.identity import to_katakana
from yotsu_web.accounts.models import Consent
from yotsu_web.audit.log import PATIENT_LIST, record, record_list
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, member_of, post_only
from yotsu_web.clinics.figures import svg_response
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import STAFF_ROLES, Membership, Role
from yotsu_web.desk.forms import ClinicTestForm, NoteForm
from yotsu_web.desk.status import patient_status
from yotsu_web.desk.timeline import timeline_page
from yotsu_web.diary.charts import diary_charts, diary_figure
from yotsu_web.diary.records import alerts_for, pathway_diary
from yotsu_web.explain.service import recorded_failure
from yotsu_web.exports.models import DeletionRequest
from yotsu_web.intake.models import Intake
from yotsu_web.intake.views import intake_summary
from yotsu_web.referrals.forms import ClearanceForm
from yotsu_web.referrals.service import open_referral


@login_required
def patients(request: HttpRequest, slug: str) -> HttpResponse:
    """The clinic's patients, most in need of attention first; ``?q=`` finds them by name, reading or username
    (a reading may be typed in hiragana or katakana)."""
    staff = member_of(request, slug, STAFF_ROLES)
    today = timezone.localdate()
    query = " ".join(request.GET.get("q", "").split())[:100]
    rows = (
        Membership.objects.filter(clinic=staff.clinic, role=Role.PATIENT)
        .select_related("user")
        .order_by("user__furigana", "user__username")
    )
    for word in query.split():  # every word must match one of the fields
        rows = rows.filter(
            Q(user__full_name__icontains=word)
            | Q(user__furigana__icontains=to_katakana(word))
            | Q(user__username__icontains=word)
        )
    statuses = [patient_status(p, today) for p in rows]
    statuses.sort(key=lambda s: (not s.red_flag, not s.escalation, not s.no_diary))  # stable: by reading within
    pending = DeletionRequest.objects.filter(clinic=staff.clinic, completed_at=None).count()
    withdrawn = set(
        Consent.objects.filter(clinic=staff.clinic, withdrawn_at__isnull=False).values_list("patient_id", flat=True)
    )
    record_list(request, staff.clinic, PATIENT_LIST)
    return render(
        request,
        "desk/patients.html",
        {"clinic": staff.clinic, "statuses": statuses, "pending": pending, "query": query, "withdrawn": withdrawn},
    )


def _patient_page(request: HttpRequest, staff: Membership, patient: Membership, **forms: Any) -> HttpResponse:
    raw = request.GET.get("page", "1")
    page = min(int(raw), 10_000) if raw.isdigit() and int(raw) > 0 else 1
    events, older = timeline_page(patient, page)
    diary = pathway_diary(patient)
    status = patient_status(patient, timezone.localdate(), diary)
    context = {
        "clinic": staff.clinic,
        "patient": patient,
        "withdrawn": Consent.objects.filter(patient=patient, withdrawn_at__isnull=False).first(),
        "status": status,
        "charts": diary_charts(diary, status.alerts.pain, prefix="desk") if page == 1 else [],
        "events": events,
        "page": page,
        "older": older,
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "test_form": forms.get("test_form") or ClinicTestForm(prefix="test"),
        "open_red_flag": open_referral(patient),
        "clearance_form": ClearanceForm(prefix="clearance"),
        "explanation_failure": recorded_failure(patient),
        "intakes": [
            intake_summary(i, current_lang())
            for i in Intake.objects.filter(patient=patient).select_related("booking", "self_check").order_by("-pk")
        ],
    }
    return render(request, "desk/patient.html", context)


@login_required
def patient(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One patient's record and timeline. Audited."""
    staff, record_ = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, record_)
    return _patient_page(request, staff, record_)


@login_required
def note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient_ = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _patient_page(request, staff, patient_, note_form=form)
    saved = form.save(commit=False)
    saved.patient, saved.author = patient_, request.user
    saved.save()
    record(request, staff.clinic, Action.CREATE, saved)
    return redirect("desk:patient", slug, pk)


@login_required
def clinic_test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient_ = clinic_patient(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    form = ClinicTestForm(request.POST, prefix="test")
    if not form.is_valid():
        return _patient_page(request, staff, patient_, test_form=form)
    saved = form.save(commit=False)
    saved.patient, saved.recorded_by = patient_, request.user
    saved.save()
    record(request, staff.clinic, Action.CREATE, saved)
    return redirect("desk:patient", slug, pk)


@login_required
def chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient_ = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient_)
    diary = pathway_diary(patient_)
    return svg_response(diary_figure(diary, alerts_for(patient_, diary).pain))
