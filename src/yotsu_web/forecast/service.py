"""The personal model for a patient: what it is fitted from, asking the queue for a fit, and storing it.

Every number is the pathway's (:func:`yotsu.pathway.personal.fit_diary`); this module gathers the
inputs (the diary with the clinic's visit records, the plan in force and the shipped comparison plans, the
open red flags, the latest 0-10 pain rating) and stores the result. A page never fits: it calls
:func:`request_fit`, which queues the worker's :func:`refresh` when the inputs changed, and shows the latest
stored fit with its date meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache

from django.db import transaction
from django.utils import timezone

from yotsu.i18n import LocalText
from yotsu.model import Plan
from yotsu.pathway import PathwayError
from yotsu.pathway.diary import Diary
from yotsu.pathway.explain import PERSONAL_PLAN, Explanation, candidate_plans, explain
from yotsu.pathway.personal import fit_diary, priors_from_explanation
from yotsu.pathway.profile import build_profile
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.diary.records import pathway_diary
from yotsu_web.forecast.models import ForecastSnapshot, PersonalForecast, Status
from yotsu_web.plans.current import current_plan
from yotsu_web.referrals.service import open_referral

VERSION = "1"  # change to refit every patient (e.g. when the personal model changes)
DRAWS = 400
SEED = 2026
#: A queued fit not done after this long is asked for again (the worker may have been down).
REQUEUE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class FitInputs:
    diary: Diary
    plans: dict[str, Plan]
    plan_key: str | None  # a hash of the plan in force (None: no plan yet)
    red_flag: bool
    baseline_pain: float | None
    fingerprint: str


def _hash(content: object) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def fit_inputs(patient: Membership) -> FitInputs:
    diary = pathway_diary(patient)
    current = current_plan(patient)
    plans = candidate_plans(current.plan if current is not None else None)
    plan_key = _hash([current.plan.model_dump(mode="json"), current.start_date]) if current is not None else None
    red_flag = open_referral(patient) is not None or bool(diary.red_flags)
    rating = (
        QuestionnaireResponse.objects.filter(patient=patient, instrument="nrs_pain", completed_at__isnull=False)
        .order_by("-completed_at")
        .values_list("total", flat=True)
        .first()
    )
    baseline = float(rating) if rating is not None else None
    from yotsu_web.explain.service import explanation_key

    # The questionnaires move the fit's priors through the explanation: its key stands for them here, so a
    # page only hashes; the worker computes the explanation and the priors (refresh).
    fingerprint = _hash({
        "version": VERSION, "diary": diary.model_dump(mode="json"), "plan": plan_key, "red_flag": red_flag,
        "baseline": baseline, "explanation": explanation_key(patient), "run": [DRAWS, SEED]
    })  # fmt: skip
    return FitInputs(diary, plans, plan_key, red_flag, baseline, fingerprint)


@cache
def _population_explanation() -> Explanation:
    from yotsu_web.explain.service import DAYS, N_DRAWS
    from yotsu_web.explain.service import SEED as EXPLAIN_SEED

    return explain(build_profile({}), None, n=N_DRAWS, seed=EXPLAIN_SEED, days=DAYS)


def _questionnaire_priors(patient: Membership) -> dict[str, float]:
    """Prior medians moved by the patient's questionnaires and tests (through their explanation)."""
    from yotsu_web.explain.service import personal_explanation

    return priors_from_explanation(personal_explanation(patient).explanation, _population_explanation())


def request_fit(patient: Membership) -> PersonalForecast:
    """The patient's stored fit; queues a new one when what it rests on has changed (never fits here)."""
    from yotsu_web.forecast.tasks import refresh_personal_forecast

    wanted = fit_inputs(patient).fingerprint
    row, _ = PersonalForecast.objects.get_or_create(patient=patient)
    if row.fingerprint == wanted and row.status != Status.PENDING:
        return row
    now = timezone.now()
    recently = row.requested_at is not None and now - row.requested_at < REQUEUE_AFTER
    if row.wanted == wanted and recently:
        return row  # already in the queue
    row.wanted, row.requested_at = wanted, now
    if row.result is None:
        row.status = Status.PENDING
    row.save(update_fields=["wanted", "requested_at", "status"])
    transaction.on_commit(lambda: refresh_personal_forecast(patient.pk))
    return row


def refresh(patient_id: int) -> str:
    """Fit the personal model for one patient and store it (the worker's task). Returns the status."""
    patient = Membership.objects.select_related("clinic").filter(pk=patient_id).first()
    if patient is None:
        return "gone"
    inputs = fit_inputs(patient)
    row, _ = PersonalForecast.objects.get_or_create(patient=patient)
    if row.fingerprint == inputs.fingerprint and row.status == Status.READY:
        return "unchanged"
    if not inputs.diary.days and not inputs.diary.sessions:
        fit = None
        error = "empty"
    else:
        try:
            fit = fit_diary(inputs.diary, plans=list(inputs.plans.values()), red_flag=inputs.red_flag,
                            baseline_pain=inputs.baseline_pain, draws=DRAWS, seed=SEED,
                            prior_means=_questionnaire_priors(patient))  # fmt: skip
            error = ""
        except PathwayError as exc:
            fit, error = None, exc.localized("en")
    with transaction.atomic():
        row = PersonalForecast.objects.select_for_update().get(pk=row.pk)
        row.fingerprint = inputs.fingerprint
        row.computed_at = timezone.now()
        row.result = fit.to_json() if fit is not None else None
        row.status = Status.READY if fit is not None else Status.FAILED
        row.error = error
        row.save()
        if fit is not None and inputs.plan_key is not None and fit.forecasts:
            _snapshot_at_plan_change(patient, inputs.plan_key, row.result)
    return str(row.status)


def _snapshot_at_plan_change(patient: Membership, plan_key: str, result: dict[str, object]) -> None:
    latest = ForecastSnapshot.objects.filter(patient=patient).first()
    if latest is not None and latest.plan_key == plan_key:
        return
    forecasts = result["forecasts"]
    assert isinstance(forecasts, list)
    own = next((f for f in forecasts if f["plan"] == PERSONAL_PLAN), forecasts[0])
    ForecastSnapshot.objects.create(
        patient=patient, plan_key=plan_key, plan_title=own["title"], made_on=timezone.localdate(),
        baseline_pain=float(result["baseline_pain"]), forecast=own,  # type: ignore[arg-type]
    )  # fmt: skip


def weekly_actual(patient: Membership, start: dt.date, weeks: int = 12) -> list[float | None]:
    """The diary's weekly mean pain in the weeks after ``start`` (None: fewer than 3 rated days)."""
    rows = DiaryDay.objects.filter(patient=patient, date__gt=start, date__lte=start + dt.timedelta(days=7 * weeks),
                                   pain_nrs__isnull=False).values_list("date", "pain_nrs")  # fmt: skip
    by_week: dict[int, list[int]] = {}
    for day, pain in rows:
        by_week.setdefault(((day - start).days - 1) // 7, []).append(pain)
    return [round(sum(v) / len(v), 1) if len(v := by_week.get(w, [])) >= 3 else None for w in range(weeks)]


def title_of(raw: dict[str, str]) -> LocalText:
    return LocalText.model_validate(raw)
