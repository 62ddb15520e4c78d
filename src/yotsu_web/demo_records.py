"""Several weeks of records for the three demo patients, each showing something the desk flags.

- demo-patient-1 improves (pain past the MCID), does graded exercise and body-map training;
- demo-patient-2 shows the escalation pattern: massage pressure rising while the relief shrinks;
- demo-patient-3 stopped writing the diary ten days ago.
Noise comes from a seeded ``numpy.random.Generator``, so every run writes the same records.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from yotsu.pathway.instruments import score
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.desk.models import Note
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport

WEEKS = 5


def _scale(x: float) -> int:
    return int(min(10, max(0, round(x))))


def _questionnaire(patient: Membership, instrument: str, answers: dict[str, int], when: dt.datetime) -> None:
    result = score(instrument, answers)
    QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        answers=answers,
        position=len(answers),
        completed_at=when,
        total=result.total.value,
        scores={k: v.value for k, v in result.scores.items()},
        classification=result.classification.id if result.classification else "",
    )


def _reset(patient: Membership) -> None:
    for model in (DiaryDay, DiarySession, SymptomReport, QuestionnaireResponse, LeftRightSession, ClinicTest, Note):
        model.objects.filter(patient=patient).delete()


def create_demo_records(patients: list[Membership], practitioner_user: object, seed: int = 2026) -> None:
    """Replace the demo patients' records with the demo story (safe to run again)."""
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    start = today - dt.timedelta(days=7 * WEEKS - 1)
    now = timezone.now()
    improving, escalating, quiet = patients
    for patient in patients:
        _reset(patient)

    for n in range(7 * WEEKS):  # improving: 7 -> about 3
        day = start + dt.timedelta(days=n)
        pain = 7 - 4 * n / (7 * WEEKS) + rng.normal(0, 0.6)
        DiaryDay.objects.create(patient=improving, date=day, pain_nrs=_scale(pain),
                                sleep_quality=_scale(4 + n / 12 + rng.normal(0, 1)),
                                stress=_scale(6 - n / 14 + rng.normal(0, 1)),
                                activity_minutes=int(15 + n * 1.5))  # fmt: skip
        if n % 7 == 0:
            DiarySession.objects.create(patient=improving, date=day, kind="education" if n == 0 else "neuro_training")
        if n % 7 in (1, 3, 5):
            DiarySession.objects.create(patient=improving, date=day, kind="graded_exercise")
    _questionnaire(improving, "nrs_pain", {"q1": 7}, now - dt.timedelta(days=7 * WEEKS - 1))
    _questionnaire(improving, "nrs_pain", {"q1": 3}, now - dt.timedelta(days=1))
    _questionnaire(improving, "phq4", {"q1": 1, "q2": 1, "q3": 2, "q4": 1}, now - dt.timedelta(days=7 * WEEKS - 1))
    start_back = {"q1": 1, "q2": 0, "q3": 1, "q4": 1, "q5": 0, "q6": 1, "q7": 0, "q8": 0, "q9": 2}
    _questionnaire(improving, "start_back", start_back, now - dt.timedelta(days=7 * WEEKS - 1))
    for k, accuracy in enumerate((0.6, 0.65, 0.7, 0.75, 0.8)):
        session = LeftRightSession.objects.create(patient=improving, n_trials=20, accuracy=accuracy,
                                                  median_rt_ms=1500 - 80 * k)  # fmt: skip
        LeftRightSession.objects.filter(pk=session.pk).update(created_at=now - dt.timedelta(days=7 * (4 - k)))
    ClinicTest.objects.create(patient=improving, recorded_by=practitioner_user, date=start, tpd_mm=62,
                              repositioning_error_deg=5.5)  # fmt: skip
    ClinicTest.objects.create(patient=improving, recorded_by=practitioner_user, date=today - dt.timedelta(days=2),
                              tpd_mm=52, repositioning_error_deg=4.0)  # fmt: skip
    Note.objects.create(
        patient=improving, author=practitioner_user, text="前屈への不安が減ってきた。歩行は1日30分まで。"
    )

    for n in range(7 * WEEKS):  # escalating: pain stuck, massage every 3 days, harder and shorter-lived
        day = start + dt.timedelta(days=n)
        DiaryDay.objects.create(patient=escalating, date=day, pain_nrs=_scale(6 + n / 30 + rng.normal(0, 0.7)),
                                sleep_quality=_scale(4 + rng.normal(0, 1)), stress=_scale(7 + rng.normal(0, 1)),
                                activity_minutes=int(10 + rng.integers(0, 10)))  # fmt: skip
        if n % 3 == 0:
            k = n // 3
            DiarySession.objects.create(patient=escalating, date=day, kind="massage", pressure=min(10, 4 + k // 2),
                                        relief=max(1, 7 - k // 2), relief_days=max(0.5, 3 - 0.25 * k))  # fmt: skip
    _questionnaire(escalating, "nrs_pain", {"q1": 6}, now - dt.timedelta(days=7 * WEEKS - 1))
    _questionnaire(escalating, "phq4", {"q1": 2, "q2": 2, "q3": 2, "q4": 1}, now - dt.timedelta(days=7 * WEEKS - 1))
    LeftRightSession.objects.create(patient=escalating, n_trials=20, accuracy=0.55, median_rt_ms=1900)

    for n in range(7 * WEEKS - 10):  # quiet: wrote for three and a half weeks, then nothing for ten days
        day = start + dt.timedelta(days=n)
        pain, sleep, stress = 5 + rng.normal(0, 0.8), 6 + rng.normal(0, 1), 4 + rng.normal(0, 1)
        DiaryDay.objects.create(
            patient=quiet, date=day, pain_nrs=_scale(pain), sleep_quality=_scale(sleep), stress=_scale(stress)
        )
    _questionnaire(quiet, "nrs_pain", {"q1": 5}, now - dt.timedelta(days=7 * WEEKS - 1))

    from yotsu_web.plans.demo import create_demo_plans

    create_demo_plans(patients, practitioner_user, WEEKS)
