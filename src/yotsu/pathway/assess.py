"""The whole pathway for one person, from an answers file to a route, scores, profile, explanation and plan.

Triage comes first and is never outweighed: a red flag (or the scope check) ends the pathway, and the
result then carries the route and its reasons and no scores, profile, explanation or plan. The answers
file (YAML; ``data/examples/answers-example.yaml``) is also what the interactive ``yotsu assess``
saves as it goes, so a session can be resumed from it::

    triage: {saddle_numbness: false, ..., pain_duration_weeks: 30, examined_by_doctor: true,
             doctor_found_serious_cause: false}
    instruments: {nrs_pain: {q1: 6}, start_back: {q1: 1, ..., q9: 3}, ...}
    questions: {sleep_quality: 4, life_pressure: 7}
    body_map: {left_right: {accuracy: 0.7, median_rt_ms: 1800, n_trials: 40}, two_point: {tpd_mm: 62}}
    plan: {weeks: 12, massage_pressure: 3}
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StrictBool, StrictInt, ValidationError

from yotsu._strict import StrictInputError, load_yaml
from yotsu.i18n import Lang, LocalText
from yotsu.pathway._common import Evidence, PathwayError, _explain
from yotsu.pathway.bodymap import (
    BodyMapEstimate,
    LeftRightTrunkJudgement,
    RepositioningError,
    TwoPointDiscrimination,
    estimate_body_map_precision,
)
from yotsu.pathway.explain import Explanation, disclaimer, explain
from yotsu.pathway.instruments import InstrumentResult, score
from yotsu.pathway.plan import CarePlan, RiskGroup, build_plan, risk_group_of
from yotsu.pathway.profile import PersonProfile, build_profile, profile_inputs
from yotsu.pathway.triage import REFERRAL_ROUTES, Answer, Route, TriageReason, triage

#: Sleep quality (0-10) at or below which the plan adds sleep care (clinical_impression, finan2013).
SLEEP_PROBLEM_AT_OR_BELOW = 4
SCHEMA = "yotsu.assess/1"


def _strict_answer(value: object) -> Answer:
    """A triage answer as written: true/false, a finite number, or empty; no "yes" or 1 for a flag."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number (no NaN or infinity)")
        return value
    raise ValueError(f"{value!r} is not an answer; give true or false for a yes/no question, or a number")


StrictAnswer = Annotated[Answer, PlainValidator(_strict_answer)]


class AnswersFileError(PathwayError, ValueError):
    """An answers file that cannot be read; names the file and the field."""

    template = "answers file {file}: {detail}"


class AssessError(PathwayError, ValueError):
    """Answers from which the pathway cannot reach a plan, with what is needed."""

    template = "assessment: {detail}"


class PlanChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weeks: StrictInt = Field(default=12, ge=1, le=52)
    massage_pressure: float | None = Field(default=None, ge=0, le=10, allow_inf_nan=False)
    risk_group: RiskGroup | None = None  # a clinician's stratification when STarT Back was not completed


class Questions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sleep_quality: StrictInt | None = Field(default=None, ge=0, le=10)
    life_pressure: StrictInt | None = Field(default=None, ge=0, le=10)


class BodyMapTests(BaseModel):
    model_config = ConfigDict(extra="forbid")

    left_right: LeftRightTrunkJudgement | None = None
    two_point: TwoPointDiscrimination | None = None
    repositioning: RepositioningError | None = None

    def results(self) -> list[LeftRightTrunkJudgement | TwoPointDiscrimination | RepositioningError]:
        return [r for r in (self.left_right, self.two_point, self.repositioning) if r is not None]


class Answers(BaseModel):
    """Everything a person answered (also the interactive session's resumable state)."""

    model_config = ConfigDict(extra="forbid")

    lang: Lang | None = None
    triage: dict[str, StrictAnswer] = {}
    instruments: dict[str, dict[str, StrictInt | None]] = {}
    questions: Questions = Questions()
    body_map: BodyMapTests = BodyMapTests()
    plan: PlanChoice = PlanChoice()
    skipped: list[str] = []  # instruments the person chose not to answer (interactive)
    done: list[str] = []  # optional steps already asked (interactive), so a resumed session skips them
    finished: StrictBool = False


def load_answers(path: str | Path) -> Answers:
    """Read and validate an answers file."""
    path = Path(path)
    try:
        raw = load_yaml(path) or {}
    except StrictInputError as exc:
        raise AnswersFileError(file=path.name, detail=exc.detail) from None
    except OSError as exc:
        raise AnswersFileError(file=path.name, detail=str(exc)) from exc
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        raise AnswersFileError(file=path.name, detail=_explain(exc)) from exc


def save_answers(answers: Answers, path: str | Path) -> None:
    """Write ``answers`` (atomically: a half-written file never replaces a good one)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    data = answers.model_dump(mode="json", exclude_defaults=False)
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(path)


class Assessment(BaseModel):
    """The pathway's result for one person (``to_json`` is the documented machine-readable contract)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route: Route
    reasons: tuple[TriageReason, ...]
    message: LocalText
    scores: dict[str, InstrumentResult] = {}
    body_map: BodyMapEstimate | None = None
    risk_group: RiskGroup | None = None
    profile: PersonProfile | None = None
    explanation: Explanation | None = None
    plan: CarePlan | None = None

    @property
    def ended(self) -> bool:
        """True when triage ended the pathway (a red flag, or out of scope)."""
        return self.plan is None

    def to_json(self) -> dict[str, Any]:
        return assessment_json(self)


def assess(answers: Answers, n: int = 200, seed: int = 0, days: int = 182) -> Assessment:
    """Run the pathway: triage; if in scope, score, profile, plan and explanation (``n`` parameter draws)."""
    result = triage(answers.triage)
    ended = Assessment(route=result.route, reasons=result.reasons, message=result.message)
    if result.route in REFERRAL_ROUTES or result.route is Route.OUT_OF_SCOPE:
        return ended
    scores = {inst: score(inst, items) for inst, items in answers.instruments.items()}
    tests = answers.body_map.results()
    body_map = estimate_body_map_precision(tests) if tests else None
    if "start_back" in scores:
        group = risk_group_of(scores["start_back"])
    elif answers.plan.risk_group is not None:
        group = answers.plan.risk_group
    else:
        raise AssessError(
            detail="the plan is stratified by STarT Back risk: complete start_back, or give plan.risk_group"
        )
    sleep = answers.questions.sleep_quality
    plan = build_plan(
        group,
        weeks=answers.plan.weeks,
        sleep_problem=sleep is not None and sleep <= SLEEP_PROBLEM_AT_OR_BELOW,
        massage_pressure=answers.plan.massage_pressure,
    )
    profile = build_profile(profile_inputs(scores, sleep, answers.questions.life_pressure, body_map))
    return Assessment(
        route=result.route,
        reasons=result.reasons,
        message=result.message,
        scores=scores,
        body_map=body_map,
        risk_group=group,
        profile=profile,
        explanation=explain(profile, plan, n=n, seed=seed, days=days),
        plan=plan,
    )


def _text(t: LocalText) -> dict[str, str]:
    return {"en": t.en, "ja": t.ja}


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"citations": list(e.citations), "level": e.level.value}


def _score_json(r: InstrumentResult) -> dict[str, Any]:
    total = r.total
    category = r.classification or total.category
    return {
        "total": total.value,
        "range": list(total.range),
        "subscales": {k: s.value for k, s in r.subscales().items()},
        "subscale_categories": {k: s.category.id for k, s in r.subscales().items() if s.category is not None},
        "category": category.id if category else None,
        "category_label": _text(category.label) if category else None,
        "missing": list(r.missing),
    }


def _profile_json(p: PersonProfile) -> dict[str, Any]:
    from yotsu.model import parameter_table

    table = parameter_table()
    return {
        "parameters": {
            name: {
                "value": round(e.value, 4),
                "sd": round(e.sd, 4),
                "source": " + ".join(e.sources),
                "sources": list(e.sources),
                "unit": table[name].unit,
                "range": list(table[name].range),
                "level": e.level().value,
                "citations": list(e.evidence.citations if e.evidence else table[name].evidence),
            }
            for name, e in p.parameters.items()
        },
        "population_prior": list(p.population_prior()),
        "inputs": {k: m.model_dump() for k, m in p.inputs.items()},
    }


def _explanation_json(e: Explanation) -> dict[str, Any]:
    def finding(f: Any) -> dict[str, Any]:
        return {
            "factor": f.factor,
            "rank": f.rank,
            "title": _text(f.title),
            "pain_reduction_nrs": f.pain_reduction_nrs.model_dump(),
            "share_pressing": f.share_pressing,
            "text": _text(f.text),
            "evidence": _evidence(f.evidence),
            "profile_sources": list(f.profile_sources),
        }

    return {
        "baseline_pain_nrs": e.baseline_pain_nrs.model_dump(),
        "dangers": [finding(f) for f in e.dangers],
        "safeties": [
            {
                "factor": s.factor,
                "kind": s.kind,
                "title": _text(s.title),
                "text": _text(s.text),
                "released_by": [k.value for k in s.released_by],
                "pain_reduction_nrs": s.pain_reduction_nrs.model_dump(),
                "evidence": _evidence(s.evidence),
            }
            for s in e.safeties
        ],
        "ranking": [{"factor": f.factor, "role": f.role, "mean": f.pain_reduction_nrs.mean} for f in e.ranking],
        "courses": [
            {
                "plan": c.plan,
                "title": _text(c.title),
                "weeks": list(c.weeks),
                "median": list(c.median),
                "low": list(c.low),
                "high": list(c.high),
            }
            for c in e.courses
        ],
        "n_parameter_draws": e.n,
        "seed": e.seed,
        "disclaimer": _text(e.disclaimer),
    }


def _plan_json(p: CarePlan) -> dict[str, Any]:
    return {
        "risk_group": p.risk_group.value,
        "weeks": p.weeks,
        "summary": _text(p.summary),
        "evidence": _evidence(p.evidence),
        "components": [
            {
                "kind": c.kind.value,
                "description": _text(c.description),
                "exercises": list(c.exercises),
                "evidence": _evidence(c.evidence),
            }
            for c in p.components
        ],
        "exercises": [
            {
                "id": e.exercise.id,
                "name": _text(e.exercise.name),
                "kind": e.exercise.session_kind.value,
                "level": e.level,
                "dose": e.exercise.levels[e.level - 1].dose.model_dump(exclude_none=True),
                "evidence": _evidence(e.exercise.evidence),
            }
            for e in p.exercises
        ],
        "advised_against": [
            {"id": a.id, "name": _text(a.name), "evidence": _evidence(a.evidence)} for a in p.advised_against
        ],
        "sessions": [{"kind": k, "day": d, "dose": dose} for k, d, dose in p.as_schedule()],
    }


def assessment_json(a: Assessment) -> dict[str, Any]:
    """The machine-readable contract (docs/pathway.md): one JSON-ready object."""
    return {
        "schema": SCHEMA,
        "route": a.route.value,
        "ended": a.ended,
        "message": _text(a.message),
        "reasons": [
            {
                "code": r.code,
                "condition": r.condition,
                "urgency": r.urgency.value if r.urgency else None,
                "text": _text(r.text),
                "evidence": _evidence(r.evidence),
            }
            for r in a.reasons
        ],
        "scores": {k: _score_json(r) for k, r in a.scores.items()} if not a.ended else None,
        "body_map": (
            {
                "mean": round(a.body_map.mean, 4),
                "sd": round(a.body_map.sd, 4),
                "tests": {c.test: {"mean": round(c.mean, 4), "sd": round(c.sd, 4)} for c in a.body_map.components},
                "evidence": _evidence(a.body_map.evidence),
            }
            if a.body_map is not None
            else None
        ),
        "risk_group": a.risk_group.value if a.risk_group else None,
        "profile": _profile_json(a.profile) if a.profile else None,
        "explanation": _explanation_json(a.explanation) if a.explanation else None,
        "plan": _plan_json(a.plan) if a.plan else None,
        "disclaimer": _text(disclaimer()),
    }


__all__ = [
    "SCHEMA",
    "SLEEP_PROBLEM_AT_OR_BELOW",
    "Answers",
    "AnswersFileError",
    "AssessError",
    "Assessment",
    "BodyMapTests",
    "PlanChoice",
    "Questions",
    "assess",
    "assessment_json",
    "load_answers",
    "save_answers",
]
