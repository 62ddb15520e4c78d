"""In-silico randomised trials, defined as data (``data/trials/*.yaml``).

A trial spec names a cohort, inclusion criteria (baseline pain, duration), arms (each a plan:
treatment, sham/placebo, usual care), follow-up weeks and outcomes. Every arm runs on the same
virtual persons (common random numbers: the same person ids and seed, so the same parameters,
day-to-day noise and measurement errors), and the trial is analysed as the papers analyse a
parallel-group trial of that many persons per arm.

The model of a trial, beyond the model of a person:

- a baseline week with no sessions (sessions of every arm start on day ``baseline_days``);
- measurement: pain is recalled as the mean of the past week, with measurement error
  (``data/measurement.yaml``), and recorded as integer NRS 0-10, VAS 0-100 mm and RMDQ 0-24;
- selection on the measured baseline (inclusion criteria), which with measurement error gives
  regression to the mean (barnett2005);
- expectation: sham sessions and any care raise expected relief (the model's placebo pathway).

Persons run in chunks and only per-follow-up summaries are kept: exact counts of each integer
score per (outcome, week, arm), and Poisson-bootstrap sums (hanley2006). All are integers, so
the result does not depend on how persons are chunked or on which machine a chunk ran.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._datafiles import load_file, load_folder, lookup
from yotsu.model._draws import STREAM_BOOTSTRAP, STREAM_MEASUREMENT, STREAM_SCREENING, per_person
from yotsu.model._sums import integer_products
from yotsu.model._warm import WarmCohort
from yotsu.model.cohorts import get_cohort, shipped_defaults
from yotsu.model.effects import (
    GroupStats,
    hedges_g_ci,
    hedges_g_moments,
    mean_difference,
    percentile_ci,
    risk_ratio_ci,
)
from yotsu.model.plans import MAX_SCHEDULE_DAYS, Plan, SessionSpec, get_plan
from yotsu.model.simulate import DEFAULT_WARMUP_DAYS
from yotsu.model.startback import DRIVERS, GROUPS, GroupName, risk_groups, startback_scores

OutcomeName = Literal["pain_nrs", "pain_vas", "rmdq", "responder_30pct", "responder_2pt", "pain_free_0_1"]
#: Largest value of each outcome's integer score (binary outcomes are 0/1).
OUTCOME_MAX: dict[str, int] = {
    "pain_nrs": 10,
    "pain_vas": 100,
    "rmdq": 24,
    "responder_30pct": 1,
    "responder_2pt": 1,
    "pain_free_0_1": 1,
}
BINARY = frozenset({"responder_30pct", "responder_2pt", "pain_free_0_1"})
RECORDED_SERIES = ("pain", "movement_restriction", "threat_prior")
DEFAULT_CHUNK = 30_000  # off a power of two: 2^k persons thrash the cache sets (issue 15: 3x)


class TrialError(ValueError):
    """A trial spec that cannot be read or run."""


class Inclusion(BaseModel):
    """Who is randomised: measured baseline pain (NRS 0-10) and duration of pain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_baseline_nrs: int = Field(0, ge=0, le=10)
    max_baseline_nrs: int = Field(10, ge=0, le=10)
    min_duration_weeks: int = Field(12, ge=0)


class Care(BaseModel):
    """What one group of an arm receives: a named plan, or sessions written inline."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: str | None = None
    sessions: tuple[SessionSpec, ...] | None = None

    @model_validator(mode="after")
    def _one(self) -> Care:
        if (self.plan is None) == (self.sessions is None):
            raise ValueError("give exactly one of `plan` (a named plan) or `sessions`")
        return self

    def shifted(
        self, name: str, title: LocalText, offset: int, evidence: tuple[str, ...], level: EvidenceLevel
    ) -> Plan:
        """The plan with every session moved ``offset`` days later (after the baseline week)."""
        if self.plan is not None:
            base = get_plan(self.plan)
            sessions, evidence, level = base.sessions, base.evidence, base.level
        else:
            sessions = self.sessions or ()
        moved = tuple(
            s.model_copy(update={"days": tuple(d + offset for d in s.days)})
            if s.days is not None
            else s.model_copy(update={"start_day": s.start_day + offset})
            for s in sessions
        )
        return Plan(name=name, title=title, description=title, evidence=evidence, level=level, sessions=moved)


class Arm(BaseModel):
    """One arm: a named plan, or sessions written inline (days counted from randomisation), or a policy
    ``stratified`` by each person's measured STarT Back group at baseline (``low``, ``medium``, ``high``,
    each a plan or sessions: hill2011's stratified care)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    plan: str | None = None
    sessions: tuple[SessionSpec, ...] | None = None
    stratified: dict[GroupName, Care] | None = None

    @model_validator(mode="after")
    def _one(self) -> Arm:
        given = [x is not None for x in (self.plan, self.sessions, self.stratified)]
        if sum(given) != 1:
            raise ValueError(
                f"arm {self.name}: give exactly one of `plan` (a named plan), `sessions`, or `stratified` "
                "(care for each STarT Back group)"
            )
        if self.stratified is not None and set(self.stratified) != set(GROUPS):
            missing = ", ".join(g for g in GROUPS if g not in self.stratified)
            raise ValueError(f"arm {self.name}: `stratified` needs care for low, medium and high (missing: {missing})")
        return self

    def plan_from(self, offset: int, evidence: tuple[str, ...], level: EvidenceLevel) -> Plan:
        """The arm's plan with every session moved ``offset`` days later (not for a stratified arm)."""
        if self.stratified is not None:
            raise TrialError(f"arm {self.name} is stratified: it has one plan per STarT Back group")
        care = Care(plan=self.plan, sessions=self.sessions)
        return care.shifted(f"arm-{self.name}", self.title, offset, evidence, level)

    def group_plans(self, offset: int, evidence: tuple[str, ...], level: EvidenceLevel) -> tuple[Plan, ...]:
        """One plan per STarT Back group, in the order of ``GROUPS``: the stratified arm's, or the arm's
        one plan three times."""
        if self.stratified is None:
            return (self.plan_from(offset, evidence, level),) * len(GROUPS)
        return tuple(
            self.stratified[g].shifted(f"arm-{self.name}-{g}", self.title, offset, evidence, level) for g in GROUPS
        )

    @property
    def is_stratified(self) -> bool:
        return self.stratified is not None


class TrialSpec(BaseModel):
    """A randomised trial as data; see the module docstring and ``docs/research.md``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    description: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    cohort: str
    n: int = Field(2000, ge=2, le=10_000_000, description="persons screened (each runs in every arm)")
    seed: int = Field(0, ge=0)
    baseline_days: int = Field(7, ge=1, le=28)
    inclusion: Inclusion = Inclusion()
    arms: tuple[Arm, ...] = Field(min_length=2)
    reference: str
    follow_up_weeks: tuple[int, ...] = Field(min_length=1)
    outcomes: tuple[OutcomeName, ...] = ("pain_nrs", "pain_vas", "rmdq", "responder_30pct", "pain_free_0_1")

    @model_validator(mode="after")
    def _check(self) -> TrialSpec:
        check_keys(self.evidence, f"trial {self.name}")
        names = [a.name for a in self.arms]
        if len(set(names)) != len(names):
            raise ValueError("arm names must be unique")
        if self.reference not in names:
            raise ValueError(f"reference {self.reference!r} is not one of the arms: {', '.join(names)}")
        if any(w < 1 for w in self.follow_up_weeks):
            raise ValueError("follow-up weeks count from randomisation and start at 1 (week 0 is baseline)")
        if max(self.follow_up_weeks) > MAX_SCHEDULE_DAYS // 7:
            raise ValueError(
                f"follow-up weeks may go up to week {MAX_SCHEDULE_DAYS // 7:,} ({MAX_SCHEDULE_DAYS:,} days)"
            )
        if self.inclusion.min_baseline_nrs > self.inclusion.max_baseline_nrs:
            raise ValueError("min_baseline_nrs is above max_baseline_nrs")
        if self.inclusion.min_duration_weeks * 7 > DEFAULT_WARMUP_DAYS:
            raise ValueError(
                f"every virtual person has had pain for {DEFAULT_WARMUP_DAYS // 7} weeks (the warm-up); "
                f"min_duration_weeks {self.inclusion.min_duration_weeks} is longer"
            )
        get_cohort(self.cohort)
        for arm in self.arms:
            arm.group_plans(self.baseline_days, self.evidence, self.level)
        return self

    @property
    def stratified(self) -> bool:
        """Whether some arm chooses care by the measured STarT Back group."""
        return any(a.is_stratified for a in self.arms)

    def weeks(self) -> tuple[int, ...]:
        """Week 0 (baseline) and the follow-up weeks, sorted."""
        return (0, *sorted(set(self.follow_up_weeks)))

    def days(self) -> int:
        return self.baseline_days + 7 * max(self.follow_up_weeks)

    def window(self, week: int) -> range:
        """Days whose pain a person recalls at ``week``: the baseline days, or that week's 7 days."""
        if week == 0:
            return range(0, self.baseline_days)
        end = self.baseline_days + 7 * week
        return range(end - 7, end)

    def arm_index(self, name: str) -> int:
        return [a.name for a in self.arms].index(name)


class MeasurementModel(BaseModel):
    """``data/measurement.yaml``: how state becomes recorded scores."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sem_nrs: float = Field(ge=0.0)
    rmdq_weight_pain: float
    rmdq_weight_restriction: float
    rmdq_weight_fear: float
    rmdq_fear_half: float = Field(gt=0.0)
    rmdq_sem: float = Field(ge=0.0)


@cache
def measurement_model() -> MeasurementModel:
    raw = load_yaml(resources.files("yotsu.model") / "data" / "measurement.yaml")
    for block in ("pain", "rmdq"):
        check_keys(raw[block]["evidence"], f"measurement model ({block})")
    r = raw["rmdq"]
    return MeasurementModel(
        sem_nrs=raw["pain"]["sem_nrs"],
        rmdq_weight_pain=r["weight_pain"],
        rmdq_weight_restriction=r["weight_restriction"],
        rmdq_weight_fear=r["weight_fear"],
        rmdq_fear_half=r["fear_half"],
        rmdq_sem=r["sem"],
    )


@dataclass
class TrialSums:
    """What a chunk of persons contributes: exact integer counts and bootstrap sums.

    ``counts[o]`` has shape ``(weeks, arms, max_o + 1)``; ``boot_n`` ``(arms, B)``; ``boot_s`` and
    ``boot_q`` ``(outcomes, weeks, arms, B)`` (weighted sums and sums of squares); ``strata`` the
    included persons in each STarT Back group (zeros when no arm is stratified).
    """

    screened: int
    included: int
    counts: dict[str, NDArray[np.int64]]
    boot_n: NDArray[np.float64]
    boot_s: NDArray[np.float64]
    boot_q: NDArray[np.float64]
    strata: NDArray[np.int64] = field(default_factory=lambda: np.zeros(len(GROUPS), dtype=np.int64))

    def __add__(self, other: TrialSums) -> TrialSums:
        return TrialSums(
            self.screened + other.screened,
            self.included + other.included,
            {k: v + other.counts[k] for k, v in self.counts.items()},
            self.boot_n + other.boot_n,
            self.boot_s + other.boot_s,
            self.boot_q + other.boot_q,
            self.strata + other.strata,
        )


def recall(
    spec: TrialSpec, days: NDArray[np.int64], series: Mapping[str, NDArray[np.float64]]
) -> dict[str, NDArray[np.float64]]:
    """Each series averaged over each week's recall window: shape ``(weeks, persons)``.

    ``series[name]`` has shape ``(len(days), persons)``; ``days`` must cover every window.
    """
    row = {int(d): k for k, d in enumerate(days)}
    return {
        k: np.stack([v[[row[d] for d in spec.window(w)]].mean(axis=0) for w in spec.weeks()]) for k, v in series.items()
    }


def measured_scores(
    recalled: Mapping[str, NDArray[np.float64]], noise: NDArray[np.float64]
) -> dict[str, NDArray[np.int64]]:
    """Integer scores ``(weeks, persons)`` of each outcome; week 0 (row 0) is the baseline.

    ``recalled`` holds ``pain``, ``movement_restriction`` and ``threat_prior`` as recalled each
    week (:func:`recall`); ``noise`` has shape ``(2, weeks, persons)`` of standard normals (pain, RMDQ).
    """
    mm = measurement_model()
    pain = np.clip(recalled["pain"] + mm.sem_nrs * noise[0], 0.0, 10.0)
    nrs = np.rint(pain).astype(np.int64)
    fear = recalled["threat_prior"] / (recalled["threat_prior"] + mm.rmdq_fear_half)
    disability = 24.0 * (
        mm.rmdq_weight_pain * recalled["pain"] / 10.0
        + mm.rmdq_weight_restriction * recalled["movement_restriction"]
        + mm.rmdq_weight_fear * fear
    )
    rmdq = np.rint(np.clip(disability + mm.rmdq_sem * noise[1], 0.0, 24.0)).astype(np.int64)
    base = nrs[0]
    drop = base[None, :] - nrs
    return {
        "pain_nrs": nrs,
        "pain_vas": np.rint(10.0 * pain).astype(np.int64),
        "rmdq": rmdq,
        "responder_30pct": ((base[None, :] > 0) & (drop >= 0.3 * base[None, :]) & (drop > 0)).astype(np.int64),
        "responder_2pt": (drop >= 2).astype(np.int64),
        "pain_free_0_1": (nrs <= 1).astype(np.int64),
    }


def run_chunk(
    spec: TrialSpec,
    person_ids: NDArray[np.int64],
    seed: int,
    bootstrap: int,
    defaults: Mapping[str, float],
) -> TrialSums:
    """Simulate persons ``person_ids`` in every arm and return their summaries."""
    ids = np.asarray(person_ids, dtype=np.int64)
    params = get_cohort(spec.cohort).draw(seed=seed, person_ids=ids, defaults=defaults)
    weeks = spec.weeks()
    record = sorted({d for w in weeks for d in spec.window(w)})
    noise = per_person(seed, STREAM_MEASUREMENT, ids, lambda g, m: g.standard_normal((2, len(weeks), m)))
    outcomes = spec.outcomes
    counts: dict[str, NDArray[np.int64]] = {
        o: np.zeros((len(weeks), len(spec.arms), OUTCOME_MAX[o] + 1), dtype=np.int64) for o in outcomes
    }
    boot_n = np.zeros((len(spec.arms), bootstrap))
    boot_s = np.zeros((len(outcomes), len(weeks), len(spec.arms), bootstrap))
    boot_q = np.zeros_like(boot_s)
    included: NDArray[np.bool_] | None = None
    warm = WarmCohort(params, ids, seed, DEFAULT_WARMUP_DAYS)  # the same in every arm: run it once
    groups = screened_groups(spec, warm, ids, seed) if spec.stratified else None
    for a, arm in enumerate(spec.arms):
        if groups is None or not arm.is_stratified:
            plan = arm.plan_from(spec.baseline_days, spec.evidence, spec.level)
            rec_days, series = warm.run(plan, spec.days(), record, RECORDED_SERIES)
        else:
            rec_days, series = _run_stratified(spec, arm, warm, groups, record)
        scores = measured_scores(recall(spec, rec_days, series), noise)
        if included is None:  # baseline precedes every session, so it is the same in every arm
            b = scores["pain_nrs"][0]
            included = (b >= spec.inclusion.min_baseline_nrs) & (b <= spec.inclusion.max_baseline_nrs)
        for o in outcomes:
            x = scores[o][:, included]
            for wi in range(len(weeks)):
                counts[o][wi, a] += np.bincount(x[wi], minlength=OUTCOME_MAX[o] + 1)
        if bootstrap:
            # Every score and weight is an integer, so every sum below is exact in float64 whatever
            # the order of additions: excluded persons enter with score 0 instead of being cut out of
            # the 200 x m weights (a copy), and all outcomes share one product, on the kernel's threads (issue 15).
            w = per_person(seed, STREAM_BOOTSTRAP, ids, lambda g, m: _poisson1(g, (bootstrap, m)), (a,))
            nw = len(weeks)
            xs = np.empty((2 * len(outcomes) + 1, nw, ids.size))
            for oi, o in enumerate(outcomes):
                np.multiply(scores[o], included, out=xs[oi])
                np.multiply(xs[oi], xs[oi], out=xs[len(outcomes) + oi])
            xs[-1] = included
            sums = integer_products(xs.reshape(-1, ids.size), w).reshape(2 * len(outcomes) + 1, nw, bootstrap)
            boot_n[a] += sums[-1, 0]
            boot_s[:, :, a] += sums[: len(outcomes)]
            boot_q[:, :, a] += sums[len(outcomes) : -1]
    assert included is not None
    strata = np.zeros(len(GROUPS), dtype=np.int64)
    if groups is not None:
        strata += np.bincount(groups[included], minlength=len(GROUPS))
    return TrialSums(int(ids.size), int(included.sum()), counts, boot_n, boot_s, boot_q, strata)


def screened_groups(spec: TrialSpec, warm: WarmCohort, ids: NDArray[np.int64], seed: int) -> NDArray[np.int64]:
    """Each person's STarT Back group (0 low, 1 medium, 2 high) as answered over the baseline week,
    before any session: the same in every arm (``yotsu.model.startback``)."""
    window = list(spec.window(0))
    _days, series = warm.run(get_plan("none"), spec.baseline_days, window, DRIVERS)
    recalled = {k: v.mean(axis=0) for k, v in series.items()}
    uniforms = per_person(seed, STREAM_SCREENING, ids, lambda g, m: g.random((9, m)))
    return risk_groups(*startback_scores(recalled, uniforms))


def _run_stratified(
    spec: TrialSpec, arm: Arm, warm: WarmCohort, groups: NDArray[np.int64], record: Sequence[int]
) -> tuple[NDArray[np.int64], dict[str, NDArray[np.float64]]]:
    """A stratified arm: each group's persons run under that group's plan, put back in their places."""
    rec_days = np.unique(np.asarray(record, dtype=np.int64))
    series = {k: np.empty((rec_days.size, groups.size)) for k in RECORDED_SERIES}
    for g, plan in enumerate(arm.group_plans(spec.baseline_days, spec.evidence, spec.level)):
        persons = np.flatnonzero(groups == g)
        if persons.size:
            _d, part = warm.run(plan, spec.days(), record, RECORDED_SERIES, persons=persons)
            for k, v in part.items():
                series[k][:, persons] = v
    return rec_days, series


@cache
def _poisson1_table() -> NDArray[np.uint8]:
    """Poisson(1) quantiles at the 65,536 midpoints of a 16-bit uniform: a Poisson(1) draw from
    one 16-bit integer by lookup (probabilities exact to 1/65,536), 5x cheaper than ``Generator.poisson``.
    Bytes, not doubles: the values are small integers, and the 200 x m weights are a chunk's largest
    array (8x less memory to fill and copy; the sums they enter are the same)."""
    from scipy.stats import poisson

    cdf = poisson.cdf(np.arange(30), 1.0)
    table: NDArray[np.uint8] = np.searchsorted(cdf, (np.arange(65536) + 0.5) / 65536).astype(np.uint8)
    return table


def _poisson1(rng: np.random.Generator, shape: tuple[int, int]) -> NDArray[np.uint8]:
    """Poisson(1) weights of the Poisson bootstrap (hanley2006)."""
    draws: NDArray[np.uint8] = _poisson1_table()[rng.integers(0, 65536, size=shape, dtype=np.uint16)]
    return draws


def chunks(n: int, chunk_size: int) -> list[tuple[int, int]]:
    """Half-open ranges of person ids ``[lo, hi)`` covering ``0..n-1``."""
    if chunk_size < 1:
        raise TrialError(f"chunk size must be at least 1, got {chunk_size}")
    return [(lo, min(n, lo + chunk_size)) for lo in range(0, n, chunk_size)]


def run_chunk_range(
    spec: TrialSpec, lo: int, hi: int, seed: int, bootstrap: int, defaults: Mapping[str, float]
) -> TrialSums:
    """``run_chunk`` on ids ``lo..hi-1`` (what a Dask worker receives: no id arrays shipped)."""
    return run_chunk(spec, np.arange(lo, hi, dtype=np.int64), seed, bootstrap, defaults)


@dataclass
class TrialResult:
    """Per-follow-up summaries of a trial, and the rows of the JSON contract."""

    spec: TrialSpec
    seed: int
    screened: int
    included: int
    sums: TrialSums
    bootstrap: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    def group(self, outcome: str, week: int, arm: str) -> GroupStats:
        wi = self.spec.weeks().index(week)
        return GroupStats.from_counts(self.sums.counts[outcome][wi, self.spec.arm_index(arm)])

    def quantiles(self, outcome: str, week: int, arm: str, qs: Sequence[float]) -> list[float]:
        """Exact quantiles of the integer score from its counts."""
        wi = self.spec.weeks().index(week)
        c = np.cumsum(self.sums.counts[outcome][wi, self.spec.arm_index(arm)])
        return [float(np.searchsorted(c, q * c[-1], side="left")) for q in qs]

    def row(self, outcome: str, week: int, arm: str) -> dict[str, Any]:
        for r in self.rows:
            if (r["outcome"], r["week"], r["arm"]) == (outcome, week, arm):
                return r
        raise KeyError((outcome, week, arm))

    def strata(self) -> dict[str, int] | None:
        """Included persons per measured STarT Back group, when some arm is stratified."""
        if not self.spec.stratified:
            return None
        return {g: int(c) for g, c in zip(GROUPS, self.sums.strata, strict=True)}

    def to_json(self) -> dict[str, Any]:
        """The machine-readable contract of ``yotsu trial --json`` (docs/research.md)."""
        out = {
            "spec": self.spec.model_dump(mode="json"),
            "seed": self.seed,
            "screened": self.screened,
            "n": {a.name: self.included for a in self.spec.arms},
            "reference": self.spec.reference,
            "bootstrap": self.bootstrap,
            "outcomes": [{k: _finite(v) for k, v in r.items()} for r in self.rows],
        }
        if (strata := self.strata()) is not None:
            out["strata"] = strata
        return out


def _finite(v: Any) -> Any:
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return v


def analyse(spec: TrialSpec, sums: TrialSums, seed: int, bootstrap: int) -> TrialResult:
    """Arm means and SDs, mean differences, Hedges' g (analytic and bootstrap CIs), risk ratios."""
    result = TrialResult(spec, seed, sums.screened, sums.included, sums, bootstrap)
    ref = spec.arm_index(spec.reference)
    for oi, o in enumerate(spec.outcomes):
        for wi, w in enumerate(spec.weeks()):
            r_stats = GroupStats.from_counts(sums.counts[o][wi, ref])
            for a, arm in enumerate(spec.arms):
                st = GroupStats.from_counts(sums.counts[o][wi, a])
                row: dict[str, Any] = {"outcome": o, "week": w, "arm": arm.name, "mean": st.mean, "sd": st.sd}
                if a != ref and st.n > 1:
                    md, md_ci = mean_difference(st, r_stats)
                    g, g_ci = hedges_g_ci(st, r_stats)
                    row.update(md=md, md_ci=list(md_ci), smd=g, smd_ci=list(g_ci))
                    if bootstrap:
                        gb = hedges_g_moments(
                            sums.boot_n[a], sums.boot_s[oi, wi, a], sums.boot_q[oi, wi, a],
                            sums.boot_n[ref], sums.boot_s[oi, wi, ref], sums.boot_q[oi, wi, ref],
                        )  # fmt: skip
                        row["smd_ci_bootstrap"] = list(percentile_ci(gb))
                    if o in BINARY:
                        rr, rr_ci = risk_ratio_ci(st, r_stats)
                        row.update(rr=rr, rr_ci=list(rr_ci))
                result.rows.append(row)
    return result


ChunkRunner = Callable[[TrialSpec, list[tuple[int, int]], int, int, Mapping[str, float]], Iterable[TrialSums]]


def run_chunks_here(
    spec: TrialSpec, ranges: list[tuple[int, int]], seed: int, bootstrap: int, defaults: Mapping[str, float]
) -> Iterable[TrialSums]:
    """Run chunks one after another in this process (each chunk uses every core through the kernel)."""
    for lo, hi in ranges:
        yield run_chunk_range(spec, lo, hi, seed, bootstrap, defaults)


def run_trial(
    spec: TrialSpec | str | Path,
    n: int | None = None,
    seed: int | None = None,
    *,
    bootstrap: int = 200,
    chunk_size: int = DEFAULT_CHUNK,
    defaults: Mapping[str, float] | None = None,
    runner: ChunkRunner | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrialResult:
    """Run an in-silico trial and analyse it.

    Parameters
    ----------
    spec : a :class:`TrialSpec`, a shipped trial's name, or a path to a trial YAML file.
    n : persons screened (default: the spec's); every arm runs on all of them.
    seed : seed of every draw (default: the spec's); the result is a pure function of it.
    bootstrap : Poisson-bootstrap replicates for the bootstrap CI of Hedges' g (0 = none).
    chunk_size : persons per chunk; only summaries are kept, so memory is bounded by the chunk.
    defaults : values of the parameters the cohort does not draw (default: the shipped ones).
    runner : where chunks run (default: this process; ``yotsu.model._dask.dask_runner`` for a cluster).
    progress : called with (persons done, persons in all) after each chunk.

    Examples
    --------
    >>> r = run_trial("exercise-vs-no-treatment", n=64, bootstrap=0)
    >>> r.row("pain_vas", 12, "exercise")["md"] < 0
    True
    """
    the_spec = get_trial(spec)
    n = the_spec.n if n is None else n
    seed = the_spec.seed if seed is None else seed
    if n < 2:
        raise TrialError(f"a trial needs at least 2 persons, got n = {n}")
    if bootstrap < 0:
        raise TrialError(f"bootstrap replicates must be 0 or more, got {bootstrap}")
    defaults = dict(defaults) if defaults is not None else shipped_defaults()
    ranges = chunks(n, chunk_size)
    run = runner or run_chunks_here
    total: TrialSums | None = None
    done = 0
    for part in run(the_spec, ranges, seed, bootstrap, defaults):
        total = part if total is None else total + part
        done += part.screened
        if progress is not None:
            progress(done, n)
    assert total is not None
    if total.included < 2:
        raise TrialError(
            f"only {total.included} of {n} persons meet the inclusion criteria; screen more persons (--n) "
            "or relax the criteria"
        )
    return analyse(the_spec, total, seed, bootstrap)


@cache
def named_trials() -> dict[str, TrialSpec]:
    """The trials shipped with Yotsu, by name."""
    return load_folder("trials", TrialSpec, "trial", TrialError)


def load_trial_file(path: str | Path) -> TrialSpec:
    """Read and validate a trial file; errors name the file and the field."""
    return load_file(path, TrialSpec, "trial", TrialError)


def get_trial(spec: str | Path | TrialSpec) -> TrialSpec:
    """A trial by name (shipped), by path to a YAML file, or as given."""
    if isinstance(spec, TrialSpec):
        return spec
    return lookup(spec, named_trials(), TrialSpec, "trial", TrialError)
