"""The patient's explanation from the pathway (``profile`` -> ``explain`` -> ``figures``), cached per patient.

The cache row keeps the explanation until the fingerprint of what it was computed from changes: the
profile inputs, the plan in force and the run settings. Figures are rendered on first request per
language and kept in the same row, so they go when the explanation goes.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

from matplotlib.figure import Figure

from yotsu.pathway.explain import Explanation, explain
from yotsu.pathway.figures import course_figure, factor_figure
from yotsu.pathway.profile import PersonProfile, build_profile
from yotsu_web.clinics.models import Membership
from yotsu_web.explain.inputs import PatientInputs, patient_inputs
from yotsu_web.explain.models import CachedExplanation
from yotsu_web.plans.current import CurrentPlan, current_plan

#: Parameter draws per explanation: small, so a page needs about a tenth of a second of model time.
N_DRAWS = 100
SEED = 2026
DAYS = 182
CACHE_VERSION = "2"  # change to drop every cached explanation (e.g. when the pathway's output changes; 2: sharpeners)
FIGURES = {"course": course_figure, "factors": factor_figure}


@dataclass(frozen=True)
class PersonalExplanation:
    explanation: Explanation
    profile: PersonProfile
    inputs: PatientInputs
    plan: CurrentPlan | None
    from_cache: bool


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
    inputs, profile, plan, key = _what_it_rests_on(patient)
    row = CachedExplanation.objects.filter(patient=patient).first()
    if row is not None and row.fingerprint == key:
        cached = Explanation.model_validate(row.explanation)
        return PersonalExplanation(cached, profile, inputs, plan, from_cache=True)
    result = explain(profile, plan.plan if plan is not None else None, n=N_DRAWS, seed=SEED, days=DAYS)
    CachedExplanation.objects.update_or_create(
        patient=patient,
        defaults={"fingerprint": key, "explanation": result.model_dump(mode="json"), "figures": {}},
    )
    return PersonalExplanation(result, profile, inputs, plan, from_cache=False)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def figure_svg(patient: Membership, which: str, lang: str) -> str:
    """Figure ``which`` ("course" or "factors") of the patient's explanation in ``lang``, as SVG text."""
    personal = personal_explanation(patient)
    row = CachedExplanation.objects.get(patient=patient)
    name = f"{which}-{lang}"
    if name not in row.figures:
        row.figures = {**row.figures, name: _svg(FIGURES[which](personal.explanation, lang))}
        row.save(update_fields=["figures"])
    return str(row.figures[name])
