"""Referral mode: on every page of a patient's own portal, an open referral is shown first (base.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yotsu_web.clinics.models import Membership, Role
from yotsu_web.referrals.service import open_referral_once


def referral_mode(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or not request.user.is_authenticated or "/me/" not in request.path:
        return {}
    slug = match.kwargs.get("slug")
    if not slug or match.url_name == "referral":
        return {}
    patient = getattr(request, "yotsu_patient", None)  # set by own_record for this very page
    if patient is None or patient.clinic.slug != slug:
        patient = Membership.objects.filter(clinic__slug=slug, user_id=request.user.pk, role=Role.PATIENT).first()
    if patient is None:
        return {}
    return {"open_referral": open_referral_once(request, patient), "referral_slug": slug}
