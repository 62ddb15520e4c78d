"""The home programme becomes the one owner of prescribed exercises, session logs and next-morning pain:
each patient's exercises of their latest plan version become programme entries, their exercise pain
responses become session logs, and a next-morning pain given there becomes the morning pain. Rows the
programme already holds win (an entry for the exercise, a log that day, a morning pain that date).
The plans migration that follows drops the plan's exercises and the exercise log."""

from __future__ import annotations

import datetime as dt
from statistics import median
from typing import Any

from django.db import migrations


def _programme(apps: Any, patient_id: int, start: dt.date, baseline: int) -> Any:
    Programme = apps.get_model("programme", "Programme")
    found = Programme.objects.filter(patient_id=patient_id).first()
    if found is not None:
        return found
    return Programme.objects.create(patient_id=patient_id, baseline_pain_nrs=baseline, start_date=start)


def _library_dose(exercise_id: str, level: int) -> dict[str, Any]:
    # The library as shipped now (data, not models): the dose of a level.
    from yotsu.pathway.exercises import UnknownExerciseError, exercise_library

    try:
        levels = exercise_library().get(exercise_id).levels
    except UnknownExerciseError:
        return {"sets": 1, "reps": 1, "hold_seconds": None, "days_per_week": 1}
    return levels[min(max(level, 1), len(levels)) - 1].dose.model_dump()


def forwards(apps: Any, schema_editor: Any) -> None:
    PlanVersion = apps.get_model("plans", "PlanVersion")
    ExerciseLog = apps.get_model("plans", "ExerciseLog")
    ProgrammeExercise = apps.get_model("programme", "ProgrammeExercise")
    SessionLog = apps.get_model("programme", "SessionLog")
    MorningPain = apps.get_model("programme", "MorningPain")
    DiaryDay = apps.get_model("diary", "DiaryDay")

    patients = set(PlanVersion.objects.exclude(exercises=[]).values_list("patient_id", flat=True))
    patients |= set(ExerciseLog.objects.values_list("patient_id", flat=True))
    for patient_id in sorted(patients):
        version = PlanVersion.objects.filter(patient_id=patient_id).order_by("-created_at", "-pk").first()
        logs = list(ExerciseLog.objects.filter(patient_id=patient_id).order_by("date", "pk"))
        before = [log.pain_before for log in logs]
        if not before:  # the person's usual pain: their diary's, when no exercise log says it
            before = list(
                DiaryDay.objects.filter(patient_id=patient_id, pain_nrs__isnull=False).values_list(
                    "pain_nrs", flat=True
                )
            )
        baseline = round(median(before)) if before else 0
        starts = [log.date for log in logs] + ([version.start_date] if version is not None else [])
        programme = _programme(apps, patient_id, min(starts), baseline)
        since = version.created_at.date() if version is not None else min(starts)
        planned = {e["id"]: e["level"] for e in (version.exercises if version is not None else [])}
        for exercise_id in dict.fromkeys([*planned, *(log.exercise for log in logs)]):
            if ProgrammeExercise.objects.filter(programme=programme, exercise_id=exercise_id).exists():
                continue
            level = planned.get(exercise_id, 1)
            dose = _library_dose(exercise_id, level)
            first_log = min((log.date for log in logs if log.exercise == exercise_id), default=since)
            ProgrammeExercise.objects.create(
                programme=programme, patient_id=patient_id, exercise_id=exercise_id, level=level,
                level_since=since if exercise_id in planned else first_log,
                sets=dose["sets"], reps=dose["reps"], hold_seconds=dose["hold_seconds"],
                days_per_week=dose["days_per_week"], active=exercise_id in planned,
                position=ProgrammeExercise.objects.filter(programme=programme).count(),
            )  # fmt: skip
        entries = {e.exercise_id: e for e in ProgrammeExercise.objects.filter(programme=programme)}
        for log in logs:
            entry = entries[log.exercise]
            if not SessionLog.objects.filter(entry=entry, date=log.date).exists():
                SessionLog.objects.create(
                    entry=entry, patient_id=patient_id, date=log.date, status="done",
                    pain_during=log.pain_during_max, level=entry.level,
                )  # fmt: skip
            morning = log.date + dt.timedelta(days=1)
            if (
                log.pain_next_morning is not None
                and not MorningPain.objects.filter(patient_id=patient_id, date=morning).exists()
            ):
                MorningPain.objects.create(patient_id=patient_id, date=morning, pain_nrs=log.pain_next_morning)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_initial"),
        ("plans", "0001_initial"),
        ("diary", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
