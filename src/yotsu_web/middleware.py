"""Content-Security-Policy header (Django 5.2 has no built-in CSP), and the staff's idle logout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN = "yotsu_last_seen"  # session keys: the last request's time (s), and this login's idle limit (s)
IDLE_LIMIT = "yotsu_idle_s"
DEFAULT_STAFF_IDLE_MINUTES = 30
DEFAULT_PATIENT_IDLE_MINUTES = 60  # Clinic.patient_idle_minutes' default (why: see the model)
_TOUCH_EVERY_S = 60  # the session is saved at most once a minute for this, not on every request


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.YOTSU_CSP)
        return response

    return middleware


def idle_limit_s(user: object) -> int:
    """Seconds without a request after which ``user`` is logged out (every login also ends when the
    browser closes). Staff: the shortest ``staff_idle_minutes`` of their clinics; a patient: the shortest
    ``patient_idle_minutes`` of theirs; a site admin with no clinic: 30 minutes; anyone else: none."""
    from django.db.models import Min, Q

    from yotsu_web.clinics.models import STAFF_ROLES, Membership, Role

    minutes = Membership.objects.filter(user=user).aggregate(
        staff=Min("clinic__staff_idle_minutes", filter=Q(role__in=STAFF_ROLES)),
        patient=Min("clinic__patient_idle_minutes", filter=Q(role=Role.PATIENT)),
    )
    if minutes["staff"] is not None:  # staff who are also a patient somewhere get the staff limit
        return int(minutes["staff"]) * 60
    if getattr(user, "is_staff", False):
        return DEFAULT_STAFF_IDLE_MINUTES * 60
    if minutes["patient"] is not None:
        return int(minutes["patient"]) * 60
    return 0


def idle_logout(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    """Log staff and patients out after their clinic's idle time; the limit is fixed at login (first
    request)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = request.session
        if not (settings.YOTSU_IDLE_LOGOUT and user is not None and user.is_authenticated and SESSION_KEY in session):
            return get_response(request)
        now = int(time.time())
        limit = session.get(IDLE_LIMIT)
        if limit is None:
            limit = session[IDLE_LIMIT] = idle_limit_s(user)
        last = session.get(LAST_SEEN)
        if limit and last is not None and now - last > limit:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                % {"minutes": limit // 60},
            )
            return redirect_to_login(request.get_full_path() if request.method in {"GET", "HEAD"} else request.path)
        if last is None or now - last >= _TOUCH_EVERY_S:
            session[LAST_SEEN] = now
        return get_response(request)

    return middleware
