"""Explain: what presses this person's brake most, what would release it, and the course under each plan.

Uncertainty is the profile's *parameter* uncertainty: ``n`` persons are drawn from the profile's
parameter distribution (:meth:`PersonProfile.sample`) and every number below is a summary over them
(mean and the 10th-90th percentile band), not one line. Factors are ranked by how much the model's
mean pain falls when each is resolved (``yotsu.model.factors``, each with the mechanism's evidence);
the texts are data (``data/explain.yaml``). This is a model estimate, not a diagnosis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.i18n import LocalText, gettext
from yotsu.model import PersonParams, Plan, SessionSpec, get_plan, simulate
from yotsu.model.factors import factor_effects, factors
from yotsu.pathway._common import Evidence, PathwayError, load_model, package_data
from yotsu.pathway.diary import SessionKind
from yotsu.pathway.instruments import instruments
from yotsu.pathway.plan import CarePlan
from yotsu.pathway.profile import POPULATION_PRIOR, PersonProfile, ProfileMapping, profile_mapping

#: The model's shipped plans shown beside the person's own plan.
COMPARISON_PLANS: tuple[str, ...] = ("none", "comfortable-massage-weekly", "clinic-approach")
PERSONAL_PLAN = "your-plan"


class ExplainError(PathwayError, ValueError):
    """An explanation that cannot be computed as asked."""

    template = "explanation: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def both(msgid: str, **fmt: object) -> LocalText:
    """A code message in both languages."""
    return LocalText(en=gettext(msgid, "en", **fmt), ja=gettext(msgid, "ja", **fmt))


def disclaimer() -> LocalText:
    return both("Model estimate, not a diagnosis.")


class FactorText(_Frozen):
    danger: LocalText
    release: LocalText
    in_place: LocalText
    released_by: tuple[SessionKind, ...] = Field(min_length=1)
    evidence: Evidence


class ExplainTexts(_Frozen):
    danger_threshold_nrs: float = Field(ge=0)
    factors: dict[str, FactorText]

    @model_validator(mode="after")
    def _every_factor(self) -> ExplainTexts:
        if set(self.factors) != set(factors()):
            raise ValueError(f"give texts for exactly the model's factors: {', '.join(factors())}")
        return self


@cache
def explain_texts() -> ExplainTexts:
    return load_model(package_data("yotsu.pathway", "explain.yaml"), ExplainTexts)


class Band(_Frozen):
    """Mean over the drawn persons and the 10th-90th percentile band."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values: NDArray[np.float64]) -> Band:
        lo, hi = np.percentile(values, [10, 90])
        return cls(mean=round(float(values.mean()), 3), low=round(float(lo), 3), high=round(float(hi), 3))


class Finding(_Frozen):
    """One contributing factor: how much pain would fall if it were resolved, and what that means."""

    factor: str
    rank: int
    role: Literal["danger", "safety"]
    title: LocalText
    pain_reduction_nrs: Band
    share_pressing: float  # share of drawn persons for whom resolving it lowers pain
    text: LocalText
    evidence: Evidence  # the mechanism (yotsu.model.factors)
    profile_sources: tuple[str, ...]  # where this person's values of the factor's parameters came from


class Safety(_Frozen):
    """What would release the brake (``release``) or what already keeps it light (``in_place``)."""

    factor: str
    kind: Literal["release", "in_place"]
    title: LocalText
    text: LocalText
    released_by: tuple[SessionKind, ...]
    pain_reduction_nrs: Band
    evidence: Evidence


class Course(_Frozen):
    """Weekly pain under one plan: median and 10th-90th percentile over the drawn persons."""

    plan: str
    title: LocalText
    weeks: tuple[int, ...]
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


class Sharpener(_Frozen):
    """An unanswered questionnaire and how much answering it is expected to narrow this explanation.

    ``shrink`` is the expected fall of the explanation's spread (the width of its pain and relief bands
    over the drawn persons, combined) as a share, 0-1; ``parameters`` are what the answer would inform.
    """

    instrument: str
    title: LocalText
    shrink: float = Field(ge=0, le=1)
    parameters: tuple[str, ...]


class Explanation(_Frozen):
    baseline_pain_nrs: Band
    ranking: tuple[Finding, ...]
    dangers: tuple[Finding, ...]
    safeties: tuple[Safety, ...]
    courses: tuple[Course, ...]
    n: int
    seed: int
    disclaimer: LocalText
    sharpen: tuple[Sharpener, ...] = ()  # unanswered questionnaires, the most sharpening first

    def sharpest(self, answerable: Collection[str] | None = None, k: int = 2, floor: float = 0.01) -> list[Sharpener]:
        """The ``k`` questionnaires that would sharpen this explanation most, among ``answerable`` ids
        (all when None), leaving out those expected to narrow it by less than ``floor``."""
        return [s for s in self.sharpen if s.shrink >= floor and (answerable is None or s.instrument in answerable)][:k]


def model_plan(plan: CarePlan, title: LocalText | None = None) -> Plan:
    """The pathway plan as a model :class:`Plan`: its ``(kind, day, dose)`` sessions, grouped by kind and
    dose (``dose`` is the pressure for massage, as in :meth:`CarePlan.as_schedule`)."""
    days: dict[tuple[str, float], list[int]] = defaultdict(list)
    for kind, day, dose in plan.as_schedule():
        days[(kind, dose)].append(day)
    sessions = [
        SessionSpec(kind="massage", pressure=dose, days=tuple(d))
        if kind == "massage"
        else SessionSpec(kind=kind, dose=dose, days=tuple(d))
        for (kind, dose), d in days.items()
    ]
    return Plan(
        name=PERSONAL_PLAN,
        title=title or both("Your plan"),
        description=plan.summary,
        evidence=plan.evidence.citations,
        level=plan.evidence.level,
        sessions=tuple(sessions),
    )


def candidate_plans(plan: CarePlan | None) -> dict[str, Plan]:
    """The person's plan (if any) and the comparison plans, by name."""
    out = {PERSONAL_PLAN: model_plan(plan)} if plan is not None else {}
    out.update({name: get_plan(name) for name in COMPARISON_PLANS})
    return out


def _courses(draws: PersonParams, plans: Mapping[str, Plan], days: int, seed: int) -> tuple[Course, ...]:
    out = []
    weeks = days // 7
    for name, plan in plans.items():
        res = simulate(draws, plan, days=7 * weeks, seed=seed, series=("pain",))
        weekly = res.series["pain"].reshape(weeks, 7, -1).mean(axis=1)  # (weeks, n)
        lo, med, hi = np.percentile(weekly, [10, 50, 90], axis=1)
        out.append(
            Course(
                plan=name,
                title=plan.title,
                weeks=tuple(range(weeks)),
                median=tuple(round(float(x), 3) for x in med),
                low=tuple(round(float(x), 3) for x in lo),
                high=tuple(round(float(x), 3) for x in hi),
            )
        )
    return tuple(out)


def answered_variance(profile: PersonProfile, instrument_id: str, mapping: ProfileMapping) -> dict[str, float]:
    """Each parameter's variance once ``instrument_id`` is answered, for the parameters it informs.

    The mapping's SD does not depend on the score given, so this is known before the answer: the new
    mapping combines with the parameter's present inputs by precision weighting, and replaces the
    population prior where that stood in (as :func:`~yotsu.pathway.profile.build_profile` does)."""
    out: dict[str, float] = {}
    for m in mapping.mappings:
        if m.input.partition(".")[0] != instrument_id or m.input in profile.inputs:
            continue
        present = profile.parameters[m.parameter]
        precision = out.get(m.parameter)
        if precision is None:
            precision = 0.0 if present.from_population_prior else 1 / present.sd**2
        out[m.parameter] = precision + 1 / m.sd**2
    return {name: 1 / precision for name, precision in out.items()}


def sharpeners(
    profile: PersonProfile,
    draws: PersonParams,
    outputs: NDArray[np.float64],
    mapping: ProfileMapping | None = None,
) -> tuple[Sharpener, ...]:
    """Rank the shipped questionnaires not yet answered by the expected shrink of the explanation's spread.

    ``outputs`` (persons x quantities) are the explanation's per-person numbers (baseline pain and each
    factor's relief). Their spread is attributed to the drawn parameters by a linear fit over the draws;
    answering an instrument removes the share of each parameter's variance its mapping would resolve.
    """
    mapping = mapping or profile_mapping()
    names = [p for p in profile.parameters if float(np.var(draws[p])) > 0]
    total = float(outputs.var(axis=0).sum())
    if not names or total <= 0:
        return ()
    x = np.column_stack([draws[p] for p in names])
    x = x - x.mean(axis=0)
    y = outputs - outputs.mean(axis=0)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)  # (parameters, quantities)
    explained = {p: float((coef[i] ** 2).sum() * np.var(draws[p])) for i, p in enumerate(names)}
    shipped = instruments()
    candidates = dict.fromkeys(
        m.input.partition(".")[0] for m in mapping.mappings if m.input not in profile.inputs and "." in m.input
    )
    out = []
    for inst_id in candidates:
        if inst_id not in shipped or any(k.partition(".")[0] == inst_id for k in profile.inputs):
            continue
        after = answered_variance(profile, inst_id, mapping)
        cut = sum(explained.get(p, 0.0) * max(0.0, 1 - var / profile.parameters[p].sd ** 2) for p, var in after.items())
        shrink = 1 - np.sqrt(max(total - min(cut, total), 0.0) / total)
        out.append(
            Sharpener(
                instrument=inst_id, title=shipped[inst_id].name, shrink=round(float(shrink), 3), parameters=tuple(after)
            )
        )
    return tuple(sorted(out, key=lambda s: (-s.shrink, s.instrument)))


def explain(
    profile: PersonProfile,
    plan: CarePlan | None = None,
    n: int = 200,
    seed: int = 0,
    days: int = 182,
    plans: Sequence[str] | None = None,
) -> Explanation:
    """Rank the contributing factors for ``profile`` and simulate the candidate plans.

    ``n`` persons are drawn from the profile (parameter uncertainty); ``seed`` drives the draws and the
    model's noise. ``plans`` restricts the comparison plans (default :data:`COMPARISON_PLANS`).
    """
    if days < 7:
        raise ExplainError(detail=f"days must be at least 7 (one week), not {days}")
    rng = np.random.default_rng(seed)
    draws = profile.sample(n, rng)
    effects = factor_effects(draws, seed=seed)
    relief = effects.relief()
    texts = explain_texts()
    order = sorted(relief, key=lambda k: float(relief[k].mean()), reverse=True)
    ranking = []
    for rank, name in enumerate(order, start=1):
        f, t = factors()[name], texts.factors[name]
        band = Band.of(relief[name])
        danger = band.mean >= texts.danger_threshold_nrs
        sources = tuple(
            dict.fromkeys(s for p in f.resolved if p in profile.parameters for s in profile.parameters[p].sources)
        ) or (POPULATION_PRIOR,)
        ranking.append(
            Finding(
                factor=name,
                rank=rank,
                role="danger" if danger else "safety",
                title=f.title,
                pain_reduction_nrs=band,
                share_pressing=round(float((relief[name] > 0).mean()), 3),
                text=t.danger if danger else t.in_place,
                evidence=Evidence(citations=f.evidence, level=f.level),
                profile_sources=sources,
            )
        )
    safeties = [
        Safety(
            factor=r.factor,
            kind="release" if r.role == "danger" else "in_place",
            title=r.title,
            text=texts.factors[r.factor].release if r.role == "danger" else r.text,
            released_by=texts.factors[r.factor].released_by,
            pain_reduction_nrs=r.pain_reduction_nrs,
            evidence=texts.factors[r.factor].evidence,
        )
        for r in ranking
    ]
    chosen = candidate_plans(plan)
    if plans is not None:
        unknown = [p for p in plans if p not in chosen]
        if unknown:
            raise ExplainError(detail=f"unknown plan(s) {', '.join(unknown)}; available: {', '.join(chosen)}")
        chosen = {k: v for k, v in chosen.items() if k in plans or k == PERSONAL_PLAN}
    return Explanation(
        baseline_pain_nrs=Band.of(effects.baseline),
        ranking=tuple(ranking),
        dangers=tuple(r for r in ranking if r.role == "danger"),
        safeties=tuple(safeties),
        courses=_courses(draws, chosen, days, seed),
        n=n,
        seed=seed,
        disclaimer=disclaimer(),
        sharpen=sharpeners(profile, draws, np.column_stack([effects.baseline, *(relief[k] for k in order)])),
    )


__all__ = [
    "COMPARISON_PLANS",
    "PERSONAL_PLAN",
    "Band",
    "Course",
    "ExplainError",
    "Explanation",
    "Finding",
    "Safety",
    "Sharpener",
    "candidate_plans",
    "disclaimer",
    "explain",
    "explain_texts",
    "model_plan",
    "sharpeners",
]
