"""A patient's stored records as the pathway's profile inputs (``yotsu.pathway.profile.profile_inputs``).

Questionnaires: the latest completed response of each instrument, scored by the pathway. Body map: the
latest left/right session and the latest in-clinic two-point and repositioning values, combined by the
pathway. Sleep quality: the patient's own answer, or else the median sleep quality of the last 14 diary
days (the diary asks the same 0-10 question). Life pressure: the patient's own answer. An input with no
record stays out, so the profile keeps the population prior for what it would have informed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
from dataclasses import dataclass, field

import pydantic

from yotsu.pathway.bodymap import (
    BodyMapEstimate,
    LeftRightTrunkJudgement,
    RepositioningError,
    TwoPointDiscrimination,
    estimate_body_map_precision,
)
from yotsu.pathway.instruments import InstrumentError, InstrumentResult
from yotsu.pathway.profile import Measurement, profile_inputs
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.explain.models import ProfileAnswers

DIARY_SLEEP_DAYS = 14

BodyMapTest = LeftRightTrunkJudgement | TwoPointDiscrimination | RepositioningError


@dataclass(frozen=True)
class PatientInputs:
    results: dict[str, InstrumentResult]
    completed: dict[str, dt.datetime]  # instrument id -> when the response used was completed
    sleep_quality: float | None
    sleep_from_diary: bool
    life_pressure: float | None
    body_map: BodyMapEstimate | None
    body_map_tests: list[str] = field(default_factory=list)  # the tests that went into ``body_map``

    def measurements(self) -> dict[str, Measurement]:
        return profile_inputs(self.results, self.sleep_quality, self.life_pressure, self.body_map)


def latest_results(patient: Membership) -> tuple[dict[str, InstrumentResult], dict[str, dt.datetime]]:
    results: dict[str, InstrumentResult] = {}
    completed: dict[str, dt.datetime] = {}
    done = QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False).order_by("-completed_at")
    for response in done:
        if response.instrument in results or response.completed_at is None:
            continue
        try:
            results[response.instrument] = response.result()
        except InstrumentError:
            continue  # an instrument whose definition changed since; the others still count
        completed[response.instrument] = response.completed_at
    return results, completed


def body_map_tests(patient: Membership) -> list[tuple[str, BodyMapTest]]:
    tests: list[tuple[str, BodyMapTest]] = []
    session = LeftRightSession.objects.filter(patient=patient).order_by("-created_at", "-pk").first()
    if session is not None:
        with contextlib.suppress(pydantic.ValidationError):  # too few trials for the pathway to judge
            tests.append(("left_right", session.judgement()))
    clinic = ClinicTest.objects.filter(patient=patient).order_by("-date", "-pk")
    tpd = clinic.filter(tpd_mm__isnull=False).first()
    if tpd is not None and tpd.tpd_mm is not None:
        tests.append(("two_point", TwoPointDiscrimination(tpd_mm=tpd.tpd_mm)))
    reposition = clinic.filter(repositioning_error_deg__isnull=False).first()
    if reposition is not None and reposition.repositioning_error_deg is not None:
        tests.append(("repositioning", RepositioningError(error_deg=reposition.repositioning_error_deg)))
    return tests


def diary_sleep(patient: Membership) -> float | None:
    recent = list(
        DiaryDay.objects.filter(patient=patient, sleep_quality__isnull=False)
        .order_by("-date")
        .values_list("sleep_quality", flat=True)[:DIARY_SLEEP_DAYS]
    )
    return float(statistics.median(recent)) if recent else None


def patient_inputs(patient: Membership) -> PatientInputs:
    results, completed = latest_results(patient)
    answers = ProfileAnswers.objects.filter(patient=patient).first()
    sleep = answers.sleep_quality if answers is not None else None
    from_diary = sleep is None
    sleep_value = float(sleep) if sleep is not None else diary_sleep(patient)
    pressure = answers.life_pressure if answers is not None else None
    tests = body_map_tests(patient)
    return PatientInputs(
        results=results,
        completed=completed,
        sleep_quality=sleep_value,
        sleep_from_diary=from_diary and sleep_value is not None,
        life_pressure=float(pressure) if pressure is not None else None,
        body_map=estimate_body_map_precision([t for _, t in tests]) if tests else None,
        body_map_tests=[name for name, _ in tests],
    )
