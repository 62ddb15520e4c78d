"""Calibration: fit population-level parameters to every published target at once.

``data/calibration/targets.yaml`` is the project's list of published findings (a copy of
``../shared/evidence/targets.yaml``); ``data/calibration/design.yaml`` says which parameters are
fitted (with bounds inside their plausible ranges), how the loss weighs each target by its CI, and
where in which shipped trial or case-control study (``yotsu.model.studies``) each target is
measured, or why the model cannot produce it. The
optimiser is SciPy's differential evolution (storn1997) on common random numbers (a fixed seed and
the same virtual persons at every evaluation). The fitted values are written as a versioned file
``data/calibration/v<N>.yaml`` that becomes the shipped default, with a report per target.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu._strict import load_yaml
from yotsu.model.effects import Z95, GroupStats, hedges_g_ci, mean_difference
from yotsu.model.parameters import parameter_table
from yotsu.model.studies import StudyResult, named_studies, run_study
from yotsu.model.trials import TrialResult, get_trial, run_trial

#: What a component is measured in: an in-silico trial, or a case-control study (``yotsu.model.studies``).
Result = TrialResult | StudyResult


class CalibrationError(ValueError):
    """A calibration design or file that cannot be used."""


def calibration_dir() -> Path:
    return Path(str(resources.files("yotsu.model") / "data" / "calibration"))


def _version_files(folder: Path | None = None) -> list[Path]:
    files = [p for p in (folder or calibration_dir()).glob("v*.yaml") if re.fullmatch(r"v\d+", p.stem)]
    return sorted(files, key=lambda p: int(p.stem[1:]))


def calibrated_defaults() -> dict[str, float]:
    """Fitted population-level values of the newest shipped calibration (empty if none ships or
    ``YOTSU_CALIBRATION=none``). Read once, by :func:`~yotsu.model.parameters.parameter_table`, which
    range-checks them and makes them the defaults."""
    return {name: spec.default for name, spec in parameter_table().items() if spec.calibration is not None}


class Component(BaseModel):
    """One model quantity compared with one published number (or range, or criterion)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["smd", "md", "mean", "proportion", "not_significant", "shares", "bands"]
    trial: str  # a shipped trial, or a shipped case-control study
    outcome: str
    week: int
    arm: str
    vs: str | None = None
    sham: str | None = None
    none: str | None = None
    value: str | None = None
    ci: str | None = None
    range: str | None = None
    offset: float = 0.0
    scale: float = 1.0
    # bands: the edges of the score's bands (shares of one group below, between and above them)
    edges: tuple[float, ...] | None = None
    # a published mean given with its SD and group size but no CI: the CI of the mean from them
    sd: str | None = None
    published_n: int | None = Field(None, ge=2)

    @model_validator(mode="after")
    def _fields(self) -> Component:
        if (self.kind == "bands") != (self.edges is not None):
            raise ValueError("`edges` go with kind `bands`, and kind `bands` needs them")
        if (self.sd is None) != (self.published_n is None):
            raise ValueError("give both `sd` and `published_n` (the published group's SD and size), or neither")
        return self


class TargetDesign(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    components: tuple[Component, ...] = ()
    missed: str | None = None
    if_outside: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TargetDesign:
        if bool(self.components) == (self.missed is not None):
            raise ValueError("a target gives either `components` or `missed` (with the reason)")
        return self


class Design(BaseModel):
    """``data/calibration/design.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fit: dict[str, tuple[float, float]]
    evaluation: dict[str, int]
    loss: dict[str, float]
    tolerance: dict[str, float]
    targets: dict[str, TargetDesign]

    @model_validator(mode="after")
    def _bounds(self) -> Design:
        table = parameter_table()
        for name, (lo, hi) in self.fit.items():
            if name not in table:
                raise ValueError(f"fit: unknown parameter {name!r}")
            r_lo, r_hi = table[name].range
            if not r_lo <= lo < hi <= r_hi:
                raise ValueError(f"fit: bounds of {name} [{lo}, {hi}] must lie inside its range [{r_lo}, {r_hi}]")
        return self

    def trials(self) -> list[str]:
        """Trials and studies the design measures."""
        return sorted({c.trial for t in self.targets.values() for c in t.components})


@cache
def load_design() -> Design:
    raw = load_yaml(calibration_dir() / "design.yaml")
    return Design.model_validate(raw)


@cache
def load_targets() -> dict[str, dict[str, Any]]:
    """Targets by id, as published (``data/calibration/targets.yaml``)."""
    raw = load_yaml(calibration_dir() / "targets.yaml")
    return {t["id"]: t for t in raw["targets"]}


def resolve(target: Mapping[str, Any], path: str) -> Any:
    """``value``, ``value[1]`` or ``ci[2]`` of a target entry."""
    m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", path)
    if m is None or m.group(1) not in target:
        raise CalibrationError(f"target {target.get('id')}: no field {path!r}")
    v = target[m.group(1)]
    return v[int(m.group(2))] if m.group(2) is not None else v


@dataclass(frozen=True)
class Comparison:
    """One published number against the model's: inside or not, and what it costs in the loss."""

    target: str
    label: str
    published: float | None
    published_ci: tuple[float, float] | None
    model: float
    model_ci: tuple[float, float]
    inside: bool
    cost: float
    soft: bool


def _group(r: Result, outcome: str, week: int, arm: str) -> GroupStats:
    return r.group(outcome, week, arm)


def _measure(c: Component, r: Result) -> list[tuple[str, float, tuple[float, float]]]:
    """(label, model value, model 95% CI) of a component, from a trial or study result."""
    label = f"{c.trial}: {c.outcome} wk {c.week} {c.arm}"
    if c.kind == "bands":
        if not isinstance(r, StudyResult):
            raise CalibrationError(f"{label}: bands are measured in a study, not a trial")
        assert c.edges is not None
        edges = [-math.inf, *c.edges, math.inf]
        return [
            (f"{label}: share {_band(edges[k], edges[k + 1])}", share, ci)
            for k, (share, ci) in enumerate(r.shares(c.outcome, c.arm, c.edges))
        ]
    a = _group(r, c.outcome, c.week, c.arm)
    if c.kind in ("smd", "not_significant", "md"):
        assert c.vs is not None
        b = _group(r, c.outcome, c.week, c.vs)
        est, ci = hedges_g_ci(a, b) if c.kind != "md" else mean_difference(a, b)
        est, ci = c.offset + c.scale * est, (c.offset + c.scale * ci[0], c.offset + c.scale * ci[1])
        return [(f"{label} vs {c.vs} ({'MD' if c.kind == 'md' else 'SMD'})", est, ci)]
    if c.kind in ("mean", "proportion"):
        half = Z95 * a.sd / math.sqrt(a.n)
        return [(label, a.mean, (a.mean - half, a.mean + half))]
    assert c.sham is not None and c.none is not None
    base = {x: _group(r, c.outcome, 0, x).mean for x in (c.arm, c.sham, c.none)}
    gain = {x: base[x] - _group(r, c.outcome, c.week, x).mean for x in base}
    total = gain[c.arm]
    shares = (
        (gain[c.arm] - gain[c.sham]) / total,
        (gain[c.sham] - gain[c.none]) / total,
        gain[c.none] / total,
    ) if total > 0 else (math.nan, math.nan, math.nan)  # fmt: skip
    names = ("specific", "placebo", "no treatment")
    return [(f"{label}: share {nm}", s, (s, s)) for nm, s in zip(names, shares, strict=True)]


def _band(lo: float, hi: float) -> str:
    if math.isinf(lo):
        return f"< {hi:g}"
    if math.isinf(hi):
        return f">= {lo:g}"
    return f"{lo:g}-{hi:g}"


def compare(target_id: str, results: Mapping[str, Result], design: Design | None = None) -> list[Comparison]:
    """Every component of a mapped target against the model's value."""
    design = design or load_design()
    target = load_targets()[target_id]
    soft = target.get("confidence") == "V2"
    out: list[Comparison] = []
    for c in design.targets[target_id].components:
        measured = _measure(c, results[c.trial])
        published: list[Any]
        if c.kind in ("shares", "bands"):
            published = list(resolve(target, c.value or "value"))
        elif c.kind == "not_significant" or c.range is not None:
            published = [None]
        else:
            published = [resolve(target, c.value or "value")]
        for (label, model, model_ci), pub in zip(measured, published, strict=True):
            ci = tuple(resolve(target, c.ci)) if c.ci is not None else None
            if c.sd is not None and c.published_n is not None:  # the published mean's own CI
                half = Z95 * float(resolve(target, c.sd)) / math.sqrt(c.published_n)
                ci = (float(pub) - half, float(pub) + half)
            if c.kind == "not_significant":
                limit = design.loss["not_significant_smd"]
                inside = (model_ci[0] <= 0.0 <= model_ci[1]) or abs(model) < limit
                cost = 0.0 if inside else ((abs(model) - limit) / 0.1) ** 2
                out.append(Comparison(target_id, label, None, None, model, model_ci, inside, cost, soft))
                continue
            if c.range is not None:
                lo, hi = resolve(target, c.range)
                inside = lo <= model <= hi
                dist = 0.0 if inside else min(abs(model - lo), abs(model - hi))
                cost = (dist / ((hi - lo) / 2.0)) ** 2
                out.append(Comparison(target_id, label, (lo + hi) / 2.0, (lo, hi), model, model_ci, inside, cost, soft))
                continue
            if ci is None:
                tol = design.tolerance[_tolerance_kind(c, target)]
                lo, hi = pub - tol, pub + tol
                inside = abs(model - pub) <= tol
            else:
                lo, hi = float(ci[0]), float(ci[1])
                inside = lo <= model <= hi
            se = (hi - lo) / (2.0 * Z95)
            cost = ((model - pub) / se) ** 2 if math.isfinite(model) else 1e6
            pub_ci = (float(ci[0]), float(ci[1])) if ci is not None else None
            out.append(Comparison(target_id, label, float(pub), pub_ci, model, model_ci, inside, cost, soft))
    return out


def _tolerance_kind(c: Component, target: Mapping[str, Any]) -> str:
    if c.kind in ("shares", "bands"):
        return "share"
    if c.kind == "proportion":
        return "proportion"
    return str(target.get("scale", "nrs10"))


def run_design_trials(
    values: Mapping[str, float], n: int, seed: int, design: Design | None = None
) -> dict[str, Result]:
    """Every trial and study the design measures, with the table defaults overridden by ``values``."""
    design = design or load_design()
    defaults = {name: spec.default for name, spec in parameter_table().items()}
    defaults.update(values)
    studies = named_studies()
    return {
        t: run_study(t, n=n, seed=seed, defaults=defaults)
        if t in studies
        else run_trial(get_trial(t), n=n, seed=seed, bootstrap=0, defaults=defaults)
        for t in design.trials()
    }


def loss(values: Mapping[str, float], n: int, seed: int, design: Design | None = None) -> float:
    """The calibration loss at ``values`` (see ``design.yaml``)."""
    design = design or load_design()
    results = run_design_trials(values, n, seed, design)
    total = 0.0
    for tid, td in design.targets.items():
        if td.missed is not None:
            continue
        for comp in compare(tid, results, design):
            # soft-L1 (as scipy.optimize.least_squares): quadratic near the target, linear far from
            # it, so a target the model cannot reach does not dictate the fit of all the others.
            robust = 2.0 * (math.sqrt(1.0 + comp.cost) - 1.0)
            total += robust * (design.loss["soft_weight"] if comp.soft else 1.0)
    return total


@dataclass(frozen=True)
class Fit:
    parameters: dict[str, float]
    loss: float
    evaluations: int
    n: int
    seed: int
    maxiter: int
    popsize: int


def calibrate(
    *,
    n: int | None = None,
    seed: int | None = None,
    maxiter: int = 8,
    popsize: int = 4,
    progress: Callable[[int, float], None] | None = None,
    design: Design | None = None,
) -> Fit:
    """Fit the design's parameters by differential evolution (SciPy), starting from the defaults."""
    from scipy.optimize import differential_evolution

    design = design or load_design()
    n = n or design.evaluation["n"]
    seed = design.evaluation["seed"] if seed is None else seed
    names = list(design.fit)
    bounds = [design.fit[k] for k in names]
    table = parameter_table()
    x0 = [min(max(table[k].default, lo), hi) for k, (lo, hi) in zip(names, bounds, strict=True)]
    count = 0

    def objective(x: np.ndarray[Any, Any]) -> float:
        nonlocal count
        count += 1
        value = loss(dict(zip(names, map(float, x), strict=True)), n, seed, design)
        if progress is not None:
            progress(count, value)
        return value

    res = differential_evolution(
        objective, bounds, x0=x0, maxiter=maxiter, popsize=popsize, seed=seed, polish=False, tol=1e-6,
        init="sobol", updating="immediate",
    )  # fmt: skip
    best = dict(zip(names, (round(float(v), 6) for v in res.x), strict=True))
    return Fit(best, float(res.fun), count, n, seed, maxiter, popsize)


@dataclass(frozen=True)
class TargetReport:
    """One target: its components, whether all are inside, and the reason when missed."""

    id: str
    quantity: str
    source: str
    confidence: str
    comparisons: tuple[Comparison, ...]
    status: Literal["inside", "outside", "missed"]
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else round(float(x), 4)

        return {
            "id": self.id,
            "status": self.status,
            "reason": self.reason,
            "source": self.source,
            "confidence": self.confidence,
            "components": [
                {
                    "label": c.label,
                    "published": num(c.published),
                    "published_ci": [num(v) for v in c.published_ci] if c.published_ci else None,
                    "model": num(c.model),
                    "model_ci": [num(v) for v in c.model_ci],
                    "inside": c.inside,
                }
                for c in self.comparisons
            ],
        }


def report(values: Mapping[str, float], n: int | None = None, seed: int | None = None) -> list[TargetReport]:
    """Per target: published value and CI, model value and CI, inside / outside / missed (with why)."""
    design = load_design()
    n = n or design.evaluation["report_n"]
    seed = design.evaluation["seed"] if seed is None else seed
    results = run_design_trials(values, n, seed, design)
    out = []
    for tid, target in load_targets().items():
        td = design.targets.get(tid)
        if td is None:
            raise CalibrationError(f"target {tid} is in targets.yaml but not in design.yaml")
        common = (tid, str(target["quantity"]), str(target["source"]), str(target["confidence"]))
        if td.missed is not None:
            out.append(TargetReport(*common, (), "missed", td.missed))
            continue
        comps = tuple(compare(tid, results, design))
        inside = all(c.inside for c in comps)
        reason = None
        if not inside:
            reason = td.if_outside or "the fitted model's value lies outside the published CI"
        out.append(TargetReport(*common, comps, "inside" if inside else "outside", reason))
    return out


def write_calibration(fit: Fit, reports: list[TargetReport], folder: Path | None = None) -> Path:
    """Write ``v<N>.yaml`` (N one above the newest) with the fitted values and the report."""
    folder = folder or calibration_dir()
    existing = _version_files(folder)
    version = int(existing[-1].stem[1:]) + 1 if existing else 1
    inside = sum(r.status == "inside" for r in reports)
    doc = {
        "version": version,
        "date": _dt.date.today().isoformat(),
        "method": (
            f"scipy.optimize.differential_evolution (maxiter {fit.maxiter}, popsize {fit.popsize}, seed {fit.seed}), "
            f"{fit.evaluations} evaluations of {fit.n} persons per trial; loss in design.yaml"
        ),
        "loss": round(fit.loss, 4),
        "parameters": fit.parameters,
        "summary": {
            "targets": len(reports),
            "inside": inside,
            "outside": sum(r.status == "outside" for r in reports),
            "missed": sum(r.status == "missed" for r in reports),
        },
        "report": [r.to_dict() for r in reports],
    }
    path = folder / f"v{version}.yaml"
    header = (
        "# Calibrated population-level parameters (written by `yotsu calibrate`; do not edit by hand).\n"
        "# The newest v<N>.yaml is the shipped default: yotsu.model.calibration.calibrated_defaults().\n"
    )
    path.write_text(header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    parameter_table.cache_clear()  # the new version becomes the default in this process too
    return path


def shipped_report() -> dict[str, Any]:
    """The newest shipped calibration file, as written (empty if none ships)."""
    files = _version_files()
    if not files:
        return {}
    doc: dict[str, Any] = load_yaml(files[-1])
    return doc


class SmokeSettings(BaseModel):
    """A tiny calibration for CI: a few persons, one generation."""

    model_config = ConfigDict(frozen=True)

    n: int = Field(60, ge=10)
    maxiter: int = 1
    popsize: int = 1
