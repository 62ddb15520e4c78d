"""The home programme through its views: builder, two-tap logging, next-morning pain, proposals with
accept / override / automatic, flare and no-log alerts with the gentle message. Audited throughout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.exercises import exercise_library
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.messaging.models import Message, SystemText
from yotsu_web.programme.models import (
    Alert,
    AlertKind,
    ClinicProgrammeSettings,
    Decision,
    MorningPain,
    Programme,
    ProgrammeExercise,
    Proposal,
    SessionLog,
)
from yotsu_web.programme.services import check_inactivity

from .conftest import Personas
from .programme_helpers import make_programme


@pytest.fixture(autouse=True)
def _one_login_over_days(settings) -> None:  # type: ignore[no-untyped-def]
    """These tests follow one patient's login over days of exercise; the idle logout, which would end it
    after an hour (tested in test_session_timeout), is off here."""
    settings.YOTSU_IDLE_LOGOUT = False


LIB = exercise_library()


def build_url(personas: Personas) -> str:
    return reverse("programme:build", args=["sakura", personas.patient_record.pk])


def builder_post(**rows: dict[str, object]) -> dict[str, object]:
    data: dict[str, object] = {"baseline_pain_nrs": 3, "start_date": "2026-03-02"}
    for exercise_id, fields in rows.items():
        for name, value in fields.items():
            data[f"{exercise_id}-{name}"] = value
    return data


def row(exercise_id: str, include: bool = True, level: int = 1, **dose: object) -> dict[str, object]:
    base = LIB.get(exercise_id).levels[level - 1].dose.model_dump()
    base.update(dose)
    fields = {"shown": "True", "level": level, **{k: "" if v is None else v for k, v in base.items()}}
    if include:
        fields["include"] = "on"
    return fields


def test_builder_prefills_the_library_dose_and_filters_by_goal(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    page = client.get(build_url(personas), {"goal": "ankle_balance"}).content.decode()
    assert 'name="single_leg_stance-hold_seconds"' in page and 'value="15"' in page
    assert "hip_hinge-sets" not in page and "ankle_rocking-sets" in page
    found = client.get(build_url(personas), {"q": "ヒンジ"}).content.decode()
    assert "hip_hinge-sets" in found and "ankle_rocking-sets" not in found


def test_practitioner_builds_a_programme_with_an_edited_dose(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    data = builder_post(
        hip_hinge=row("hip_hinge", sets=1),
        single_leg_stance=row("single_leg_stance"),
        ankle_rocking=row("ankle_rocking", include=False),
    )
    response = client.post(build_url(personas), data)
    assert response.status_code == 302
    programme = Programme.objects.get(patient=personas.patient_record)
    entries = {e.exercise_id: e for e in programme.exercises.all()}
    assert set(entries) == {"hip_hinge", "single_leg_stance"}
    assert (entries["hip_hinge"].sets, entries["hip_hinge"].reps) == (1, 8)
    assert entries["single_leg_stance"].hold_seconds == 15
    assert AuditEvent.objects.filter(subject_type="programme", action=Action.CREATE).count() == 1


def test_builder_refuses_reps_and_seconds_together(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    data = builder_post(hip_hinge=row("hip_hinge", hold_seconds=10))
    response = client.post(build_url(personas), data)
    assert response.status_code == 200 and not Programme.objects.exists()


def test_builder_for_another_clinics_patient_is_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    url = reverse("programme:build", args=["sakura", personas.other_patient_record.pk])
    assert client.post(url, builder_post(hip_hinge=row("hip_hinge"))).status_code == 404
    assert not Programme.objects.exists()


def log(client: Client, entry: ProgrammeExercise, status: str = "done", pain: int | None = 2) -> int:
    data = {"entry": entry.pk, "status": status}
    if pain is not None:
        data["pain"] = pain
    return client.post(reverse("programme:log", args=["sakura"]), data).status_code


def morning(client: Client, pain: int) -> int:
    return client.post(reverse("programme:morning", args=["sakura"]), {"pain": pain}).status_code


def test_two_taps_log_a_session_and_the_page_shows_it(client: Client, personas: Personas) -> None:
    programme = make_programme(personas.patient_record)
    entry = programme.exercises.first()
    client.force_login(personas.patient)
    assert log(client, entry, "partly", 4) == 302
    saved = SessionLog.objects.get()
    assert (saved.status, saved.pain_during, saved.level, saved.date) == ("partly", 4, 1, timezone.localdate())
    page = client.get(reverse("programme:today", args=["sakura"])).content.decode()
    assert "exercise-figure" in page and "svg" in page
    assert LIB.get(entry.exercise_id).why_safety("ja")[:10] in page


def test_done_without_pain_is_refused_and_not_today_needs_none(client: Client, personas: Personas) -> None:
    entry = make_programme(personas.patient_record).exercises.first()
    client.force_login(personas.patient)
    assert log(client, entry, "done", None) == 400
    assert log(client, entry, "skipped", None) == 302
    assert SessionLog.objects.get().pain_during is None


def test_patient_cannot_log_another_patients_exercise(client: Client, personas: Personas) -> None:
    other_entry = make_programme(personas.other_patient_record).exercises.first()
    make_programme(personas.patient_record)
    client.force_login(personas.patient)
    assert log(client, other_entry) == 404
    assert not SessionLog.objects.exists()


def test_next_morning_pain_is_asked_on_the_first_visit_of_the_next_day(client: Client, personas: Personas) -> None:
    entry = make_programme(personas.patient_record).exercises.first()
    client.force_login(personas.patient)
    today_url = reverse("programme:today", args=["sakura"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        log(client, entry)
        assert 'id="morning"' not in client.get(today_url).content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        assert 'id="morning"' in client.get(today_url).content.decode()
        assert morning(client, 3) == 302
        assert 'id="morning"' not in client.get(today_url).content.decode()
    assert MorningPain.objects.get().date == dt.date(2026, 3, 3)


def log_days(
    client: Client, entries: list[ProgrammeExercise], start: dt.date, days: int, pain: int = 2, morning_pain: int = 3
) -> None:
    """Log every entry each day at 19:00 Tokyo and the next morning's pain at 07:00."""
    for i in range(days):
        day = start + dt.timedelta(days=i)
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False):
            for e in entries:
                assert log(client, e, pain=pain) == 302
        nxt = day + dt.timedelta(days=1)
        with time_machine.travel(dt.datetime(nxt.year, nxt.month, nxt.day, 0, tzinfo=dt.UTC), tick=False):
            assert morning(client, morning_pain) == 302


def test_two_settled_sessions_propose_progress_and_the_practitioner_accepts(client: Client, personas: Personas) -> None:
    programme = make_programme(personas.patient_record, ("hip_hinge",), start=dt.date(2026, 3, 2))
    entry = programme.exercises.get()
    client.force_login(personas.patient)
    log_days(client, [entry], dt.date(2026, 3, 2), 2)
    proposal = Proposal.objects.get(decision=Decision.PENDING)
    assert (proposal.step, proposal.from_level, proposal.to_level) == ("progress", 1, 2)
    entry.refresh_from_db()
    assert entry.level == 1  # unchanged until the practitioner accepts
    client.force_login(personas.practitioner)
    page = client.get(reverse("programme:patient", args=["sakura", personas.patient_record.pk])).content.decode()
    assert f'id="proposal-{proposal.pk}"' in page
    url = reverse("programme:decide", args=["sakura", personas.patient_record.pk])
    assert client.post(url, {"proposal": proposal.pk, "action": "accept"}).status_code == 302
    entry.refresh_from_db()
    proposal.refresh_from_db()
    assert (entry.level, entry.sets, entry.reps) == (2, 3, 10)
    assert (proposal.decision, proposal.decided_by) == (Decision.ACCEPTED, personas.practitioner)


def test_override_needs_a_reason_and_records_it(client: Client, personas: Personas) -> None:
    programme = make_programme(personas.patient_record, ("hip_hinge",), start=dt.date(2026, 3, 2))
    entry = programme.exercises.get()
    client.force_login(personas.patient)
    log_days(client, [entry], dt.date(2026, 3, 2), 2)
    proposal = Proposal.objects.get()
    client.force_login(personas.practitioner)
    url = reverse("programme:decide", args=["sakura", personas.patient_record.pk])
    assert client.post(url, {"proposal": proposal.pk, "action": "override", "level": 1}).status_code == 400
    reason = "膝の術後なので1週待つ"
    assert (
        client.post(url, {"proposal": proposal.pk, "action": "override", "level": 1, "reason": reason}).status_code
        == 302
    )
    proposal.refresh_from_db()
    entry.refresh_from_db()
    assert (proposal.decision, proposal.override_reason, proposal.applied_level, entry.level) == (
        Decision.OVERRIDDEN,
        reason,
        1,
        1,
    )


def test_proposal_of_another_patient_cannot_be_decided_through_this_one(client: Client, personas: Personas) -> None:
    from .conftest import make_user

    second = make_user("carol", personas.clinic, "patient").memberships.get()
    entry = make_programme(second, ("hip_hinge",)).exercises.get()
    proposal = Proposal.objects.create(
        entry=entry,
        patient=second,
        day=dt.date(2026, 3, 2),
        step="progress",
        from_level=1,
        to_level=2,
        to_dose={},
        reason_en="",
        reason_ja="",
    )
    client.force_login(personas.practitioner)
    url = reverse("programme:decide", args=["sakura", personas.patient_record.pk])
    assert client.post(url, {"proposal": proposal.pk, "action": "accept"}).status_code == 404


def test_clinic_setting_applies_proposals_automatically(client: Client, personas: Personas) -> None:
    ClinicProgrammeSettings.objects.create(clinic=personas.clinic, apply_progressions_automatically=True)
    entry = make_programme(personas.patient_record, ("hip_hinge",), start=dt.date(2026, 3, 2)).exercises.get()
    client.force_login(personas.patient)
    log_days(client, [entry], dt.date(2026, 3, 2), 2)
    entry.refresh_from_db()
    assert entry.level == 2
    assert Proposal.objects.get().decision == Decision.AUTOMATIC
    with time_machine.travel(dt.datetime(2026, 3, 4, 1, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("programme:today", args=["sakura"])).content.decode()
    assert 'id="moved-up"' in page


def test_flare_two_days_running_raises_the_alert_and_a_gentle_message(client: Client, personas: Personas) -> None:
    entry = make_programme(personas.patient_record, ("hip_hinge",), start=dt.date(2026, 3, 2)).exercises.get()
    entry.level = 2
    entry.save()
    client.force_login(personas.patient)
    log_days(client, [entry], dt.date(2026, 3, 2), 1, pain=7)
    assert not Alert.objects.exists()
    log_days(client, [entry], dt.date(2026, 3, 3), 1, pain=8)
    alert = Alert.objects.get()
    assert (alert.kind, alert.day) == (AlertKind.FLARE, dt.date(2026, 3, 3))
    assert Message.objects.get(patient=personas.patient_record).system_text == SystemText.FLARE
    assert Proposal.objects.filter(step="regress").exists()
    client.force_login(personas.practitioner)
    page = client.get(reverse("programme:overview", args=["sakura"])).content.decode()
    assert 'class="alert flare"' in page


def test_three_days_without_a_log_raise_the_alert_once(personas: Personas) -> None:
    make_programme(personas.patient_record, start=dt.date(2026, 3, 2))
    assert check_inactivity(dt.date(2026, 3, 4)) == 0
    assert check_inactivity(dt.date(2026, 3, 5)) == 1
    assert check_inactivity(dt.date(2026, 3, 5)) == 0
    assert Alert.objects.get().kind == AlertKind.NO_LOG
    assert Message.objects.get().system_text == SystemText.NO_LOG


def test_practitioner_marks_an_alert_seen(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, start=dt.date(2026, 3, 2))
    check_inactivity(dt.date(2026, 3, 5))
    alert = Alert.objects.get()
    client.force_login(personas.practitioner)
    url = reverse("programme:resolve-alert", args=["sakura", personas.patient_record.pk])
    assert client.post(url, {"alert": alert.pk}).status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by == personas.practitioner


def test_adherence_chart_is_svg_without_caching(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record)
    client.force_login(personas.practitioner)
    response = client.get(reverse("programme:chart", args=["sakura", personas.patient_record.pk]))
    assert response["Content-Type"] == "image/svg+xml" and response["Cache-Control"] == "private, no-store"
