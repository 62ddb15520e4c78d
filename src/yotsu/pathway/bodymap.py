"""Body-map tests and their translation into an estimate of body-map precision (article 3-1, 5).

Each test result becomes a precision on a 0-1 scale (1 = like healthy controls, lower = blurred map)
with an uncertainty; several tests combine by precision weighting (inverse-variance mean). The
published norms come from ``shared/evidence/targets.yaml``; the *mapping* from a test to precision is
Yotsu's own and tagged ``clinical_impression``:

- left/right trunk judgement: accuracy above chance (0.5) relative to controls' 0.87 (bray2011).
  Median response time is recorded but not used: bray2011 found no group difference in it.
- two-point discrimination: a discrimination threshold scales with the SD of localisation noise, and
  precision is inverse variance, so precision = (control threshold / threshold)^2, at most 1;
  control threshold 44 mm (luomajoki2011); patients average 61 mm, so about 0.52.
- active repositioning error: the same noise argument, precision = (control error / error)^2. tong2017
  gives only a standardised difference (SMD 0.97), no absolute control value, so the control error is a
  clinic-replaceable default (``RepositioningNorm``) tagged clinical_impression.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from yotsu.evidence import EvidenceLevel
from yotsu.pathway._common import Evidence, PathwayError

_MAPPING = Evidence(citations=("moseley2008", "tabor2017"), level=EvidenceLevel.CLINICAL_IMPRESSION)


class BodyMapError(PathwayError, ValueError):
    """Body-map test input that cannot be turned into an estimate."""

    template = "body-map estimate: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class LeftRightTrunkJudgement(_Frozen):
    """Left/right judgement of trunk-rotation images: share correct and median response time."""

    accuracy: float = Field(ge=0, le=1)
    median_rt_ms: float = Field(gt=0)
    n_trials: int = Field(ge=10)


class TwoPointDiscrimination(_Frozen):
    """Lumbar two-point discrimination threshold; ``measurement_sd_mm`` is the uncertainty of one
    threshold (default: controls' between-person SD, 10 mm, luomajoki2011, a conservative choice)."""

    tpd_mm: float = Field(gt=0, le=200)
    measurement_sd_mm: float = Field(default=10.0, gt=0)


class RepositioningError(_Frozen):
    """Mean absolute active lumbar repositioning error in sitting, degrees."""

    error_deg: float = Field(gt=0, le=45)
    measurement_sd_deg: float = Field(default=1.5, gt=0)


class RepositioningNorm(_Frozen):
    """Control value for repositioning error; the default is a placeholder pending a protocol-matched
    norm (tong2017 reports only SMD 0.97 patients minus controls)."""

    control_error_deg: float = Field(default=3.0, gt=0)
    control_sd_deg: float = Field(default=1.5, gt=0)
    evidence: Evidence = Evidence(citations=("tong2017",), level=EvidenceLevel.CLINICAL_IMPRESSION)


class Norms(_Frozen):
    """Published norms (targets.yaml) the mapping is anchored on."""

    lr_control_accuracy: float = 0.87  # bray2011, controls
    lr_chance_accuracy: float = 0.5
    tpd_control_mm: float = 44.0  # luomajoki2011, controls (SD 10)
    repositioning: RepositioningNorm = RepositioningNorm()
    evidence: Evidence = Evidence(
        citations=("bray2011", "luomajoki2011", "adamczyk2018", "tong2017"), level=EvidenceLevel.REPORTED
    )


NORMS = Norms()


class PrecisionEstimate(_Frozen):
    """Body-map precision, 0 (no usable map) to 1 (like healthy controls), with its SD."""

    test: str
    mean: float = Field(ge=0, le=1)
    sd: float = Field(gt=0)
    evidence: Evidence = _MAPPING


class BodyMapEstimate(_Frozen):
    """The combined estimate and the per-test estimates it came from."""

    mean: float = Field(ge=0, le=1)
    sd: float = Field(gt=0)
    components: tuple[PrecisionEstimate, ...]
    evidence: Evidence = _MAPPING


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def precision_from_left_right(result: LeftRightTrunkJudgement, norms: Norms = NORMS) -> PrecisionEstimate:
    """Accuracy above chance relative to controls; SD from the binomial error of the accuracy.

    >>> precision_from_left_right(LeftRightTrunkJudgement(accuracy=0.87, median_rt_ms=1500, n_trials=40)).mean
    1.0
    """
    span = norms.lr_control_accuracy - norms.lr_chance_accuracy
    p = min(max(result.accuracy, 0.5 / result.n_trials), 1 - 0.5 / result.n_trials)
    se = math.sqrt(p * (1 - p) / result.n_trials)
    return PrecisionEstimate(
        test="left_right_trunk",
        mean=_clip((result.accuracy - norms.lr_chance_accuracy) / span),
        sd=se / span,
    )


def _noise_ratio(test: str, value: float, control: float, sd: float) -> PrecisionEstimate:
    mean = min(1.0, (control / value) ** 2)
    # delta method on (control / x)^2: derivative 2 control^2 / x^3; below the control value the mean is
    # capped at 1 but the measurement is no less noisy, so the slope at the control value is kept
    slope = 2 * control**2 / value**3 if value > control else 2 / control
    return PrecisionEstimate(test=test, mean=mean, sd=max(slope * sd, 1e-6))


def precision_from_tpd(result: TwoPointDiscrimination, norms: Norms = NORMS) -> PrecisionEstimate:
    """(control threshold / threshold)^2, at most 1; SD by the delta method."""
    return _noise_ratio("two_point_discrimination", result.tpd_mm, norms.tpd_control_mm, result.measurement_sd_mm)


def precision_from_repositioning(result: RepositioningError, norms: Norms = NORMS) -> PrecisionEstimate:
    """(control error / error)^2, at most 1; SD by the delta method."""
    control = norms.repositioning.control_error_deg
    return _noise_ratio("repositioning", result.error_deg, control, result.measurement_sd_deg)


Result = LeftRightTrunkJudgement | TwoPointDiscrimination | RepositioningError


def estimate_body_map_precision(results: Sequence[Result], norms: Norms = NORMS) -> BodyMapEstimate:
    """Combine test results by precision weighting: mean = sum(w m) / sum(w), sd = sqrt(1 / sum(w)),
    with w = 1 / sd^2 of each test's estimate."""
    if not results:
        raise BodyMapError(detail="no test results given; the population prior stays in place")
    parts = []
    for r in results:
        if isinstance(r, LeftRightTrunkJudgement):
            parts.append(precision_from_left_right(r, norms))
        elif isinstance(r, TwoPointDiscrimination):
            parts.append(precision_from_tpd(r, norms))
        else:
            parts.append(precision_from_repositioning(r, norms))
    weights = [1 / p.sd**2 for p in parts]
    mean = sum(w * p.mean for w, p in zip(weights, parts, strict=True)) / sum(weights)
    return BodyMapEstimate(mean=_clip(mean), sd=math.sqrt(1 / sum(weights)), components=tuple(parts))
