"""The demo has home programmes with weeks of logs, a progression and alerts, and its desk pages open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web import demo
from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Membership
from yotsu_web.programme.models import Alert, AlertKind, Decision, Proposal, SessionLog


@pytest.mark.django_db
def test_demo_programmes_have_weeks_of_logs_a_progression_and_both_alerts(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.main(["--no-serve"])
    demo.main(["--no-serve"])  # a second run rebuilds the same story
    first = Membership.objects.get(user__username="demo-patient-1")
    days = SessionLog.objects.filter(patient=first).values_list("date", flat=True).distinct()
    assert (max(days) - min(days)).days >= 14
    assert Proposal.objects.filter(patient=first, step="progress", decision=Decision.ACCEPTED).count() == 1
    assert set(Alert.objects.values_list("patient__user__username", "kind")) == {
        ("demo-patient-2", AlertKind.FLARE),
        ("demo-patient-3", AlertKind.NO_LOG),
    }
    client.force_login(User.objects.get(username="demo-practitioner"))
    page = client.get(reverse("programme:overview", args=[demo.DEMO_CLINIC_SLUG])).content.decode()
    assert page.count('class="bars"') == 3 and 'class="alert flare"' in page and 'class="alert no_log"' in page
    assert client.get(reverse("programme:patient", args=[demo.DEMO_CLINIC_SLUG, first.pk])).status_code == 200
