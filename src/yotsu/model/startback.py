"""The STarT Back Screening Tool answered by a virtual person (an observation model).

A trial that stratifies care by STarT Back group (hill2011) needs each virtual person's *measured*
group, not their parameters: the nine yes/no items are answered from the model's recalled baseline
(``data/startback.yaml``). Item ``i`` is endorsed with a logistic probability of its driver, the model
state the item asks about (leg and neck pain: how far pain spreads; walking and dressing: movement
restriction; "not safe to be active" and "never going to get better": expected danger; worry and low
mood: distress; bothersomeness: pain). The item thresholds were set on one published distribution (the
development sample's mean overall and psychosocial scores, hill2008) and are checked against siblings
(those scores' SDs, and the risk-group shares of the STarT Back trial, hill2011): see
``tests/model/test_startback.py``. The risk-group rule is the Keele scoring's, held equal to the care
pathway's scorer by a test (the model does not import the pathway).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys

__all__ = [
    "DRIVERS",
    "GROUPS",
    "GroupName",
    "StartBackItem",
    "StartBackModel",
    "risk_groups",
    "startback_model",
    "startback_scores",
]

#: Model series an item can be driven by (recalled over the baseline week).
DRIVERS = ("spread", "movement_restriction", "threat_prior", "distress", "pain")
GroupName = Literal["low", "medium", "high"]
#: Risk groups in the order of the integer codes ``risk_groups`` returns.
GROUPS: tuple[GroupName, ...] = ("low", "medium", "high")
PSYCHOSOCIAL_ITEMS = (5, 6, 7, 8, 9)


class StartBackItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item: int = Field(ge=1, le=9)
    asks: str
    driver: str
    threshold: float  # driver value at which the item is endorsed by half of the persons
    scale: float = Field(gt=0.0)  # logistic width, driver units: how gradual the endorsement is


class StartBackModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[StartBackItem, ...] = Field(min_length=9, max_length=9)
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    fitted_on: str
    checked_on: str


@cache
def startback_model() -> StartBackModel:
    raw = load_yaml(resources.files("yotsu.model") / "data" / "startback.yaml")
    model = StartBackModel(**raw)
    check_keys(model.evidence, "STarT Back observation model")
    if sorted(i.item for i in model.items) != list(range(1, 10)):
        raise ValueError("data/startback.yaml must describe items 1 to 9 once each")
    for i in model.items:
        if i.driver not in DRIVERS:
            raise ValueError(f"STarT Back item {i.item}: driver {i.driver!r} is not one of {', '.join(DRIVERS)}")
    return model


def startback_scores(
    recalled: Mapping[str, NDArray[np.float64]], uniforms: NDArray[np.float64], model: StartBackModel | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(overall 0-9, psychosocial 0-5) of each person from their recalled drivers (each of shape
    ``(persons,)``) and ``uniforms`` of shape ``(9, persons)`` in [0, 1) (one per item and person)."""
    model = model or startback_model()
    overall = np.zeros(uniforms.shape[1], dtype=np.int64)
    psychosocial = np.zeros_like(overall)
    for item in model.items:
        x = np.asarray(recalled[item.driver], dtype=np.float64)
        p = 1.0 / (1.0 + np.exp(-(x - item.threshold) / item.scale))
        yes = (uniforms[item.item - 1] < p).astype(np.int64)
        overall += yes
        if item.item in PSYCHOSOCIAL_ITEMS:
            psychosocial += yes
    return overall, psychosocial


def risk_groups(overall: NDArray[np.int64], psychosocial: NDArray[np.int64]) -> NDArray[np.int64]:
    """0 low (overall 0-3), 2 high (psychosocial 4-5), 1 medium (the rest) (hill2008; Keele's scoring)."""
    return np.where(overall <= 3, 0, np.where(psychosocial >= 4, 2, 1)).astype(np.int64)


def fit_thresholds(
    recalled: Mapping[str, NDArray[np.float64]],
    uniforms: NDArray[np.float64],
    model: StartBackModel,
    mean_overall: float,
    mean_psychosocial: float,
) -> StartBackModel:
    """Item thresholds set on one published distribution: for the physical items (1-4) and for the
    psychosocial items (5-9) each, the one quantile of its driver in ``recalled`` at which the cohort's
    mean physical and psychosocial scores equal the published means (bisection; the logistic widths are
    kept). How ``data/startback.yaml`` was made: ``python -m yotsu.model.startback``."""

    def with_quantile(items: tuple[StartBackItem, ...], group: tuple[int, ...], q: float) -> tuple[StartBackItem, ...]:
        return tuple(
            i.model_copy(update={"threshold": float(np.quantile(recalled[i.driver], q))}) if i.item in group else i
            for i in items
        )

    items = model.items
    physical = tuple(i for i in range(1, 10) if i not in PSYCHOSOCIAL_ITEMS)
    for group, target in ((physical, mean_overall - mean_psychosocial), (PSYCHOSOCIAL_ITEMS, mean_psychosocial)):
        lo, hi = 0.0, 1.0
        for _ in range(40):  # a higher quantile endorses fewer items
            q = (lo + hi) / 2.0
            trial = model.model_copy(update={"items": with_quantile(items, group, q)})
            overall, psycho = startback_scores(recalled, uniforms, trial)
            got = float(np.mean(psycho if group == PSYCHOSOCIAL_ITEMS else overall - psycho))
            lo, hi = (q, hi) if got > target else (lo, q)
        items = with_quantile(items, group, (lo + hi) / 2.0)
    return model.model_copy(update={"items": items})


def _fitting_cohort(n: int = 4000, seed: int = 2008) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64]]:
    """The recalled first week of the primary-care cohort, untreated, and the item uniforms."""
    from yotsu.model.cohorts import get_cohort
    from yotsu.model.simulate import simulate

    params = get_cohort("primary-care-chronic").draw(seed=seed, person_ids=np.arange(n))
    result = simulate(params, "none", days=7, seed=seed, series=list(DRIVERS))
    recalled = {k: np.asarray(result.series[k]).mean(axis=0) for k in DRIVERS}
    return recalled, np.random.default_rng(seed).random((9, n))


if __name__ == "__main__":  # pragma: no cover - the fit behind data/startback.yaml
    recalled, uniforms = _fitting_cohort()
    fitted = fit_thresholds(recalled, uniforms, startback_model(), 4.33, 2.17)
    for i in fitted.items:
        print(f"item {i.item}: threshold {i.threshold:.4g} (scale {i.scale:.4g})")
