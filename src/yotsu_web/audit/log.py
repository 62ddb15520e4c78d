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


# Views that show many patients at once, audited as one event naming the list (the clinic's id as subject).
PATIENT_LIST = "patient list"
API_PATIENT_LIST = "api patient list"
INQUIRY_INBOX = "inquiry inbox"
DELETION_LIST = "deletion list"
SCHEDULE = "schedule"  # the desk's day and week of bookings, with patients' names


def record_list(request: HttpRequest, clinic: Clinic, listing: str) -> AuditEvent:
    """Store that ``request.user`` viewed ``listing`` (one of the names above) of ``clinic``."""
    return AuditEvent.objects.create(
        actor_id=request.user.pk, clinic=clinic, action=Action.VIEW, subject_type=listing, subject_id=clinic.pk
    )
