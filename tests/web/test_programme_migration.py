"""The data migration that makes the home programme the one owner of exercises: a plan's exercises
become programme entries, exercise pain responses become session logs and morning pains, and rows the
programme already holds win. Run with Django's migration executor on the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yotsu.pathway.exercises import exercise_library

BEFORE = [("plans", "0001_initial"), ("programme", "0001_initial")]
AFTER = [("plans", "0002_exercises_to_programme"), ("programme", "0002_from_plans")]
DAY = dt.date(2026, 3, 2)


def migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_plan_exercises_and_logs_move_into_the_programme() -> None:
    old = migrate(BEFORE)
    # Accounts and clinics are at their latest migration: their current models make the people.
    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership

    clinic = Clinic.objects.create(name="さくら", slug="sakura", notification_email="s@example.com")
    alice = Membership.objects.create(user=User.objects.create(username="alice"), clinic=clinic, role="patient")
    bob = Membership.objects.create(user=User.objects.create(username="bob"), clinic=clinic, role="patient")
    alice, bob = (old.get_model("clinics", "Membership").objects.get(pk=m.pk) for m in (alice, bob))
    PlanVersion = old.get_model("plans", "PlanVersion")
    ExerciseLog = old.get_model("plans", "ExerciseLog")
    common = {"start_date": DAY, "risk_group": "low", "weeks": 12}
    PlanVersion.objects.create(patient=alice, exercises=[{"id": "hip_hinge", "level": 1}], **common)
    PlanVersion.objects.create(patient=alice, exercises=[{"id": "hip_hinge", "level": 2},
                                                         {"id": "graded_walking", "level": 1}], **common)  # fmt: skip
    for i, (before, during, morning) in enumerate([(4, 5, 3), (4, 4, None), (5, 4, 4)]):
        ExerciseLog.objects.create(patient=alice, exercise="hip_hinge", date=DAY + dt.timedelta(days=i),
                                   pain_before=before, pain_during_max=during, pain_next_morning=morning)  # fmt: skip
    ExerciseLog.objects.create(patient=alice, exercise="pelvic_tilt_awareness", date=DAY, pain_before=4,
                               pain_during_max=2, pain_next_morning=None)  # fmt: skip
    # bob already has a programme with hip hinge at level 3 and a morning pain: the programme's rows win
    Programme = old.get_model("programme", "Programme")
    Entry = old.get_model("programme", "ProgrammeExercise")
    MorningPain = old.get_model("programme", "MorningPain")
    theirs = Programme.objects.create(patient=bob, baseline_pain_nrs=2, start_date=DAY)
    Entry.objects.create(programme=theirs, patient=bob, exercise_id="hip_hinge", level=3, level_since=DAY, sets=3,
                         reps=10, days_per_week=3)  # fmt: skip
    MorningPain.objects.create(patient=bob, date=DAY + dt.timedelta(days=1), pain_nrs=2)
    PlanVersion.objects.create(patient=bob, exercises=[{"id": "hip_hinge", "level": 1}], **common)
    ExerciseLog.objects.create(patient=bob, exercise="hip_hinge", date=DAY, pain_before=3, pain_during_max=3,
                               pain_next_morning=6)  # fmt: skip

    new = migrate(AFTER)
    Programme, Entry = new.get_model("programme", "Programme"), new.get_model("programme", "ProgrammeExercise")
    SessionLog, MorningPain = new.get_model("programme", "SessionLog"), new.get_model("programme", "MorningPain")
    mine = Programme.objects.get(patient_id=alice.pk)
    assert (mine.baseline_pain_nrs, mine.start_date) == (4, DAY)  # median pain before exercise
    entries = {e.exercise_id: e for e in Entry.objects.filter(programme=mine)}
    assert {k: (e.level, e.active) for k, e in entries.items()} == {
        "hip_hinge": (2, True), "graded_walking": (1, True), "pelvic_tilt_awareness": (1, False),
    }  # fmt: skip
    level_2 = exercise_library().get("hip_hinge").levels[1].dose
    assert (entries["hip_hinge"].sets, entries["hip_hinge"].reps) == (level_2.sets, level_2.reps)
    logs = SessionLog.objects.filter(entry=entries["hip_hinge"]).order_by("date")
    assert [(g.date, g.status, g.pain_during) for g in logs] == [
        (DAY + dt.timedelta(days=i), "done", p) for i, p in enumerate([5, 4, 4])
    ]
    assert sorted(MorningPain.objects.filter(patient_id=alice.pk).values_list("date", "pain_nrs")) == [
        (DAY + dt.timedelta(days=1), 3), (DAY + dt.timedelta(days=3), 4),
    ]  # fmt: skip
    theirs = Programme.objects.get(patient_id=bob.pk)
    assert theirs.baseline_pain_nrs == 2
    assert list(Entry.objects.filter(programme=theirs).values_list("exercise_id", "level")) == [("hip_hinge", 3)]
    assert list(MorningPain.objects.filter(patient_id=bob.pk).values_list("pain_nrs", flat=True)) == [2]
    assert SessionLog.objects.filter(patient_id=bob.pk).count() == 1
    assert "exercises" not in {f.name for f in new.get_model("plans", "PlanVersion")._meta.get_fields()}
    with pytest.raises(LookupError):
        new.get_model("plans", "ExerciseLog")
