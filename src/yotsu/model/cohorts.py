"""Virtual cohorts: populations of parameter draws, defined as data (``data/cohorts/*.yaml``).

A cohort file gives, per parameter, a distribution (``normal``, ``lognormal``, ``beta``,
``uniform``, ``truncated_normal`` or ``fixed``), correlations between parameters (a Gaussian
copula), and subgroups that form a mixture (e.g. a sensitised share of the population). Every
draw is truncated to the parameter's plausible range from ``data/parameters.yaml`` by inverse-CDF
sampling inside the range, so no draw ever falls outside it. Parameters the cohort does not name
take the shipped defaults (the calibrated ones when a calibration file is present).

Draws are a pure function of (seed, person id): see ``_draws.py``.

>>> c = get_cohort("primary-care-chronic")
>>> p = c.draw(4, seed=1)
>>> p.n
4
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._datafiles import load_file, load_folder, lookup
from yotsu.model._draws import STREAM_COHORT, per_person
from yotsu.model.parameters import PersonParams, parameter_table


class CohortError(ValueError):
    """A cohort that cannot be read or drawn."""


class Distribution(BaseModel):
    """The distribution of one parameter across persons (truncated to its plausible range)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dist: Literal["normal", "lognormal", "beta", "uniform", "truncated_normal", "fixed"]
    mean: float | None = None
    sd: float | None = Field(None, gt=0.0)
    median: float | None = Field(None, gt=0.0)
    sd_log: float | None = Field(None, gt=0.0)
    concentration: float | None = Field(None, gt=0.0, description="beta: a + b")
    low: float | None = None
    high: float | None = None
    value: float | None = None

    @model_validator(mode="after")
    def _fields(self) -> Distribution:
        need = {
            "normal": ("mean", "sd"),
            "truncated_normal": ("mean", "sd", "low", "high"),
            "lognormal": ("median", "sd_log"),
            "beta": ("mean", "concentration"),
            "uniform": ("low", "high"),
            "fixed": ("value",),
        }[self.dist]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {', '.join(missing)}")
        if self.dist == "beta" and not 0.0 < (self.mean or 0.0) < 1.0:
            raise ValueError("a beta distribution's mean lies strictly between 0 and 1 (of [low, high])")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low {self.low} must be below high {self.high}")
        return self

    def frozen(self) -> stats.rv_continuous:
        """The SciPy distribution (before truncation to the range)."""
        if self.dist in ("normal", "truncated_normal"):
            return stats.norm(self.mean, self.sd)
        if self.dist == "lognormal":
            return stats.lognorm(self.sd_log, scale=self.median)
        if self.dist == "beta":
            lo, hi = self.low or 0.0, 1.0 if self.high is None else self.high
            m, c = float(self.mean or 0.0), float(self.concentration or 0.0)
            return stats.beta(m * c, (1.0 - m) * c, loc=lo, scale=hi - lo)
        return stats.uniform(self.low, float(self.high or 0.0) - float(self.low or 0.0))

    def sample(self, u: NDArray[np.float64], bounds: tuple[float, float]) -> NDArray[np.float64]:
        """Inverse-CDF draws from uniforms ``u`` in (0, 1), truncated to ``bounds`` ∩ [low, high]."""
        lo, hi = bounds
        if self.value is not None:
            if not lo <= self.value <= hi:
                raise CohortError(f"fixed value {self.value} is outside the range [{lo}, {hi}]")
            return np.full(u.shape, self.value)
        lo = max(lo, self.low) if self.low is not None else lo
        hi = min(hi, self.high) if self.high is not None else hi
        d = self.frozen()
        c_lo, c_hi = float(d.cdf(lo)), float(d.cdf(hi))
        if not c_hi > c_lo:
            raise CohortError(f"the {self.dist} distribution has no mass inside [{lo}, {hi}]")
        x: NDArray[np.float64] = d.ppf(c_lo + u * (c_hi - c_lo))
        return np.clip(x, lo, hi)


class Correlation(BaseModel):
    """A correlation between two parameters on the normal-score (copula) scale."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    between: tuple[str, str]
    rho: float = Field(gt=-1.0, lt=1.0)
    evidence: tuple[str, ...] = Field(min_length=1)


class Subgroup(BaseModel):
    """A share of the cohort whose parameters follow other distributions (a mixture component)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    share: float = Field(gt=0.0, lt=1.0)
    title: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    parameters: dict[str, Distribution]


class Cohort(BaseModel):
    """A population of virtual persons as data; see the module docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    description: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    parameters: dict[str, Distribution]
    correlations: tuple[Correlation, ...] = ()
    subgroups: tuple[Subgroup, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Cohort:
        check_keys(self.evidence, f"cohort {self.name}")
        table = parameter_table()
        names = set(self.parameters)
        for g in self.subgroups:
            check_keys(g.evidence, f"cohort {self.name} subgroup {g.name}")
            names |= set(g.parameters)
        for c in self.correlations:
            check_keys(c.evidence, f"cohort {self.name} correlation")
            names |= set(c.between)
        unknown = sorted(names - set(table))
        if unknown:
            raise ValueError(f"unknown parameter(s): {', '.join(unknown)}")
        if sum(g.share for g in self.subgroups) >= 1.0:
            raise ValueError("subgroup shares must add up to less than 1")
        self.correlation_matrix()  # positive definite
        return self

    def drawn_names(self) -> tuple[str, ...]:
        """Parameters that vary across persons, in table order."""
        names = set(self.parameters) | {n for g in self.subgroups for n in g.parameters}
        return tuple(n for n in parameter_table() if n in names)

    def correlation_matrix(self) -> NDArray[np.float64]:
        names = self.drawn_names()
        r = np.eye(len(names))
        for c in self.correlations:
            a, b = c.between
            if a not in names or b not in names:
                raise ValueError(f"correlation names {a} and {b}, but both need a distribution")
            i, j = names.index(a), names.index(b)
            r[i, j] = r[j, i] = c.rho
        try:
            np.linalg.cholesky(r)
        except np.linalg.LinAlgError:
            raise ValueError("the correlations do not form a valid (positive-definite) correlation matrix") from None
        return r

    def draw(
        self,
        n: int | None = None,
        seed: int = 0,
        *,
        person_ids: ArrayLike | None = None,
        defaults: Mapping[str, float] | None = None,
    ) -> PersonParams:
        """Parameters of ``n`` persons (or of ``person_ids``), a pure function of (seed, id).

        ``defaults`` sets the parameters the cohort does not draw (default: the shipped defaults).
        """
        ids = _ids(n, person_ids)
        base = dict(defaults) if defaults is not None else shipped_defaults()
        full: dict[str, ArrayLike] = {**base, **self.draw_values(ids, seed, base)}
        return PersonParams.from_values(full, n=ids.size)

    def _normal_scores(self, ids: NDArray[np.int64], seed: int) -> NDArray[np.float64]:
        k = len(self.drawn_names())
        cohort_tag = int.from_bytes(self.name.encode()[:8].ljust(8, b"\0"), "little")
        return per_person(seed, STREAM_COHORT, ids, lambda g, m: g.standard_normal((k + 1, m)), (cohort_tag,))

    def subgroup_of(self, ids: NDArray[np.int64], seed: int) -> NDArray[np.int64]:
        """Index of each person's subgroup (``len(subgroups)`` for the main population)."""
        which = stats.norm.cdf(self._normal_scores(ids, seed)[-1])  # independent of the copula
        edges = np.cumsum([0.0, *(g.share for g in self.subgroups)])
        member: NDArray[np.int64] = np.searchsorted(edges, which, side="right") - 1
        return member

    def draw_values(
        self, ids: NDArray[np.int64], seed: int, defaults: Mapping[str, float] | None = None
    ) -> dict[str, NDArray[np.float64]]:
        """The drawn parameters of persons ``ids`` (only those the cohort names); a parameter only a
        subgroup draws takes ``defaults`` (the shipped defaults) outside that subgroup."""
        base_values = dict(defaults) if defaults is not None else shipped_defaults()
        names = self.drawn_names()
        raw = self._normal_scores(ids, seed)
        u = stats.norm.cdf(np.linalg.cholesky(self.correlation_matrix()) @ raw[:-1])
        member = self.subgroup_of(ids, seed)
        table = parameter_table()
        out: dict[str, NDArray[np.float64]] = {}
        for j, name in enumerate(names):
            bounds = table[name].range
            base = self.parameters.get(name)
            col = base.sample(u[j], bounds) if base is not None else np.full(ids.size, base_values[name])
            for gi, g in enumerate(self.subgroups):
                d = g.parameters.get(name)
                sel = member == gi
                if d is not None and sel.any():
                    col[sel] = d.sample(u[j][sel], bounds)
            out[name] = col
        return out


def _ids(n: int | None, person_ids: ArrayLike | None) -> NDArray[np.int64]:
    if person_ids is not None:
        return np.asarray(person_ids, dtype=np.int64)
    if n is None or n < 1:
        raise CohortError(f"give n >= 1 or person_ids, got n = {n}")
    return np.arange(n, dtype=np.int64)


def shipped_defaults() -> dict[str, float]:
    """Parameter defaults, the calibrated ones included (``parameter_table`` applies the calibration)."""
    return {name: spec.default for name, spec in parameter_table().items()}


@cache
def named_cohorts() -> dict[str, Cohort]:
    """The cohorts shipped with Yotsu, by name."""
    return load_folder("cohorts", Cohort, "cohort", CohortError)


def load_cohort_file(path: str | Path) -> Cohort:
    """Read and validate a cohort file; errors name the file and the field."""
    return load_file(path, Cohort, "cohort", CohortError)


def get_cohort(cohort: str | Path | Cohort) -> Cohort:
    """A cohort by name (shipped), by path to a YAML file, or as given."""
    if isinstance(cohort, Cohort):
        return cohort
    return lookup(cohort, named_cohorts(), Cohort, "cohort", CohortError)
