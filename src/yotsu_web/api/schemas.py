"""The API's request and response bodies. Limits are the diary's and the pathway's (0-10 scales)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from yotsu.pathway.diary import SessionKind
from yotsu.pathway.personal import PersonalFit


class _NumbersNotBooleans(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, bool):  # JSON true/false would otherwise pass as 1/0
            raise ValueError("must be a number, not true or false")
        if isinstance(value, str) and info.field_name in _NUMBERS:  # "1_0" or "5 " would pass as numbers
            raise ValueError("must be a JSON number like 5, not text")
        return value


_NUMBERS = frozenset({"pain_nrs", "sleep_quality", "stress", "activity_minutes", "pressure", "relief", "relief_days"})


class LocalTextOut(Schema):
    en: str
    ja: str


class DiaryDayIn(_NumbersNotBooleans):
    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(description="the day; 2000-01-01 to today (clinic's local date)")
    pain_nrs: int | None = Field(default=None, ge=0, le=10, description="pain, NRS 0-10")
    sleep_quality: int | None = Field(default=None, ge=0, le=10, description="0 very poor - 10 very good")
    stress: int | None = Field(default=None, ge=0, le=10, description="0-10")
    activity_minutes: int | None = Field(default=None, ge=0, le=24 * 60, description="active minutes that day")


class DiaryDayOut(DiaryDayIn):
    model_config = ConfigDict(extra="ignore")

    id: int


class DiarySessionIn(_NumbersNotBooleans):
    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(description="the day; 2000-01-01 to today (clinic's local date)")
    kind: SessionKind
    pressure: int | None = Field(default=None, ge=0, le=10, description="only massage and gentle_manual")
    relief: int | None = Field(default=None, ge=0, le=10)
    relief_days: float | None = Field(default=None, ge=0, le=60)


class DiarySessionOut(DiarySessionIn):
    model_config = ConfigDict(extra="ignore")

    id: int


class QuestionnaireResultOut(Schema):
    id: int
    instrument: str
    completed_at: dt.datetime
    total: float | None
    scores: dict[str, float]
    classification: str


class LeftRightSessionOut(Schema):
    id: int
    created_at: dt.datetime
    n_trials: int
    accuracy: float
    median_rt_ms: float


class EscalationOut(Schema):
    alert: bool
    message: LocalTextOut


class ForecastOut(Schema):
    """The latest personal-model fit (README, "The personal model"): ``fit`` is null until the first is done."""

    status: str  # pending / ready / failed
    updating: bool  # a newer fit with the latest entries is queued
    computed_at: dt.datetime | None
    fit: PersonalFit | None


class AlertsOut(Schema):
    red_flags: list[LocalTextOut]
    escalation: EscalationOut
    last_diary_date: dt.date | None
    messages: list[LocalTextOut]


class PatientOut(Schema):
    id: int
    username: str
    name: str  # 氏名; empty for accounts made before sign-up asked it
    furigana: str
    age: int | None  # completed years from the date of birth; null when unknown
    red_flag: bool
    escalation: bool
    no_diary: bool
    mcid_reached: list[str]


class TimelineEventOut(Schema):
    date: dt.date
    kind: str
    id: int
    fields: dict[str, object]


class FieldError(Schema):
    field: str
    message: str
    type: str


class ErrorOut(Schema):
    detail: str | list[FieldError]
