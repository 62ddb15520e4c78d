"""Cross-sectional case-control studies, defined as data (``data/studies/*.yaml``).

A study names a patient cohort and a control cohort; each person is brought to their steady state
by the warm-up (natural history, no care), and measured once on day 0 with the observation models
of :mod:`yotsu.model.observe` (two-point discrimination, left/right trunk judgement, repositioning
error, CSI). This is how the tactile-acuity, body-schema and proprioception papers behind
``targets.yaml`` were run (luomajoki2011, bray2011, tong2017, adamczyk2018).

Why not a trial spec: a trial in ``trials.py`` is one cohort randomised to arms that are plans, with
selection on a measured baseline and outcomes as change over follow-up weeks; a case-control study
has two cohorts, no plan and one measurement, so it would need every one of those parts switched off.

>>> r = run_study("body-map-case-control", n=64)
>>> r.group("tpd_mm", 0, "patients").mean > r.group("tpd_mm", 0, "controls").mean
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._datafiles import load_file, load_folder, lookup
from yotsu.model._draws import STREAM_OBSERVATION
from yotsu.model._warm import WarmCohort
from yotsu.model.cohorts import get_cohort, shipped_defaults
from yotsu.model.effects import Z95, GroupStats
from yotsu.model.observe import STATE_READ, ObservationModel, measure_all, observation_model
from yotsu.model.plans import get_plan
from yotsu.model.simulate import DEFAULT_WARMUP_DAYS

#: Controls are other persons than patients: their ids start here (a trial has at most 10^7).
CONTROL_ID_OFFSET = 10_000_000
#: Groups of a case-control result; patients are split by laterality for the left/right task.
GROUPS = ("patients", "controls", "patients-bilateral", "patients-unilateral")
RECORDED = (*STATE_READ, "pain", "threat_prior")


class StudyError(ValueError):
    """A study spec that cannot be read or run, or a result asked for what it does not hold."""


class StudySpec(BaseModel):
    """A cross-sectional case-control study as data; see the module docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    description: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    patients: str
    controls: str
    n: int = Field(2000, ge=2, le=1_000_000, description="persons per group")
    seed: int = Field(0, ge=0)
    warmup_days: int = Field(DEFAULT_WARMUP_DAYS, ge=0)

    @model_validator(mode="after")
    def _check(self) -> StudySpec:
        check_keys(self.evidence, f"study {self.name}")
        get_cohort(self.patients)
        get_cohort(self.controls)
        return self


@dataclass(frozen=True)
class StudyResult:
    """Per group, each person's state on the day of measurement and each measure."""

    spec: StudySpec
    seed: int
    state: dict[str, dict[str, NDArray[np.float64]]]
    measures: dict[str, dict[str, NDArray[Any]]]

    def values(self, outcome: str, group: str) -> NDArray[Any]:
        if group not in self.measures:
            raise StudyError(f"unknown group {group!r}; groups: {', '.join(self.measures)}")
        g = self.measures[group]
        if outcome in g:
            return g[outcome]
        if outcome in self.state[group]:
            return self.state[group][outcome]
        raise StudyError(f"unknown measure {outcome!r}; measures: {', '.join([*g, *self.state[group]])}")

    def group(self, outcome: str, week: int, arm: str) -> GroupStats:
        """Size, mean and SD of a measure in a group (the calibration's interface; week 0 only)."""
        if week != 0:
            raise StudyError(f"a cross-sectional study measures once (week 0), not week {week}")
        x = np.asarray(self.values(outcome, arm), dtype=np.float64)
        return GroupStats(int(x.size), float(x.mean()), float(x.std(ddof=1)) if x.size > 1 else math.nan)

    def shares(self, outcome: str, group: str, edges: Sequence[float]) -> list[tuple[float, tuple[float, float]]]:
        """Share of the group in each band ``[-inf, e0), [e0, e1), ..., [e_last, inf)`` with a 95% CI."""
        x = np.asarray(self.values(outcome, group), dtype=np.float64)
        band = np.searchsorted(np.asarray(edges, dtype=np.float64), x, side="right")
        counts = np.bincount(band, minlength=len(edges) + 1)
        out = []
        for c in counts:
            p = float(c) / x.size
            half = Z95 * math.sqrt(p * (1.0 - p) / x.size)
            out.append((p, (p - half, p + half)))
        return out

    def summary(self) -> list[dict[str, Any]]:
        """Mean, SD and quartiles of every measure in every group (the JSON rows)."""
        rows = []
        for group, measures in self.measures.items():
            for name, v in measures.items():
                x = np.asarray(v, dtype=np.float64)
                q = np.quantile(x, [0.25, 0.5, 0.75])
                rows.append(
                    {
                        "group": group, "measure": name, "n": int(x.size), "mean": float(x.mean()),
                        "sd": float(x.std(ddof=1)), "quartiles": [float(v) for v in q],
                    }
                )  # fmt: skip
        return rows

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.spec.model_dump(mode="json"), "seed": self.seed, "rows": self.summary()}


def _group_state(
    cohort: str, ids: NDArray[np.int64], seed: int, warmup_days: int, defaults: Mapping[str, float]
) -> dict[str, NDArray[np.float64]]:
    params = get_cohort(cohort).draw(seed=seed, person_ids=ids, defaults=defaults)
    warm = WarmCohort(params, ids, seed, warmup_days)
    _, series = warm.run(get_plan("none"), 1, [0], RECORDED)
    return {k: np.ascontiguousarray(v[0]) for k, v in series.items()}


def run_study(
    spec: StudySpec | str | Path,
    n: int | None = None,
    seed: int | None = None,
    *,
    defaults: Mapping[str, float] | None = None,
    observation: ObservationModel | None = None,
) -> StudyResult:
    """Run a case-control study: both cohorts warmed up, then measured once.

    Parameters
    ----------
    spec : a :class:`StudySpec`, a shipped study's name, or a path to a study YAML file.
    n : persons per group (default: the spec's).
    seed : seed of every draw (default: the spec's); the result is a pure function of it.
    defaults : values of the parameters the cohorts do not draw (default: the shipped ones).
    observation : the observation models (default: ``data/measurement.yaml``).
    """
    the_spec = get_study(spec)
    n = the_spec.n if n is None else n
    seed = the_spec.seed if seed is None else seed
    if n < 2:
        raise StudyError(f"a study needs at least 2 persons per group, got n = {n}")
    m = observation or observation_model()
    base = dict(defaults) if defaults is not None else shipped_defaults()
    ids = np.arange(n, dtype=np.int64)
    state = {
        "patients": _group_state(the_spec.patients, ids, seed, the_spec.warmup_days, base),
        "controls": _group_state(the_spec.controls, ids + CONTROL_ID_OFFSET, seed, the_spec.warmup_days, base),
    }
    measures: dict[str, dict[str, NDArray[Any]]] = {}
    for k, group in enumerate(("patients", "controls")):
        rng = np.random.default_rng(np.random.SeedSequence([seed, STREAM_OBSERVATION, k]))
        measures[group] = measure_all(state[group], rng, m)
    bilateral = state["patients"]["spread"] >= m["bilateral_spread"]
    for name, sel in (("patients-bilateral", bilateral), ("patients-unilateral", ~bilateral)):
        state[name] = {k: v[sel] for k, v in state["patients"].items()}
        measures[name] = {k: v[sel] for k, v in measures["patients"].items()}
    return StudyResult(the_spec, seed, state, measures)


def derive_observation_scales(
    n: int = 2000, seed: int = 7, defaults: Mapping[str, float] | None = None, study: str = "body-map-case-control"
) -> dict[str, float]:
    """The observation constants each model sets on its `set_on` target (``measurement.yaml``),
    from the model's state in ``study`` and the published numbers: the values to write there when
    the daily step changes. The published numbers are inputs here; the sibling targets check them."""
    from scipy.optimize import least_squares

    from yotsu.model.calibration import load_targets
    from yotsu.model.observe import csi_symptom_load, left_right_probability

    targets = load_targets()
    m = observation_model()
    r = run_study(study, n=n, seed=seed, defaults=defaults, observation=m)
    blur_c = 1.0 - r.state["controls"]["body_map_precision"]
    blur_p = 1.0 - r.state["patients"]["body_map_precision"]
    tpd = targets["tpd_absolute"]
    per_blur = (tpd["value_clbp"] - tpd["value_controls"]) / (blur_p.mean() - blur_c.mean())
    out = {
        "tpd_per_blur_mm": per_blur,
        "tpd_at_sharp_mm": tpd["value_controls"] - per_blur * blur_c.mean(),
        "tpd_noise_sd_mm": math.sqrt(max(tpd["sd_controls"] ** 2 - per_blur**2 * blur_c.var(ddof=1), 0.0)),
    }
    out["repositioning_noise_sd_deg"] = m["repositioning_per_blur_deg"] * out["tpd_noise_sd_mm"] / per_blur

    lr = targets["lr_trunk_accuracy"]["value"]  # bilateral, unilateral, controls
    b_uni = r.state["patients-unilateral"]["body_map_precision"]
    b_con = r.state["controls"]["body_map_precision"]

    def misfit(x: NDArray[np.float64]) -> list[float]:
        trial = m.replace(lr_sensitivity=float(x[0]), lr_precision_floor=float(x[1]))
        return [
            float(left_right_probability(b_con, trial).mean()) - lr[2],
            float(left_right_probability(b_uni, trial).mean()) - lr[1],
        ]

    fit = least_squares(misfit, [m["lr_sensitivity"], m["lr_precision_floor"]], bounds=([0.0, 0.0], [10.0, 0.9]))
    out["lr_sensitivity"], out["lr_precision_floor"] = float(fit.x[0]), float(fit.x[1])

    # The mean CSI of the published bands from their midpoints (the open ends as wide as their
    # neighbours: 20-30 and 60-70), the standard estimate of a mean from grouped data.
    shares = targets["csi_distribution"]["value"]
    mean_csi = sum(s * mid for s, mid in zip(shares, (25.0, 35.0, 45.0, 55.0, 65.0), strict=True))
    load = csi_symptom_load(
        r.state["patients"]["gain"], r.state["patients"]["distress"], r.state["patients"]["spread"], m
    )
    scale = (mean_csi - m["csi_at_rest"]) / float(load.mean())
    true_sd = scale * float(load.std(ddof=1))
    rel = m["csi_reliability"]
    out["csi_scale"] = scale
    out["csi_noise_sd"] = true_sd * math.sqrt((1.0 - rel) / rel)
    return {k: round(float(v), 3) for k, v in out.items()}


@cache
def named_studies() -> dict[str, StudySpec]:
    """The studies shipped with Yotsu, by name."""
    return load_folder("studies", StudySpec, "study", StudyError)


def load_study_file(path: str | Path) -> StudySpec:
    """Read and validate a study file; errors name the file and the field."""
    return load_file(path, StudySpec, "study", StudyError)


def get_study(spec: str | Path | StudySpec) -> StudySpec:
    """A study by name (shipped), by path to a YAML file, or as given."""
    if isinstance(spec, StudySpec):
        return spec
    return lookup(spec, named_studies(), StudySpec, "study", StudyError)
