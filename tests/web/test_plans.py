"""The practitioner edits a patient's plan (the pathway's builder and exercise library); each change is a
new version on the timeline with who changed what, audited; the patient's plan page shows this week's
sessions and each exercise at the level the pathway's progression rule reached from the pain responses."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.exercises import PainResponse, exercise_library, next_level
from yotsu.pathway.plan import build_plan, plan_templates
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.diary.models import DiaryDay
from yotsu_web.plans.models import ExerciseLog, PlanVersion

from .conftest import Personas


def edit_url(personas: Personas) -> str:
    return reverse("plans:edit", args=["sakura", personas.patient_record.pk])


def plan_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "plan-risk_group": "medium",
        "plan-weeks": "8",
        "plan-start_date": timezone.localdate().isoformat(),
        "plan-sleep_care": "on",
        "plan-massage_pressure": "",
        "plan-level_hip_hinge": "2",
        "plan-level_graded_walking": "1",
        "plan-note": "歩行を優先",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def patient_plan_page(client: Client, personas: Personas) -> str:
    client.force_login(personas.patient)
    response = client.get(reverse("assessments:plan", args=["sakura"]))
    assert response.status_code == 200
    return response.content.decode()


def test_practitioner_creates_a_plan_the_patient_sees_with_this_weeks_sessions(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    response = client.post(edit_url(personas), plan_form())
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    assert version.changed_by == personas.practitioner and version.exercises == [
        {"id": "hip_hinge", "level": 2},
        {"id": "graded_walking", "level": 1},
    ]
    assert AuditEvent.objects.filter(
        actor=personas.practitioner, action=Action.CREATE, subject_type="planversion", subject_id=version.pk
    ).exists()
    page = patient_plan_page(client, personas)
    expected = build_plan("medium", weeks=8, sleep_problem=True)
    hip_hinge = exercise_library().get("hip_hinge")
    assert expected.summary.ja in page and 'id="plan-changed"' in page
    assert hip_hinge.levels[1].description.ja in page and "レベル 2 / 3" in page
    assert "8 週のうち第 1 週" in page
    assert plan_templates().sleep_care.description.ja in page
    assert exercise_library().get("left_right_judgement").name.ja not in page  # the builder's, not chosen


def test_each_change_is_a_new_version_listed_on_the_timeline_with_who_and_what(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    client.post(edit_url(personas), plan_form())
    client.post(edit_url(personas), plan_form(**{"plan-weeks": "12", "plan-level_hip_hinge": "", "plan-note": ""}))
    first, second = PlanVersion.objects.order_by("pk")
    assert {c["field"] for c in first.changes} >= {"risk_group", "weeks", "exercise"}
    assert second.changes == [
        {"field": "weeks", "before": 8, "after": 12},
        {"field": "exercise", "exercise": "hip_hinge", "before": 2, "after": None},
    ]
    assert AuditEvent.objects.filter(action=Action.CHANGE, subject_type="planversion", subject_id=second.pk).exists()
    desk = client.get(reverse("desk:patient", args=["sakura", personas.patient_record.pk])).content.decode()
    assert desk.count("プラン変更") == 2 and "(pat)" in desk
    assert "週数：8 → 12" in desk and "ヒップヒンジ（股関節からのおじぎ） を削除" in desk
    edit_page = client.get(edit_url(personas)).content.decode()
    assert "週数：8 → 12" in edit_page and "歩行を優先" in edit_page


def test_the_builders_plan_from_start_back_is_the_starting_point_of_the_form(
    client: Client, personas: Personas
) -> None:
    from .test_explanation import completed

    answers = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 1, "q8": 1, "q9": 4}
    completed(personas.patient_record, "start_back", answers)
    client.force_login(personas.practitioner)
    page = client.get(edit_url(personas)).content.decode()
    assert 'value="high" selected' in page
    assert 'name="plan-level_gaze_stabilisation"' in page
    client.post(edit_url(personas), plan_form(**{"plan-risk_group": "high", "plan-weeks": "12"}))
    assert {c["field"] for c in PlanVersion.objects.get().changes} == {"sleep_care", "exercise"}


def test_massage_above_the_comfortable_maximum_is_refused_with_the_pathways_reason(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    cap = plan_templates().comfortable_massage_max_pressure
    response = client.post(edit_url(personas), plan_form(**{"plan-massage_pressure": str(cap + 2)}))
    assert response.status_code == 400
    assert "脅威" in response.content.decode()  # the pathway's message: strong pressure can read as a threat
    assert not PlanVersion.objects.exists()


def hip_hinge_level(page: str) -> str:
    name = exercise_library().get("hip_hinge").name.ja
    return page.split(f'{name} <span class="tag good">', 1)[1].split("<", 1)[0]


def plan_from_days_ago(client: Client, personas: Personas, days: int) -> None:
    client.force_login(personas.practitioner)
    client.post(edit_url(personas), plan_form(**{"plan-level_hip_hinge": "1"}))
    PlanVersion.objects.update(created_at=timezone.now() - dt.timedelta(days=days))


def log(client: Client, day: dt.date, before: int, during: int, morning: int | None) -> int:
    data = {"log-exercise": "hip_hinge", "log-date": day.isoformat(), "log-pain_before": before,
            "log-pain_during_max": during, "log-pain_next_morning": "" if morning is None else morning}  # fmt: skip
    return client.post(reverse("assessments:plan", args=["sakura"]), data).status_code


def test_exercise_level_follows_the_pathways_progression_from_logged_pain(client: Client, personas: Personas) -> None:
    plan_from_days_ago(client, personas, 5)
    client.force_login(personas.patient)
    today = timezone.localdate()
    rule = exercise_library().progression
    assert rule.sessions_required == 2
    DiaryDay.objects.create(patient=personas.patient_record, date=today, pain_nrs=3)
    assert log(client, today - dt.timedelta(days=1), 4, 5, None) == 302  # next morning from the diary: 3
    assert hip_hinge_level(patient_plan_page(client, personas)) == "レベル 1 / 3"
    assert log(client, today, 4, 4, 4) == 302
    page = patient_plan_page(client, personas)
    assert hip_hinge_level(page) == "レベル 2 / 3"
    hip_hinge = exercise_library().get("hip_hinge")
    good = PainResponse(before=4, during_max=4, next_morning=4)
    assert next_level(hip_hinge, 1, [good, good]).reason.ja in page
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="exerciselog").count() == 2
    assert log(client, today, 3, 8, 3) == 302  # a flare steps back
    assert hip_hinge_level(patient_plan_page(client, personas)) == "レベル 1 / 3"


def test_logs_from_before_the_plan_version_do_not_count(client: Client, personas: Personas) -> None:
    plan_from_days_ago(client, personas, 0)
    client.force_login(personas.patient)
    today = timezone.localdate()
    assert log(client, today - dt.timedelta(days=2), 4, 4, 4) == 302
    assert log(client, today - dt.timedelta(days=1), 4, 4, 4) == 302
    assert hip_hinge_level(patient_plan_page(client, personas)) == "レベル 1 / 3"


def test_a_log_without_next_morning_pain_anywhere_does_not_count(client: Client, personas: Personas) -> None:
    plan_from_days_ago(client, personas, 5)
    client.force_login(personas.patient)
    today = timezone.localdate()
    assert log(client, today - dt.timedelta(days=3), 4, 4, None) == 302
    assert log(client, today - dt.timedelta(days=2), 4, 4, None) == 302
    assert ExerciseLog.objects.count() == 2
    assert hip_hinge_level(patient_plan_page(client, personas)) == "レベル 1 / 3"


def test_exercise_log_refuses_a_future_date_and_an_exercise_outside_the_plan(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    client.post(edit_url(personas), plan_form())
    client.force_login(personas.patient)
    assert log(client, timezone.localdate() + dt.timedelta(days=1), 4, 4, 4) == 400
    data = {"log-exercise": "smooth_pursuit", "log-date": timezone.localdate().isoformat(), "log-pain_before": 1,
            "log-pain_during_max": 1, "log-pain_next_morning": 1}  # fmt: skip
    assert client.post(reverse("assessments:plan", args=["sakura"]), data).status_code == 400
    assert not ExerciseLog.objects.exists()


def test_without_a_plan_a_log_is_not_accepted(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert log(client, timezone.localdate(), 4, 4, 4) == 400
    assert not ExerciseLog.objects.exists()
