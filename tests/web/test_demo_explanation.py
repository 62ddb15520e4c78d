"""The three demo patients' explanation and plan pages render with the demo data, with figures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu.i18n import gettext
from yotsu_web import demo
from yotsu_web.accounts.models import User
from yotsu_web.clinics.models import Membership
from yotsu_web.explain.service import personal_explanation, refresh
from yotsu_web.plans.current import current_plan


@pytest.mark.django_db
def test_demo_patients_explanations_render(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(["--no-serve"])
    slug = demo.DEMO_CLINIC_SLUG
    records = [Membership.objects.get(clinic__slug=slug, user__username=name) for name in demo.DEMO_PATIENTS]
    # the third demo patient has no STarT Back and no practitioner's plan: the labelled default plan
    assert [current_plan(r).is_default for r in records] == [False, False, True]  # type: ignore[union-attr]
    for name, record in zip(demo.DEMO_PATIENTS, records, strict=True):
        client.force_login(User.objects.get(username=name))
        assert refresh(record.pk) == "computed"  # what the demo's worker does
        page = client.get(reverse("explain:mine", args=[slug])).content.decode()
        explanation = personal_explanation(record).explanation
        assert gettext("Model estimate, not a diagnosis.", "ja") in page
        assert all(f.title.ja in page for f in explanation.dangers) and explanation.safeties
        plans = {c.plan for c in explanation.courses}
        assert "your-plan" in plans
        for which in ("course", "factors"):
            svg = client.get(reverse(f"explain:my-{which}", args=[slug]))
            assert svg.status_code == 200 and b"<svg" in svg.content
        plan_page = client.get(reverse("assessments:plan", args=[slug]))
        assert plan_page.status_code == 200
    client.force_login(User.objects.get(username="demo-practitioner"))
    for record in records:
        assert client.get(reverse("explain:patient", args=[slug, record.pk])).status_code == 200
    improving = personal_explanation(records[0])
    assert "body_map.precision" in improving.profile.inputs and "phq4.total" in improving.profile.inputs
    assert personal_explanation(records[1]).profile.inputs["life_pressure"].value == 8


@pytest.mark.django_db
def test_demo_plan_shows_a_progressed_exercise(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(["--no-serve"])
    client.force_login(User.objects.get(username=demo.DEMO_PATIENTS[0]))
    page = client.get(reverse("assessments:plan", args=[demo.DEMO_CLINIC_SLUG])).content.decode()
    assert "レベル 2 / 3" in page  # hip hinge: two settled sessions, then one more at level 2
