"""Shared helpers for the home-programme tests: a programme built through the library's doses."""

from __future__ import annotations

import datetime as dt

from yotsu.pathway.exercises import exercise_library
from yotsu_web.clinics.models import Membership
from yotsu_web.programme.models import Programme, ProgrammeExercise

from .conftest import Personas


def make_programme(
    patient: Membership,
    exercises: tuple[str, ...] = ("pelvic_tilt_awareness", "hip_hinge"),
    baseline: int = 3,
    start: dt.date | None = None,
) -> Programme:
    start = start or dt.date.today() - dt.timedelta(days=28)
    programme = Programme.objects.create(patient=patient, baseline_pain_nrs=baseline, start_date=start)
    library = exercise_library()
    for position, exercise_id in enumerate(exercises):
        entry = ProgrammeExercise(
            programme=programme, patient=patient, exercise_id=exercise_id, level=1, level_since=start, position=position
        )
        entry.set_dose(library.get(exercise_id).levels[0].dose)
        entry.save()
    return programme


def patient_with_programme(personas: Personas) -> list[object]:
    """Access-matrix ids: none in the URL, but the patient has a programme (pages that need one)."""
    make_programme(personas.patient_record)
    return []


def record_with_programme(personas: Personas) -> list[object]:
    make_programme(personas.patient_record)
    return [personas.patient_record.pk]
