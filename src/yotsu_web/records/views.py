"""Visit records on the desk: list and new record per patient, one record, edit (author, within the
window), amend (any practitioner of the clinic, with a reason), the extent chart and the FHIR export.
Every view and change is audited; the edit/amend rule itself is the model's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from yotsu.pathway.pain_drawing import to_fhir_observation
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, member_of
from yotsu_web.clinics.figures import svg_response
from yotsu_web.clinics.models import STAFF_ROLES, Membership
from yotsu_web.records.charts import extent_figure
from yotsu_web.records.drawing import drawing_views
from yotsu_web.records.forms import AmendmentForm, VisitRecordForm
from yotsu_web.records.models import CONTENT_FIELDS, RecordLockedError, VisitRecord


def _visit(request: HttpRequest, slug: str, pk: int) -> tuple[Membership, VisitRecord]:
    staff = member_of(request, slug, STAFF_ROLES)
    visit = get_object_or_404(
        VisitRecord.objects.select_related("patient__user", "patient__clinic", "author"),
        patient__clinic=staff.clinic,
        pk=pk,
    )
    return staff, visit


def _form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    marked = form["pain_regions"].value() or []
    return render(request, template, {"form": form, "views": drawing_views(list(marked)), **context})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visits(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    form = VisitRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        visit = form.save(commit=False)
        visit.patient, visit.author = patient, request.user
        visit.save()
        record(request, staff.clinic, Action.CREATE, visit)
        return redirect("records:detail", slug, visit.pk)
    record(request, staff.clinic, Action.VIEW, patient)
    rows = VisitRecord.objects.filter(patient=patient).select_related("author")
    return _form_page(request, "records/visits.html", form, clinic=staff.clinic, patient=patient, visits=rows)


@login_required
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, visit = _visit(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, visit)
    context = {
        "clinic": staff.clinic,
        "visit": visit,
        "extent": visit.extent(),
        "share_percent": visit.body_share * 100,
        "sign": visit.extent().sensitisation_sign(),
        "views": drawing_views(visit.pain_regions),
        "can_edit": visit.can_edit(request.user),
        "amendments": visit.amendments.select_related("author"),
    }
    return render(request, "records/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, visit = _visit(request, slug, pk)
    if not visit.can_edit(request.user):
        raise PermissionDenied
    form = VisitRecordForm(request.POST if request.method == "POST" else None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            visit.edit(request.user, **{f: form.cleaned_data[f] for f in CONTENT_FIELDS})
        except RecordLockedError:
            raise PermissionDenied from None
        record(request, staff.clinic, Action.CHANGE, visit)
        return redirect("records:detail", slug, pk)
    return _form_page(request, "records/edit.html", form, clinic=staff.clinic, visit=visit, amend=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def amend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, visit = _visit(request, slug, pk)
    form = AmendmentForm(request.POST if request.method == "POST" else None, instance=visit)
    if request.method == "POST" and form.is_valid():
        fresh = VisitRecord.objects.get(pk=visit.pk)  # the form wrote into ``visit``; amend from the stored one
        try:
            amendment = fresh.amend(
                request.user, form.cleaned_data["reason"], **{f: form.cleaned_data[f] for f in CONTENT_FIELDS}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            record(request, staff.clinic, Action.CREATE, amendment)
            record(request, staff.clinic, Action.CHANGE, fresh)
            return redirect("records:detail", slug, pk)
    return _form_page(request, "records/edit.html", form, clinic=staff.clinic, visit=visit, amend=True)


@login_required
def chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    return svg_response(extent_figure(list(VisitRecord.objects.filter(patient=patient))))


@login_required
def fhir(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The visit's pain drawing as a FHIR Observation."""
    staff, visit = _visit(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, visit)
    observation = to_fhir_observation(visit.extent(), f"Patient/{visit.patient_id}", visit.created_at)
    response = JsonResponse(observation, content_type="application/fhir+json")
    response["Cache-Control"] = "private, no-store"
    return response
