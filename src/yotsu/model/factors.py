"""Contributing factors: what presses a person's brake most, and what treating them would do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, model_validator

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model.parameters import PersonParams, parameter_table
from yotsu.model.simulate import simulate


class Factor(BaseModel):
    """One input to the danger judgment and the parameter values of a person without it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: LocalText
    resolved: dict[str, float]
    evidence: tuple[str, ...]
    level: EvidenceLevel

    @model_validator(mode="after")
    def _check(self) -> Factor:
        check_keys(self.evidence, f"factor {self.name}")
        unknown = set(self.resolved) - set(parameter_table())
        if unknown:
            raise ValueError(f"factor {self.name}: unknown parameter(s) {sorted(unknown)}")
        return self


@cache
def factors() -> dict[str, Factor]:
    """The contributing factors, in the article's order."""
    raw = load_yaml(resources.files("yotsu.model") / "data" / "factors.yaml")
    return {k: Factor(name=k, **v) for k, v in raw["factors"].items()}


def resolve(params: PersonParams, names: Sequence[str] | NDArray[np.bool_]) -> PersonParams:
    """``params`` with the named factors resolved, for every person; or, given a boolean matrix
    of shape ``(n, n_factors)``, each person's own selection."""
    table = list(parameter_table())
    m = params.matrix.copy()
    if isinstance(names, np.ndarray):
        for j, f in enumerate(factors().values()):
            rows = names[:, j]
            for k, v in f.resolved.items():
                m[rows, table.index(k)] = v
    else:
        for name in names:
            for k, v in factors()[name].resolved.items():
                m[:, table.index(k)] = v
    return PersonParams(m)


@dataclass(frozen=True)
class FactorEffects:
    """Mean pain over the assessed window now and with each factor resolved, per person."""

    baseline: NDArray[np.float64]  # (n,)
    resolved: dict[str, NDArray[np.float64]]  # factor -> (n,)

    def relief(self) -> dict[str, NDArray[np.float64]]:
        """Pain that would fall if each factor were resolved (positive = that factor presses the brake)."""
        return {k: self.baseline - v for k, v in self.resolved.items()}


def steady_pain(params: PersonParams, seed: int = 0, days: int = 56, warmup_days: int = 730) -> NDArray[np.float64]:
    """Each person's mean pain over ``days`` of natural history after the warm-up."""
    res = simulate(params, "none", days=days, seed=seed, series=("pain",), warmup_days=warmup_days)
    mean_pain: NDArray[np.float64] = res.series["pain"].mean(axis=0)
    return mean_pain


def factor_effects(params: PersonParams, seed: int = 0, days: int = 56) -> FactorEffects:
    """How much each person's pain would fall with each factor resolved (same noise throughout)."""
    base = steady_pain(params, seed, days)
    return FactorEffects(base, {name: steady_pain(resolve(params, [name]), seed, days) for name in factors()})
