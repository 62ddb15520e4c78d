"""For a clinic's staff: the clinic's patients with their status, and one patient's timeline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from yotsu_web.api.auth import access
from yotsu_web.api.schemas import ErrorOut, ForecastOut, PatientOut, TimelineEventOut
from yotsu_web.audit.log import API_PATIENT_LIST, record, record_list
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, member_of
from yotsu_web.clinics.models import STAFF_ROLES, Membership, Role
from yotsu_web.desk.status import patient_status
from yotsu_web.desk.timeline import Event, timeline

router = Router(tags=["practitioner"])
STAFF = access(lambda request, kw: member_of(request, kw["slug"], STAFF_ROLES))
PATIENT_OF_CLINIC = access(lambda request, kw: clinic_patient(request, kw["slug"], kw["pk"]))
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# The fields of each timeline record the API shows (ids and values; the same the desk shows).
EVENT_FIELDS = {
    "day": ("pain_nrs", "sleep_quality", "stress", "activity_minutes"),
    "session": ("kind", "pressure", "relief", "relief_days"),
    "symptom": ("flag",),
    "questionnaire": ("instrument", "total", "classification"),
    "left_right": ("n_trials", "accuracy", "median_rt_ms"),
    "clinic_test": ("tpd_mm", "repositioning_error_deg"),
    "note": ("text", "author_id"),
    "plan": ("changed_by_id", "risk_group", "weeks", "changes", "note"),
    "exercise": ("exercise_id", "status", "pain_during", "level"),
    "morning": ("pain_nrs",),
    "proposal": ("exercise_id", "step", "from_level", "to_level", "decision", "applied_level"),
}


def event_json(e: Event) -> dict[str, Any]:
    return {
        "date": e.date,
        "kind": e.kind,
        "id": e.item.pk,
        "fields": {name: getattr(e.item, name) for name in EVENT_FIELDS.get(e.kind, ())},
    }


@router.get("{slug:slug}/patients", response={200: list[PatientOut], **ERRORS}, url_name="patients", auth=STAFF)
def patients(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    staff = member_of(request, slug, STAFF_ROLES)
    today = timezone.localdate()
    rows = Membership.objects.filter(clinic=staff.clinic, role=Role.PATIENT).select_related("user").order_by("pk")
    record_list(request, staff.clinic, API_PATIENT_LIST)
    out = []
    for p in rows:
        status = patient_status(p, today)
        out.append({"id": p.pk, "username": p.user.username, "name": p.user.full_name,
                    "furigana": p.user.furigana, "age": p.user.age_on(today), "red_flag": status.red_flag,
                    "escalation": status.escalation, "no_diary": status.no_diary,
                    "mcid_reached": status.mcid_reached})  # fmt: skip
    return out


@router.get("{slug:slug}/patients/{int:pk}/timeline", response={200: list[TimelineEventOut], **ERRORS},
            url_name="patient-timeline", auth=PATIENT_OF_CLINIC)  # fmt: skip
def patient_timeline(request: HttpRequest, slug: str, pk: int) -> list[dict[str, Any]]:
    """One patient's records, newest first, as on the desk. Audited."""
    staff, patient = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    return [event_json(e) for e in timeline(patient)]


@router.get("{slug:slug}/patients/{int:pk}/forecast", response={200: ForecastOut, **ERRORS},
            url_name="patient-forecast", auth=PATIENT_OF_CLINIC)  # fmt: skip
def patient_forecast(request: HttpRequest, slug: str, pk: int) -> dict[str, object]:
    """One patient's personal-model fit, as on the desk. Audited."""
    from yotsu_web.forecast.api import forecast_json

    staff, patient = clinic_patient(request, slug, pk)
    record(request, staff.clinic, Action.VIEW, patient)
    return forecast_json(patient)
