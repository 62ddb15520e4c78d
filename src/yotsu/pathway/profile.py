"""Profile: a person's scores and tests turned into the model's person parameters, with uncertainty.

The mapping is data (``data/profile_mapping.yaml``): each mapping takes one input (an instrument
score, a single question, or the body-map estimate) to one parameter by a monotone piecewise-linear
curve, with an SD and its own evidence. Almost all of it is ``clinical_impression``: no study has
mapped a questionnaire onto a parameter of a danger-judgement model. Several inputs for one
parameter combine by precision weighting; a parameter no input informs keeps the model's default
(the population prior) with a population SD, and says so (``sources == ("population prior",)``).

Reported pain is then matched by the model itself: given everything else the profile sets,
``tissue_drive`` is solved so that the person's simulated steady pain equals the pain they report
(``fit_tissue_to_pain``), or set to the bottom or top of its range when the model cannot reach the
report. The mapping curve's value is then replaced; without a pain score, tissue input stays at the
population prior.

>>> p = build_profile({"csi_a.total": Measurement(value=55)})
>>> p.parameters["gain_init"].sources, p.parameters["tissue_drive"].sources
(('csi_a.total',), ('population prior',))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from itertools import pairwise

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.optimize import brentq

from yotsu.evidence import EvidenceLevel
from yotsu.i18n import LocalText
from yotsu.model import PersonParams, parameter_table
from yotsu.model.factors import steady_pain
from yotsu.pathway._common import Evidence, PathwayError, load_model, package_data
from yotsu.pathway.bodymap import BodyMapEstimate
from yotsu.pathway.instruments import InstrumentResult
from yotsu.pathway.pain_drawing import PainExtent

POPULATION_PRIOR = "population prior"
_LEVEL_ORDER = (EvidenceLevel.CLINICAL_IMPRESSION, EvidenceLevel.REPORTED, EvidenceLevel.ESTABLISHED)


class ProfileError(PathwayError, ValueError):
    """Inputs that cannot be turned into a profile."""

    template = "profile: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputSpec(_Frozen):
    name: LocalText
    range: tuple[float, float]


class ParameterPrior(_Frozen):
    population_sd: float = Field(gt=0)


class ParameterMapping(_Frozen):
    """One input to one parameter: a monotone piecewise-linear curve and the SD of the mapping."""

    parameter: str
    input: str
    points: tuple[tuple[float, float], ...] = Field(min_length=2)
    sd: float = Field(gt=0)
    evidence: Evidence

    @model_validator(mode="after")
    def _monotone(self) -> ParameterMapping:
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        if any(b <= a for a, b in pairwise(xs)):
            raise ValueError(f"{self.parameter} <- {self.input}: scores in `points` must increase")
        steps = [b - a for a, b in pairwise(ys)]
        if not (all(s >= 0 for s in steps) or all(s <= 0 for s in steps)):
            raise ValueError(f"{self.parameter} <- {self.input}: values must be monotone in the score")
        return self

    def value(self, score: float) -> float:
        xs, ys = zip(*self.points, strict=True)
        return float(np.interp(score, xs, ys))

    def slope(self, score: float, step: float = 1e-3) -> float:
        lo, hi = self.points[0][0], self.points[-1][0]
        a, b = max(lo, score - step), min(hi, score + step)
        return (self.value(b) - self.value(a)) / (b - a)


class ProfileMapping(_Frozen):
    """The whole mapping file, checked against the model's parameter table on load."""

    inputs: dict[str, InputSpec]
    parameters: dict[str, ParameterPrior]
    mappings: tuple[ParameterMapping, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ProfileMapping:
        table = parameter_table()
        unknown = sorted(set(self.parameters) - set(table))
        if unknown:
            raise ValueError(f"unknown model parameter(s): {', '.join(unknown)}")
        for m in self.mappings:
            if m.parameter not in self.parameters:
                raise ValueError(f"mapping to {m.parameter}: list it under `parameters` with its population SD")
            if m.input not in self.inputs:
                raise ValueError(f"mapping to {m.parameter}: unknown input {m.input!r}")
            lo, hi = self.inputs[m.input].range
            if (m.points[0][0], m.points[-1][0]) != (lo, hi):
                raise ValueError(f"{m.parameter} <- {m.input}: points must span the input range [{lo:g}, {hi:g}]")
            plo, phi = table[m.parameter].range
            if any(not plo <= y <= phi for _, y in m.points):
                raise ValueError(f"{m.parameter} <- {m.input}: values must lie in [{plo:g}, {phi:g}]")
        return self

    def for_parameter(self, name: str) -> tuple[ParameterMapping, ...]:
        return tuple(m for m in self.mappings if m.parameter == name)


@cache
def profile_mapping() -> ProfileMapping:
    """The shipped mapping (``data/profile_mapping.yaml``), validated on load."""
    return load_model(package_data("yotsu.pathway", "profile_mapping.yaml"), ProfileMapping)


class Measurement(_Frozen):
    """An input value; ``sd`` when the input itself is an estimate (the body-map precision)."""

    value: float
    sd: float | None = Field(default=None, gt=0)


class ParameterEstimate(_Frozen):
    """One parameter of this person: mean, SD, where it came from and how well that is supported."""

    name: str
    value: float
    sd: float
    sources: tuple[str, ...]
    evidence: Evidence | None = None  # None for the population prior (the parameter table's own tag)
    fitted_to_model: bool = False  # solved so the model reproduces the reported pain

    @property
    def from_population_prior(self) -> bool:
        return self.sources == (POPULATION_PRIOR,)

    def level(self) -> EvidenceLevel:
        if self.evidence is not None:
            return self.evidence.level
        return parameter_table()[self.name].level


class PersonProfile(_Frozen):
    """A person's model parameters: every mappable one, set from inputs or left at the population prior."""

    parameters: dict[str, ParameterEstimate]
    inputs: dict[str, Measurement]

    def values(self) -> dict[str, float]:
        """The central estimate of each mapped parameter."""
        return {k: p.value for k, p in self.parameters.items()}

    def params(self) -> PersonParams:
        """One person at the central estimates (every other parameter at its default)."""
        return PersonParams.from_values(self.values())

    def sample(self, n: int, rng: np.random.Generator) -> PersonParams:
        """``n`` persons drawn from the profile's parameter distribution (independent normals, each
        clipped to the parameter's plausible range)."""
        if n < 1:
            raise ProfileError(detail=f"n must be at least 1, not {n}")
        table = parameter_table()
        draws = {}
        for name, p in self.parameters.items():
            lo, hi = table[name].range
            draws[name] = np.clip(rng.normal(p.value, p.sd, size=n), lo, hi)
        return PersonParams.from_values(draws, n=n)

    def population_prior(self) -> tuple[str, ...]:
        return tuple(k for k, p in self.parameters.items() if p.from_population_prior)


def _weakest(levels: list[EvidenceLevel]) -> EvidenceLevel:
    return min(levels, key=_LEVEL_ORDER.index)


PAIN_INPUTS = ("nrs_pain.total", "peg3.total")


def fit_tissue_to_pain(values: Mapping[str, float], reported_pain: float, seed: int = 0) -> tuple[float, bool]:
    """The ``tissue_drive`` at which the model's steady pain (the mean of 8 weeks of natural history
    after the warm-up) equals ``reported_pain``, the other parameters as in ``values``, and whether
    it was reached. Pain rises with tissue input (claim 1), so the root is unique; when the rest of
    the profile alone explains more pain than reported the answer is the range's bottom, when even
    its top explains less, the top (both returned with ``False``)."""
    lo, hi = parameter_table()["tissue_drive"].range

    def gap(tissue: float) -> float:
        params = PersonParams.from_values({**values, "tissue_drive": tissue})
        return float(steady_pain(params, seed=seed)[0]) - reported_pain

    low, high = gap(lo), gap(hi)
    if low >= 0:
        return lo, low == 0
    if high <= 0:
        return hi, high == 0
    return float(brentq(gap, lo, hi, xtol=0.01)), True


def build_profile(
    inputs: Mapping[str, Measurement], mapping: ProfileMapping | None = None, fit_pain: bool = True
) -> PersonProfile:
    """Map ``inputs`` (input id -> :class:`Measurement`) to parameter estimates; see the module docstring."""
    mapping = mapping or profile_mapping()
    table = parameter_table()
    for key, given in inputs.items():
        if key not in mapping.inputs:
            raise ProfileError(detail=f"unknown input {key!r}; the inputs are: {', '.join(mapping.inputs)}")
        lo, hi = mapping.inputs[key].range
        if not lo <= given.value <= hi:
            raise ProfileError(detail=f"input {key} = {given.value:g} is outside its range [{lo:g}, {hi:g}]")
    out: dict[str, ParameterEstimate] = {}
    for name, prior in mapping.parameters.items():
        used = [m for m in mapping.for_parameter(name) if m.input in inputs]
        if not used:
            out[name] = ParameterEstimate(
                name=name, value=table[name].default, sd=prior.population_sd, sources=(POPULATION_PRIOR,)
            )
            continue
        means, variances = [], []
        for m in used:
            x = inputs[m.input]
            var = m.sd**2 + ((m.slope(x.value) * x.sd) ** 2 if x.sd is not None else 0.0)
            means.append(m.value(x.value))
            variances.append(var)
        weights = [1 / v for v in variances]
        mean = sum(w * v for w, v in zip(weights, means, strict=True)) / sum(weights)
        citations = tuple(dict.fromkeys(c for m in used for c in m.evidence.citations))
        out[name] = ParameterEstimate(
            name=name,
            value=mean,
            sd=math.sqrt(1 / sum(weights)),
            sources=tuple(m.input for m in used),
            evidence=Evidence(citations=citations, level=_weakest([m.evidence.level for m in used])),
        )
    pain = [inputs[k].value for k in PAIN_INPUTS if k in inputs]
    if fit_pain and pain:
        values = {k: p.value for k, p in out.items()}
        tissue, reached = fit_tissue_to_pain(values, pain[0])
        out["tissue_drive"] = out["tissue_drive"].model_copy(update={"value": tissue, "fitted_to_model": reached})
    return PersonProfile(parameters=out, inputs=dict(inputs))


def profile_inputs(
    results: Mapping[str, InstrumentResult] = {},  # read-only
    sleep_quality: float | None = None,
    life_pressure: float | None = None,
    body_map: BodyMapEstimate | None = None,
    mapping: ProfileMapping | None = None,
    pain_drawing: PainExtent | None = None,
) -> dict[str, Measurement]:
    """The profile inputs available from scored instruments, the two single questions, the body map
    and the pain drawing's extent."""
    mapping = mapping or profile_mapping()
    out: dict[str, Measurement] = {}
    for key in mapping.inputs:
        inst, _, score_id = key.partition(".")
        if inst in results and score_id in results[inst].scores:
            out[key] = Measurement(value=results[inst].scores[score_id].value)
    if sleep_quality is not None:
        out["sleep_quality"] = Measurement(value=sleep_quality)
    if life_pressure is not None:
        out["life_pressure"] = Measurement(value=life_pressure)
    if body_map is not None:
        out["body_map.precision"] = Measurement(value=body_map.mean, sd=body_map.sd)
    if pain_drawing is not None:
        out["pain_drawing.body_share"] = Measurement(value=pain_drawing.body_share)
    return out


__all__ = [
    "POPULATION_PRIOR",
    "Measurement",
    "ParameterEstimate",
    "PersonProfile",
    "ProfileError",
    "ProfileMapping",
    "build_profile",
    "fit_tissue_to_pain",
    "profile_inputs",
    "profile_mapping",
]
