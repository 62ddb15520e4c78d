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
