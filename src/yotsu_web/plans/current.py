"""The plan in force for a patient: the practitioner's latest version, or else the pathway's plan for the
patient's STarT Back risk group (``build_plan``) from the day STarT Back was completed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yotsu.i18n import LocalText
from yotsu.pathway.plan import CarePlan, PlanBasis, PlannedSession, plan_from_known
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Membership
from yotsu_web.plans.models import PlanVersion

PLAN_WEEKS = 12


@dataclass(frozen=True)
class CurrentPlan:
    plan: CarePlan
    start_date: dt.date
    version: PlanVersion | None  # None: the builder's plan from what is known, not edited by the practitioner
    basis: PlanBasis = PlanBasis.PRACTITIONER
    basis_label: LocalText | None = None  # what the plan rests on, for the patient (None: edited version)

    @property
    def is_default(self) -> bool:
        return self.basis is PlanBasis.DEFAULT

    def week(self, today: dt.date) -> int | None:
        """The plan's week (0 = first) that ``today`` falls in; None before the start or after the end."""
        days = (today - self.start_date).days
        if days < 0 or days >= 7 * self.plan.weeks:
            return None
        return days // 7

    def sessions_in_week(self, week: int) -> list[tuple[dt.date, PlannedSession]]:
        return [(self.start_date + dt.timedelta(days=s.day), s) for s in self.plan.sessions if s.day // 7 == week]


def latest_start_back(patient: Membership) -> QuestionnaireResponse | None:
    return (
        QuestionnaireResponse.objects.filter(patient=patient, instrument="start_back", completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


def current_plan(patient: Membership) -> CurrentPlan | None:
    version = PlanVersion.objects.filter(patient=patient).order_by("-created_at", "-pk").first()
    if version is not None:
        return CurrentPlan(plan=version.care_plan(), start_date=version.start_date, version=version)
    start_back = latest_start_back(patient)
    if start_back is None or start_back.completed_at is None:
        known = plan_from_known(weeks=PLAN_WEEKS)  # never a dead end: the labelled default
        start = timezone.localtime(patient.created_at).date()
    else:
        known = plan_from_known(start_back.result(), weeks=PLAN_WEEKS)
        start = timezone.localtime(start_back.completed_at).date()
    return CurrentPlan(plan=known.plan, start_date=start, version=None, basis=known.basis, basis_label=known.label)
