"""The demo entry point sets up a clinic with people and prints how to log in."""

from __future__ import annotations

import pytest

from yotsu_web import demo
from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Clinic, Membership, Role


@pytest.mark.django_db
def test_demo_creates_a_clinic_a_practitioner_and_three_patients(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["--no-serve", "--port", "8123"]) == 0
    clinic = Clinic.objects.get(slug=demo.DEMO_CLINIC_SLUG)
    roles = sorted(Membership.objects.filter(clinic=clinic).values_list("role", flat=True))
    assert roles == sorted([Role.ADMIN, Role.PRACTITIONER, Role.PATIENT, Role.PATIENT, Role.PATIENT])
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/c/demo/" in out
    for username in ("demo-practitioner", *demo.DEMO_PATIENTS):
        assert username in out
    assert demo.DEMO_PASSWORD in out


@pytest.mark.django_db
def test_demo_logins_work_and_a_second_run_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(["--no-serve"])
    demo.main(["--no-serve"])
    assert Clinic.objects.count() == 1 and User.objects.count() == 5
    assert User.objects.get(username="demo-practitioner").check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_patients_show_improvement_escalation_and_a_silent_diary(capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from django.utils import timezone

    from yotsu_web.desk.status import patient_status
    from yotsu_web.diary.models import DiaryDay

    demo.main(["--no-serve"])
    demo.main(["--no-serve"])  # records are replaced, not doubled
    clinic = Clinic.objects.get(slug=demo.DEMO_CLINIC_SLUG)
    records = [Membership.objects.get(clinic=clinic, user__username=name) for name in demo.DEMO_PATIENTS]
    assert DiaryDay.objects.filter(patient=records[0]).count() == 35
    today = timezone.localdate()
    improving, escalating, quiet = (patient_status(r, today) for r in records)
    assert "diary pain" in improving.mcid_reached and "nrs_pain" in improving.mcid_reached
    assert not improving.escalation and not improving.no_diary
    assert escalating.escalation and not escalating.no_diary
    assert quiet.no_diary and not quiet.escalation
    assert records[0].left_right_sessions.count() == 5
    assert (
        records[0].questionnaire_responses.filter(completed_at__lte=timezone.now() + dt.timedelta(seconds=1)).count()
        == 4
    )


@pytest.mark.django_db
def test_demo_patients_have_japanese_names_and_a_consent(capsys: pytest.CaptureFixture[str]) -> None:
    from yotsu_web.accounts.identity import clean_furigana
    from yotsu_web.accounts.models import Consent

    demo.main(["--no-serve"])
    demo.main(["--no-serve"])
    for name in demo.DEMO_PATIENTS:
        user = User.objects.get(username=name)
        assert user.full_name and user.birth_date and clean_furigana(user.furigana) == user.furigana
        consent = Consent.objects.get(patient__user=user)  # one, not doubled by the second run
        assert consent.withdrawn_at is None and consent.notice_version
