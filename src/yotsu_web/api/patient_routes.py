"""A patient's own records: diary days and sessions (list, create), questionnaire results, body-map
sessions and alerts. Every endpoint starts with ``own_record`` (the patient's own, in this clinic)."""

from __future__ import annotations

import datetime as dt

import pydantic
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import ValidationError

from yotsu.pathway.diary import EARLIEST_DATE, Session, check_diary_date
from yotsu_web.api.auth import access
from yotsu_web.api.schemas import (
    AlertsOut,
    DiaryDayIn,
    DiaryDayOut,
    DiarySessionIn,
    DiarySessionOut,
    ErrorOut,
    ForecastOut,
    LeftRightSessionOut,
    QuestionnaireResultOut,
)
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.clinics.access import own_record
from yotsu_web.diary.models import DiaryDay, DiarySession
from yotsu_web.diary.records import alerts_for

router = Router(tags=["patient"], auth=access(lambda request, kw: own_record(request, kw["slug"])))
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
INVALID = {**ERRORS, 400: ErrorOut, 422: ErrorOut}  # 400: a body that is not JSON


def _not_in_future(field: str, value: dt.date) -> None:
    """The pathway's diary dates: today or earlier, and not before 2000-01-01."""
    problem = check_diary_date(value, timezone.localdate())
    if problem == "in_future":
        raise ValidationError([{"loc": ("body", "payload", field), "msg": "must be today or earlier",
                                "type": "date_in_future"}])  # fmt: skip
    if problem == "too_early":
        raise ValidationError([{"loc": ("body", "payload", field), "type": "date_too_early",
                                "msg": f"must be {EARLIEST_DATE.isoformat()} or later"}])  # fmt: skip


@router.get("{slug:slug}/me/diary/days", response={200: list[DiaryDayOut], **ERRORS}, url_name="my-diary-days")
def my_diary_days(request: HttpRequest, slug: str) -> list[DiaryDay]:
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return list(DiaryDay.objects.filter(patient=patient).order_by("date"))


@router.post("{slug:slug}/me/diary/days", response={200: DiaryDayOut, 201: DiaryDayOut, **INVALID},
             url_name="my-diary-days-create")  # fmt: skip
def create_diary_day(request: HttpRequest, slug: str, payload: DiaryDayIn) -> Status:
    """Record a day (or replace that date's entry, as the diary page does): 201 new, 200 replaced."""
    patient = own_record(request, slug)
    _not_in_future("date", payload.date)
    values = payload.dict(exclude={"date"})
    day, created = DiaryDay.objects.update_or_create(patient=patient, date=payload.date, defaults=values)
    record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, day)
    return Status(201 if created else 200, day)


@router.get("{slug:slug}/me/diary/sessions", response={200: list[DiarySessionOut], **ERRORS},
            url_name="my-diary-sessions")  # fmt: skip
def my_diary_sessions(request: HttpRequest, slug: str) -> list[DiarySession]:
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return list(DiarySession.objects.filter(patient=patient).order_by("date", "pk"))


@router.post("{slug:slug}/me/diary/sessions", response={201: DiarySessionOut, **INVALID},
             url_name="my-diary-sessions-create")  # fmt: skip
def create_diary_session(request: HttpRequest, slug: str, payload: DiarySessionIn) -> Status:
    patient = own_record(request, slug)
    _not_in_future("date", payload.date)
    try:  # the pathway's own rules decide what a valid session is (pressure only for manual kinds)
        Session.model_validate(payload.dict())
    except pydantic.ValidationError as error:
        raise ValidationError(
            [{"loc": ("body", "payload", "pressure"), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        ) from None
    session = DiarySession.objects.create(patient=patient, **payload.dict())
    record(request, patient.clinic, Action.CREATE, session)
    return Status(201, session)


@router.get("{slug:slug}/me/questionnaires", response={200: list[QuestionnaireResultOut], **ERRORS},
            url_name="my-questionnaires")  # fmt: skip
def my_questionnaires(request: HttpRequest, slug: str) -> list[QuestionnaireResponse]:
    """Completed questionnaires with the pathway's scores, newest first."""
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return list(QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False))


@router.get("{slug:slug}/me/bodymap/sessions", response={200: list[LeftRightSessionOut], **ERRORS},
            url_name="my-bodymap-sessions")  # fmt: skip
def my_bodymap_sessions(request: HttpRequest, slug: str) -> list[LeftRightSession]:
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return list(LeftRightSession.objects.filter(patient=patient))


@router.get("{slug:slug}/me/alerts", response={200: AlertsOut, **ERRORS}, url_name="my-alerts")
def my_alerts(request: HttpRequest, slug: str) -> dict[str, object]:
    """The pathway's alerts on the patient's diary: red flags reported later, escalation."""
    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    alerts = alerts_for(patient)
    flags = [r.text for r in alerts.red_flags.reasons] if alerts.red_flags is not None else []
    return {
        "red_flags": [t.model_dump() for t in flags],
        "escalation": {"alert": alerts.escalation.alert, "message": alerts.escalation.message.model_dump()},
        "last_diary_date": alerts.last_diary_date,
        "messages": [t.model_dump() for t in alerts.message_list()],
    }


@router.get("{slug:slug}/me/forecast", response={200: ForecastOut, **ERRORS}, url_name="my-forecast")
def my_forecast(request: HttpRequest, slug: str) -> dict[str, object]:
    """The personal model's latest fit to the patient's diary (queued for an update when the diary changed)."""
    from yotsu_web.forecast.api import forecast_json

    patient = own_record(request, slug)
    record(request, patient.clinic, Action.VIEW, patient)
    return forecast_json(patient)
