"""Who may see what. Every clinic-scoped view starts with :func:`member_of`.

A user without the required role in the clinic gets 403; an object looked up
through the clinic it does not belong to gets 404 (see the views).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from yotsu_web.clinics.models import Clinic, Membership


def member_of(request: HttpRequest, slug: str, roles: Iterable[str]) -> Membership:
    """The requesting user's membership of clinic ``slug`` if its role is one of ``roles``."""
    clinic = get_object_or_404(Clinic, slug=slug)
    membership = (
        Membership.objects.select_related("clinic", "user")
        .filter(clinic=clinic, user_id=request.user.pk, role__in=list(roles))
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership
