"""The demo's plans: the practitioner adjusted demo-patient-1's plan (after STarT Back, low risk) and
started one for demo-patient-2 (no STarT Back yet, comfortable massage only); their exercises are the
home programme's (``programme.demo``). demo-patient-2 answered the two
single questions of the explanation page. demo-patient-3 has no plan: the explanation compares the
shipped plans only. Safe to run again (rows are replaced)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yotsu_web.clinics.models import Membership
from yotsu_web.explain.models import CachedExplanation, ProfileAnswers
from yotsu_web.plans.models import PlanVersion


def create_demo_plans(patients: list[Membership], practitioner_user: object, weeks_of_records: int) -> None:
    improving, escalating, _quiet = patients  # the third has no plan
    for model in (PlanVersion, ProfileAnswers, CachedExplanation):
        model.objects.filter(patient__in=patients).delete()
    today = timezone.localdate()
    start = today - dt.timedelta(days=7 * weeks_of_records - 1)
    first = PlanVersion.objects.create(
        patient=improving, changed_by=practitioner_user, start_date=start, risk_group="low", weeks=12,
        changes=[{"field": "risk_group", "before": "medium", "after": "low"}],
        note="STarT Back の結果に合わせて低リスクの計画に。",
    )  # fmt: skip
    PlanVersion.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=14))
    PlanVersion.objects.create(
        patient=escalating, changed_by=practitioner_user, start_date=today - dt.timedelta(days=7), risk_group="medium",
        weeks=12, sleep_care=True, massage_pressure=3,
        changes=[{"field": "massage_pressure", "before": None, "after": 3}],
        note="強い圧は避け、心地よい範囲に。",
    )  # fmt: skip
    ProfileAnswers.objects.create(patient=escalating, sleep_quality=3, life_pressure=8)
