"""The patient's explanation from the pathway (``profile`` -> ``explain`` -> ``figures``), stored per patient.

The row keeps the explanation until the fingerprint of what it was computed from changes: the profile
inputs, the plan in force and the run settings. A page never runs the model: it calls
:func:`request_explanation`, which queues the worker's :func:`refresh` when the inputs changed (the signals
in ``explain.signals`` call it too, when an answer, a body-map task or a diary day is saved), and shows the
stored explanation with its date meanwhile (:func:`stored_explanation`), or "being prepared" before the
first. The worker renders the figures in both languages into the same row, so they go with it.

Never a dead end: when the worker's computation fails, :func:`refresh` records the failure in the row (when,
a short technical reason, for which inputs), keeps the last good explanation and logs it; the pages then
say so (:func:`explanation_state`) instead of "being prepared", and the same inputs are not queued again
until they change or the practitioner asks for a retry (:func:`retry_explanation`). A success clears it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from matplotlib.figure import Figure

from yotsu.pathway.explain import Explanation, explain
from yotsu.pathway.figures import course_figure, factor_figure
from yotsu.pathway.profile import PersonProfile, build_profile
from yotsu_web.clinics.models import Membership
from yotsu_web.explain.inputs import PatientInputs, patient_inputs
from yotsu_web.explain.models import FAILURE_LENGTH, CachedExplanation
from yotsu_web.plans.current import CurrentPlan, current_plan

#: Parameter draws per explanation: small, so a page needs about a tenth of a second of model time.
N_DRAWS = 100
SEED = 2026
DAYS = 182
CACHE_VERSION = "2"  # change to drop every cached explanation (e.g. when the pathway's output changes; 2: sharpeners)
FIGURES = {"course": course_figure, "factors": factor_figure}
LANGUAGES = ("ja", "en")
#: A queued explanation not done after this long is asked for again (the worker may have been down).
REQUEUE_AFTER = dt.timedelta(minutes=10)
#: The row's fields a success clears.
NO_FAILURE = {"failed_at": None, "failure": "", "failed_key": ""}

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonalExplanation:
    explanation: Explanation
    profile: PersonProfile
    inputs: PatientInputs
    plan: CurrentPlan | None
    from_cache: bool
    computed_at: dt.datetime | None = None
    updating: bool = False  # a newer one, from the latest answers, is queued
    failed: bool = False  # the newer one, from the latest answers, could not be computed


@dataclass(frozen=True)
class Failure:
    """The worker's last failed computation of a patient's explanation, for the practitioner's desk."""

    at: dt.datetime
    reason: str  # short and technical: the stage, the exception's type and message
    current: bool  # for the inputs as they are now, with no retry asked for since


@dataclass(frozen=True)
class ExplanationState:
    """What a page shows: the stored explanation (None before the first), and whether the computation for
    the inputs as they are now failed (then nothing is on its way: no "being prepared", no reloading)."""

    personal: PersonalExplanation | None
    failed: bool


def fingerprint(profile: PersonProfile, plan: CurrentPlan | None) -> str:
    content = {
        "version": CACHE_VERSION,
        "inputs": {k: m.model_dump() for k, m in sorted(profile.inputs.items())},
        "plan": plan.plan.model_dump(mode="json") if plan is not None else None,
        "run": [N_DRAWS, SEED, DAYS],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _what_it_rests_on(patient: Membership) -> tuple[PatientInputs, PersonProfile, CurrentPlan | None, str]:
    inputs = patient_inputs(patient)
    profile = build_profile(inputs.measurements())
    plan = current_plan(patient)
    return inputs, profile, plan, fingerprint(profile, plan)


def explanation_key(patient: Membership) -> str:
    """The fingerprint of what the patient's explanation rests on, without computing the explanation."""
    return _what_it_rests_on(patient)[3]


def personal_explanation(patient: Membership) -> PersonalExplanation:
    """The patient's explanation for their inputs now, computed when the stored one differs (the worker's
    side: pages use :func:`stored_explanation`)."""
    inputs, profile, plan, key = _what_it_rests_on(patient)
    row = CachedExplanation.objects.filter(patient=patient).first()
    if row is not None and row.fingerprint == key and row.explanation is not None:
        cached = Explanation.model_validate(row.explanation)
        return PersonalExplanation(cached, profile, inputs, plan, from_cache=True, computed_at=row.computed_at)
    result, now = _compute(patient, profile, plan, key, ["model"])
    return PersonalExplanation(result, profile, inputs, plan, from_cache=False, computed_at=now)


def _compute(
    patient: Membership, profile: PersonProfile, plan: CurrentPlan | None, key: str, stage: list[str]
) -> tuple[Explanation, dt.datetime]:
    """Run the model and draw the figures for ``key``, and store them (clearing any failure); ``stage[0]``
    names the step under way, for the failure's reason."""
    stage[0] = "model"
    result = explain(profile, plan.plan if plan is not None else None, n=N_DRAWS, seed=SEED, days=DAYS)
    stage[0] = "figures"
    figures = _draw(result, {})  # stored together, so a page never shows an explanation without its figures
    stage[0] = "store"
    now = timezone.now()
    CachedExplanation.objects.update_or_create(
        patient=patient,
        defaults={"fingerprint": key, "explanation": result.model_dump(mode="json"), "figures": figures,
                  "computed_at": now, **NO_FAILURE},
    )  # fmt: skip
    return result, now


def _draw(explanation: Explanation, figures: dict[str, str]) -> dict[str, str]:
    """``figures`` with every figure in both languages, the missing ones drawn."""
    drawn = dict(figures)
    for which, draw in FIGURES.items():
        for lang in LANGUAGES:
            name = f"{which}-{lang}"
            if name not in drawn:
                drawn[name] = _svg(draw(explanation, lang))
    return drawn


def stored_explanation(patient: Membership) -> PersonalExplanation | None:
    """The last computed explanation, with its date and whether a newer one is on its way; queues one when
    the inputs changed. None: the first one is being prepared, or could not be computed (see
    :func:`explanation_state`). Never runs the model."""
    return explanation_state(patient).personal


def explanation_state(patient: Membership) -> ExplanationState:
    """The last computed explanation (or None) and whether the one for the inputs as they are now failed;
    queues one when the inputs changed. Never runs the model."""
    inputs, profile, plan, key = _what_it_rests_on(patient)
    row = _request(patient, key)
    failed = row.failed_for(key)
    if row.explanation is None:
        return ExplanationState(None, failed)
    stored = Explanation.model_validate(row.explanation)
    personal = PersonalExplanation(stored, profile, inputs, plan, from_cache=True, computed_at=row.computed_at,
                                   updating=row.fingerprint != key and not failed, failed=failed)  # fmt: skip
    return ExplanationState(personal, failed)


def recorded_failure(patient: Membership) -> Failure | None:
    """The worker's last failure for this patient (kept until a computation succeeds), for the desk."""
    row = CachedExplanation.objects.filter(patient=patient, failed_at__isnull=False).first()
    if row is None or row.failed_at is None:
        return None
    return Failure(at=row.failed_at, reason=row.failure, current=row.failed_for(explanation_key(patient)))


def retry_explanation(patient: Membership) -> CachedExplanation:
    """Queue the worker's :func:`refresh` now, whatever was asked or failed before (the desk's retry)."""
    from yotsu_web.explain.tasks import refresh_explanation

    row, _ = CachedExplanation.objects.get_or_create(patient=patient)
    row.wanted, row.requested_at = explanation_key(patient), timezone.now()
    row.save(update_fields=["wanted", "requested_at"])
    patient_id = patient.pk
    transaction.on_commit(lambda: refresh_explanation(patient_id))
    return row


def request_explanation(patient: Membership) -> CachedExplanation:
    """Queue the worker's :func:`refresh` when what the explanation rests on changed (never computes here)."""
    return _request(patient, explanation_key(patient))


def _request(patient: Membership, key: str) -> CachedExplanation:
    from yotsu_web.explain.tasks import refresh_explanation

    row, _ = CachedExplanation.objects.get_or_create(patient=patient)
    if row.fingerprint == key and row.explanation is not None and not _missing_figures(row):
        return row
    if row.failed_for(key):
        return row  # failed: asked for again when the inputs change or the practitioner retries
    now = timezone.now()
    if row.wanted == key and row.requested_at is not None and now - row.requested_at < REQUEUE_AFTER:
        return row  # already in the queue
    row.wanted, row.requested_at = key, now
    row.save(update_fields=["wanted", "requested_at"])
    patient_id = patient.pk
    transaction.on_commit(lambda: refresh_explanation(patient_id))
    return row


def _missing_figures(row: CachedExplanation) -> set[str]:
    return {f"{which}-{lang}" for which in FIGURES for lang in LANGUAGES} - set(row.figures)


def refresh(patient_id: int) -> str:
    """Compute the patient's explanation and both languages' figures, and store them (the worker's task).

    On failure the row records it (the last good explanation stays), the failure is logged and the
    exception raised again for the queue; a success clears an earlier failure."""
    patient = Membership.objects.select_related("clinic").filter(pk=patient_id).first()
    if patient is None:
        return "gone"
    started = timezone.now()
    stage, key = ["inputs"], ""
    try:
        _inputs, profile, plan, key = _what_it_rests_on(patient)
        row, _ = CachedExplanation.objects.get_or_create(patient=patient)
        if row.fingerprint == key and row.explanation is not None:
            result = "unchanged"
            if _missing_figures(row):  # a row stored before its figures were drawn
                stage[0] = "figures"
                figures = _draw(Explanation.model_validate(row.explanation), row.figures)
                # Only if the row still holds this explanation (the inputs may have changed again meanwhile).
                CachedExplanation.objects.filter(pk=row.pk, fingerprint=key).update(figures=figures)
                result = "figures"
        else:
            _compute(patient, profile, plan, key, stage)
            result = "computed"
    except Exception as error:
        _record_failure(patient, key, stage[0], error)
        raise
    # A success clears what failed before it started (not a failure a newer computation recorded meanwhile).
    CachedExplanation.objects.filter(patient=patient, failed_at__lte=started).update(**NO_FAILURE)
    return result


def failure_reason(stage: str, error: BaseException) -> str:
    """A short technical reason for the practitioner: the stage, the exception's type and its message."""
    message = " ".join(str(error).split())
    reason = f"{stage}: {type(error).__name__}" + (f": {message}" if message else "")
    return reason if len(reason) <= FAILURE_LENGTH else reason[: FAILURE_LENGTH - 1] + "…"


def _record_failure(patient: Membership, key: str, stage: str, error: Exception) -> None:
    reason = failure_reason(stage, error)
    logger.error("explanation of patient record %s failed (inputs %s): %s", patient.pk, key[:12] or "?", reason,
                 exc_info=error)  # fmt: skip
    try:
        row, _ = CachedExplanation.objects.get_or_create(patient=patient)
        row.failed_at, row.failure, row.failed_key = timezone.now(), reason, key or row.wanted
        row.save(update_fields=["failed_at", "failure", "failed_key"])
    except Exception:  # the database itself may be what failed: the log above still has it
        logger.exception("the failure of patient record %s's explanation could not be recorded", patient.pk)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def figure_svg(patient: Membership, which: str, lang: str) -> str | None:
    """Figure ``which`` ("course" or "factors") of the stored explanation in ``lang``, as SVG text; None
    while the worker has not drawn it yet (a page never draws or computes)."""
    row = CachedExplanation.objects.filter(patient=patient).first()
    if row is None:
        return None
    figure = row.figures.get(f"{which}-{lang}")
    return str(figure) if figure is not None else None
