"""Observation models: what a study measures from the model's state (issue 10 item 4).

The daily step keeps a person's body-map precision ``B`` (0..1, 1 = sharp), central ``gain``,
``distress`` and ``spread``; a study does not see them, it measures a two-point discrimination
threshold in millimetres, left/right judgements of trunk rotation, a repositioning error in degrees
and a Central Sensitization Inventory score. Each function here is one such test: a read-out of the
state plus its own noise, vectorised over persons, every random draw from the caller's
``numpy.random.Generator``. Its coefficients are named parameters in ``data/measurement.yaml``
(section ``observation``), each with a default, range, unit, meaning, evidence and level, and with
the public target that set it and the sibling target that checks it.

>>> rng = np.random.default_rng(0)
>>> tpd = two_point_discrimination_mm(np.array([0.9, 0.3]), rng)
>>> bool(tpd[1] > tpd[0])
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, model_validator
from scipy.special import ndtr

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText

#: The sections of ``measurement.yaml``'s ``observation`` block, one per test.
TESTS = ("two_point_discrimination", "left_right_judgement", "repositioning", "csi")
CSI_MAX = 100  # CSI part A: 25 items scored 0-4 (mayer2012)


class ObservationError(ValueError):
    """An observation model or a state it cannot read."""


class ObservationParam(BaseModel):
    """One coefficient of an observation model (the same description as a model parameter)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    default: float
    range: tuple[float, float]
    unit: str
    meaning: LocalText
    evidence: tuple[str, ...]
    level: EvidenceLevel
    set_on: str | None = None  # the public target whose published numbers set the default
    checked_by: str | None = None  # the sibling target that checks it

    @model_validator(mode="after")
    def _consistent(self) -> ObservationParam:
        lo, hi = self.range
        if not lo <= self.default <= hi:
            raise ValueError(f"{self.name}: default {self.default} is outside its range [{lo}, {hi}]")
        if not self.evidence:
            raise ValueError(f"{self.name}: names no evidence")
        return self


@dataclass(frozen=True)
class ObservationModel:
    """Every coefficient of every test, by test and name (``data/measurement.yaml``)."""

    tests: Mapping[str, Mapping[str, ObservationParam]]

    def __getitem__(self, name: str) -> float:
        for params in self.tests.values():
            if name in params:
                return params[name].default
        raise ObservationError(f"unknown observation parameter {name!r}")

    def table(self) -> dict[str, ObservationParam]:
        return {name: p for params in self.tests.values() for name, p in params.items()}

    def replace(self, **values: float) -> ObservationModel:
        """A copy with some defaults changed (each checked against its range)."""
        table = self.table()
        unknown = sorted(set(values) - set(table))
        if unknown:
            raise ObservationError(f"unknown observation parameter(s): {', '.join(unknown)}")
        out: dict[str, dict[str, ObservationParam]] = {}
        for test, params in self.tests.items():
            out[test] = {}
            for name, p in params.items():
                try:
                    out[test][name] = p if name not in values else p.model_copy(update={"default": values[name]})
                    ObservationParam.model_validate(out[test][name].model_dump())
                except ValueError as exc:
                    raise ObservationError(str(exc)) from None
        return ObservationModel(out)


@cache
def observation_model() -> ObservationModel:
    """The shipped observation models (``data/measurement.yaml``, section ``observation``)."""
    raw = load_yaml(resources.files("yotsu.model") / "data" / "measurement.yaml")["observation"]
    if tuple(raw) != TESTS:
        raise ObservationError(f"measurement.yaml: observation sections must be {', '.join(TESTS)}")
    tests: dict[str, dict[str, ObservationParam]] = {}
    for test, rows in raw.items():
        tests[test] = {name: ObservationParam(name=name, **row) for name, row in rows.items()}
        for p in tests[test].values():
            check_keys(p.evidence, f"observation parameter {p.name}")
    return ObservationModel(tests)


def _model(m: ObservationModel | None) -> ObservationModel:
    return m if m is not None else observation_model()


def _unit(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = np.asarray(x, dtype=np.float64)
    if a.size and not (np.all(np.isfinite(a)) and a.min() >= 0.0 and a.max() <= 1.0):
        raise ObservationError(f"{name} must lie in 0..1")
    return a


def two_point_discrimination_mm(
    body_map_precision: ArrayLike, rng: np.random.Generator, m: ObservationModel | None = None
) -> NDArray[np.float64]:
    """Lumbar two-point discrimination threshold (mm): wider as the map blurs (luomajoki2011, moseley2008)."""
    m = _model(m)
    b = _unit(body_map_precision, "body_map_precision")
    tpd = m["tpd_at_sharp_mm"] + m["tpd_per_blur_mm"] * (1.0 - b) + m["tpd_noise_sd_mm"] * rng.standard_normal(b.shape)
    return np.maximum(tpd, m["tpd_min_mm"])


def left_right_probability(body_map_precision: ArrayLike, m: ObservationModel | None = None) -> NDArray[np.float64]:
    """Chance of judging one trunk-rotation image correctly: an unbiased yes/no observer,
    ``Phi(d'/2)``, whose sensitivity ``d'`` grows with the map's precision above a floor (bray2011)."""
    m = _model(m)
    b = _unit(body_map_precision, "body_map_precision")
    d_prime = m["lr_sensitivity"] * np.maximum(b - m["lr_precision_floor"], 0.0)
    p: NDArray[np.float64] = ndtr(d_prime / 2.0)
    return p


def left_right_judgement(
    body_map_precision: ArrayLike, rng: np.random.Generator, m: ObservationModel | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Left/right trunk judgement: (accuracy 0..1 over ``lr_trials`` images, median response time in s)."""
    m = _model(m)
    b = _unit(body_map_precision, "body_map_precision")
    trials = int(m["lr_trials"])
    correct = rng.binomial(trials, left_right_probability(b, m))
    time_s = (m["lr_time_at_sharp_s"] + m["lr_time_per_blur_s"] * (1.0 - b)) * np.exp(
        m["lr_time_sd_log"] * rng.standard_normal(b.shape)
    )
    return correct / trials, time_s


def repositioning_error_deg(
    body_map_precision: ArrayLike, rng: np.random.Generator, m: ObservationModel | None = None
) -> NDArray[np.float64]:
    """Active lumbar repositioning error in sitting (degrees, 0 or more): larger as the map blurs (tong2017)."""
    m = _model(m)
    b = _unit(body_map_precision, "body_map_precision")
    err = (
        m["repositioning_at_sharp_deg"]
        + m["repositioning_per_blur_deg"] * (1.0 - b)
        + m["repositioning_noise_sd_deg"] * rng.standard_normal(b.shape)
    )
    return np.maximum(err, 0.0)


def csi_symptom_load(
    gain: ArrayLike, distress: ArrayLike, spread: ArrayLike, m: ObservationModel | None = None
) -> NDArray[np.float64]:
    """The weighted symptom load the CSI reads: distress and widespread symptoms most, gain less (mayer2012)."""
    m = _model(m)
    g = np.asarray(gain, dtype=np.float64)
    if g.size and not (np.all(np.isfinite(g)) and g.min() >= 1.0):
        raise ObservationError("gain must be 1 or more")
    load: NDArray[np.float64] = (
        m["csi_weight_distress"] * _unit(distress, "distress")
        + m["csi_weight_spread"] * _unit(spread, "spread")
        + m["csi_weight_gain"] * (g - 1.0)
    )
    return load


def csi_score(
    gain: ArrayLike,
    distress: ArrayLike,
    spread: ArrayLike,
    rng: np.random.Generator,
    m: ObservationModel | None = None,
) -> NDArray[np.int64]:
    """Central Sensitization Inventory part A: an integer 0-100 (mayer2012)."""
    m = _model(m)
    load = csi_symptom_load(gain, distress, spread, m)
    raw = m["csi_at_rest"] + m["csi_scale"] * load + m["csi_noise_sd"] * rng.standard_normal(load.shape)
    score: NDArray[np.int64] = np.rint(np.clip(raw, 0.0, CSI_MAX)).astype(np.int64)
    return score


#: The state a study's tests read, and what each test returns.
STATE_READ = ("body_map_precision", "gain", "distress", "spread")
MEASURES = ("tpd_mm", "lr_accuracy", "lr_time_s", "repositioning_deg", "csi")


def measure_all(
    state: Mapping[str, ArrayLike], rng: np.random.Generator, m: ObservationModel | None = None
) -> dict[str, NDArray[Any]]:
    """Every test on persons whose state is ``state`` (arrays of one shape), in a fixed draw order."""
    missing = [k for k in STATE_READ if k not in state]
    if missing:
        raise ObservationError(f"the state lacks {', '.join(missing)}")
    b = state["body_map_precision"]
    tpd = two_point_discrimination_mm(b, rng, m)
    acc, time_s = left_right_judgement(b, rng, m)
    rep = repositioning_error_deg(b, rng, m)
    csi = csi_score(state["gain"], state["distress"], state["spread"], rng, m)
    return {"tpd_mm": tpd, "lr_accuracy": acc, "lr_time_s": time_s, "repositioning_deg": rep, "csi": csi}
