"""The practitioner edits a patient's plan (the pathway's builder: risk group, weeks, sleep care, massage);
each change is a new version on the timeline with who changed what, audited; the patient's plan page shows
this week's sessions and the home programme's exercises, the one list (the programme owns exercises)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.exercises import exercise_library
from yotsu.pathway.plan import build_plan, plan_templates
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.plans.models import PlanVersion

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
    assert version.changed_by == personas.practitioner
    assert AuditEvent.objects.filter(
        actor=personas.practitioner, action=Action.CREATE, subject_type="planversion", subject_id=version.pk
    ).exists()
    page = patient_plan_page(client, personas)
    expected = build_plan("medium", weeks=8, sleep_problem=True)
    assert expected.summary.ja in page and 'id="plan-changed"' in page
    assert "8 週のうち第 1 週" in page
    assert plan_templates().sleep_care.description.ja in page
    assert "担当の施術者がまだ自宅での運動を選んでいません" in page  # no programme yet: no second list
    assert exercise_library().get("left_right_judgement").name.ja not in page


def test_each_change_is_a_new_version_listed_on_the_timeline_with_who_and_what(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    client.post(edit_url(personas), plan_form())
    client.post(edit_url(personas), plan_form(**{"plan-weeks": "12", "plan-note": ""}))
    first, second = PlanVersion.objects.order_by("pk")
    assert {c["field"] for c in first.changes} >= {"risk_group", "weeks"}
    assert second.changes == [{"field": "weeks", "before": 8, "after": 12}]
    assert AuditEvent.objects.filter(action=Action.CHANGE, subject_type="planversion", subject_id=second.pk).exists()
    desk = client.get(reverse("desk:patient", args=["sakura", personas.patient_record.pk])).content.decode()
    assert desk.count("プラン変更") == 2 and "(pat)" in desk
    assert "週数：8 → 12" in desk
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
    assert "plan-level_" not in page  # exercises are chosen in the programme builder, linked from here
    assert reverse("programme:build", args=["sakura", personas.patient_record.pk]) in page
    client.post(edit_url(personas), plan_form(**{"plan-risk_group": "high", "plan-weeks": "12"}))
    assert {c["field"] for c in PlanVersion.objects.get().changes} == {"sleep_care"}
    build = client.get(reverse("programme:build", args=["sakura", personas.patient_record.pk])).content.decode()
    suggested = build_plan("high", weeks=12, sleep_problem=True).exercises
    for planned in suggested:  # a first programme starts from the plan's exercises, ticked
        row = build.split(f'id="row-{planned.exercise.id}"', 1)[1].split("</article>", 1)[0]
        assert "checked" in row


def test_massage_above_the_comfortable_maximum_is_refused_with_the_pathways_reason(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    cap = plan_templates().comfortable_massage_max_pressure
    response = client.post(edit_url(personas), plan_form(**{"plan-massage_pressure": str(cap + 2)}))
    assert response.status_code == 400
    assert "脅威" in response.content.decode()  # the pathway's message: strong pressure can read as a threat
    assert not PlanVersion.objects.exists()


def test_the_plan_page_lists_the_programmes_exercises_and_sends_logging_to_the_programme(
    client: Client, personas: Personas
) -> None:
    from yotsu_web.programme.models import Programme, ProgrammeExercise

    client.force_login(personas.practitioner)
    client.post(edit_url(personas), plan_form())
    programme = Programme.objects.create(
        patient=personas.patient_record, baseline_pain_nrs=3, start_date=timezone.localdate()
    )
    hip_hinge = exercise_library().get("hip_hinge")
    dose = hip_hinge.levels[1].dose
    ProgrammeExercise.objects.create(
        programme=programme, patient=personas.patient_record, exercise_id="hip_hinge", level=2,
        level_since=timezone.localdate(), sets=dose.sets, reps=dose.reps, days_per_week=dose.days_per_week,
    )  # fmt: skip
    page = patient_plan_page(client, personas)
    assert hip_hinge.name.ja in page and "レベル 2 / 3" in page
    assert reverse("programme:today", args=["sakura"]) in page and 'id="exercise-log"' not in page
    assert client.post(reverse("assessments:plan", args=["sakura"]), {}).status_code == 405
