"""Who may see what. Every clinic-scoped view starts with :func:`member_of` (or a helper built on it).

A user without the required role in the clinic gets 403; an object looked up
through the clinic it does not belong to gets 404 (see the views). Checks run before the
HTTP method is considered, so a wrong user learns nothing from a 405.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from yotsu_web.clinics.models import STAFF_ROLES, Clinic, Membership, Role


def _membership(request: HttpRequest, slug: str, roles: Iterable[str], **annotations: Any) -> Membership:
    """One query on the way in (clinic and user joined); the clinic is looked up alone only to tell a
    missing clinic (404) from a clinic the user has no such role in (403)."""
    membership = (
        Membership.objects.select_related("clinic", "user")
        .annotate(**annotations)
        .filter(clinic__slug=slug, user_id=request.user.pk, role__in=list(roles))
        .first()
    )
    if membership is None:
        get_object_or_404(Clinic, slug=slug)
        raise PermissionDenied
    return membership


def member_of(request: HttpRequest, slug: str, roles: Iterable[str]) -> Membership:
    """The requesting user's membership of clinic ``slug`` if its role is one of ``roles``."""
    return _membership(request, slug, roles)


def own_record(request: HttpRequest, slug: str, *, after_withdrawal: bool = False) -> Membership:
    """The requesting patient's own record in clinic ``slug`` (a patient sees only their own).

    Once the patient withdrew consent, only views passing ``after_withdrawal=True`` (seeing, downloading
    and deleting their data) get it; every other view raises ``ConsentWithdrawn``, which shows the notice."""
    from yotsu_web.accounts.consent import ConsentWithdrawn
    from yotsu_web.accounts.models import Consent

    withdrawn = Exists(Consent.objects.filter(patient=OuterRef("pk"), withdrawn_at__isnull=False))
    membership = _membership(request, slug, [Role.PATIENT], consent_withdrawn=withdrawn)
    if not after_withdrawal and membership.consent_withdrawn:
        raise ConsentWithdrawn(membership)
    # The page's own record, for the context processors of the same request (base.html's referral card).
    request.yotsu_patient = membership  # type: ignore[attr-defined]
    return membership


def clinic_patient(request: HttpRequest, slug: str, pk: int) -> tuple[Membership, Membership]:
    """(the staff member's membership, patient record ``pk`` of the same clinic); 404 elsewhere."""
    staff = member_of(request, slug, STAFF_ROLES)
    patient = get_object_or_404(
        Membership.objects.select_related("user", "clinic"), clinic=staff.clinic, role=Role.PATIENT, pk=pk
    )
    return staff, patient


def post_only(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """405 for anything but POST; call it after the access checks."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])
