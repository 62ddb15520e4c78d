"""Recording audit events. Call :func:`record` from a view after the access check passed."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.clinics.models import Clinic


def record(request: HttpRequest, clinic: Clinic, action: Action, subject: models.Model) -> AuditEvent:
    """Store that ``request.user`` performed ``action`` on ``subject`` in ``clinic``."""
    return AuditEvent.objects.create(
        actor_id=request.user.pk,
        clinic=clinic,
        action=action,
        subject_type=subject._meta.model_name or type(subject).__name__.lower(),
        subject_id=subject.pk,
    )
