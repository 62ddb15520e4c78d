from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import member_of
from yotsu_web.clinics.models import STAFF_ROLES, Membership, Role


@login_required
def portal(request: HttpRequest, slug: str) -> HttpResponse:
    """The patient's own start page in one clinic."""
    membership = member_of(request, slug, [Role.PATIENT])
    return render(request, "clinics/portal.html", {"clinic": membership.clinic, "membership": membership})


@login_required
def patients(request: HttpRequest, slug: str) -> HttpResponse:
    membership = member_of(request, slug, STAFF_ROLES)
    rows = (
        Membership.objects.filter(clinic=membership.clinic, role=Role.PATIENT)
        .select_related("user")
        .order_by("user__username")
    )
    return render(request, "clinics/patients.html", {"clinic": membership.clinic, "patients": rows})


@login_required
def patient(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One patient's record, as a practitioner of the patient's clinic sees it. Audited."""
    membership = member_of(request, slug, STAFF_ROLES)
    record_ = get_object_or_404(
        Membership.objects.select_related("user"), clinic=membership.clinic, role=Role.PATIENT, pk=pk
    )
    record(request, membership.clinic, Action.VIEW, record_)
    return render(request, "clinics/patient.html", {"clinic": membership.clinic, "patient": record_})
