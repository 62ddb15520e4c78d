"""Downloads of a patient's data (by the patient, or by staff of the clinic: audited) and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yotsu_web.audit.log import DELETION_LIST, record, record_list
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, member_of, own_record, post_only
from yotsu_web.clinics.models import STAFF_ROLES, Membership
from yotsu_web.exports.fhir import bundle_json
from yotsu_web.exports.models import DeletionRequest
from yotsu_web.exports.tables import diary_csv, everything_zip


def _download(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _fhir(patient: Membership) -> HttpResponse:
    return _download(bundle_json(patient), "application/fhir+json", "yotsu-questionnaires.fhir.json")


def _diary(patient: Membership) -> HttpResponse:
    return _download(diary_csv(patient), "text/csv; charset=utf-8", "yotsu-diary.csv")


@login_required
def my_data(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug, after_withdrawal=True)
    pending = DeletionRequest.objects.filter(patient=patient, completed_at=None).first()
    return render(request, "exports/my_data.html", {"clinic": patient.clinic, "pending": pending})


@login_required
def my_fhir(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug, after_withdrawal=True)
    record(request, patient.clinic, Action.VIEW, patient)
    return _fhir(patient)


@login_required
def my_diary(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug, after_withdrawal=True)
    record(request, patient.clinic, Action.VIEW, patient)
    return _diary(patient)


@login_required
def my_everything(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug, after_withdrawal=True)
    record(request, patient.clinic, Action.VIEW, patient)
    return _download(everything_zip(patient), "application/zip", "yotsu-my-data.zip")


@login_required
def request_deletion(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug, after_withdrawal=True)
    if (refused := post_only(request)) is not None:
        return refused
    deletion, created = DeletionRequest.objects.get_or_create(
        clinic=patient.clinic, patient=patient, completed_at=None, defaults={"patient_ref": patient.pk}
    )
    if created:
        record(request, patient.clinic, Action.CREATE, deletion)
    messages.info(request, _("Your request is recorded. The clinic will delete your data and confirm."))
    return redirect("exports:mine", slug)


@login_required
def patient_fhir(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    return _fhir(patient)


@login_required
def patient_diary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    return _diary(patient)


@login_required
def deletions(request: HttpRequest, slug: str) -> HttpResponse:
    staff = member_of(request, slug, STAFF_ROLES)
    rows = DeletionRequest.objects.filter(clinic=staff.clinic).select_related("patient__user", "completed_by")
    record_list(request, staff.clinic, DELETION_LIST)
    return render(request, "exports/deletions.html", {"clinic": staff.clinic, "requests": rows})


@login_required
def complete_deletion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete the patient's record and everything hanging off it; the account goes too unless it
    belongs to another clinic. The request stays, completed, as the record of it."""
    staff = member_of(request, slug, STAFF_ROLES)
    deletion = get_object_or_404(DeletionRequest, clinic=staff.clinic, pk=pk, completed_at=None)
    if (refused := post_only(request)) is not None:
        return refused
    with transaction.atomic():
        patient = deletion.patient
        if patient is not None:
            record(request, staff.clinic, Action.DELETE, patient)
            user = patient.user
            deletion.patient = None
            patient.delete()
            if not user.memberships.exists():
                user.delete()
        deletion.completed_at = timezone.now()
        deletion.completed_by = request.user  # type: ignore[assignment]
        deletion.save(update_fields=["patient", "completed_at", "completed_by"])
    messages.info(request, _("The patient's data has been deleted."))
    return redirect("exports:deletions", slug)
