"""Effect sizes the way trial reports and meta-analyses compute them.

Hedges' g with its large-sample variance (hedges1985): with pooled SD
``s = sqrt(((n1-1)s1² + (n2-1)s2²) / (n1+n2-2))``, ``d = (m1 - m2) / s``, small-sample correction
``J = 1 - 3 / (4(n1+n2) - 9)``, ``g = J·d`` and ``var(g) = (n1+n2)/(n1·n2) + g²/(2(n1+n2))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Z95 = 1.959963984540054


@dataclass(frozen=True)
class GroupStats:
    """Size, mean and SD (n - 1 denominator) of one arm."""

    n: int
    mean: float
    sd: float

    @classmethod
    def from_counts(cls, counts: NDArray[np.int64]) -> GroupStats:
        """From exact counts of the integer scores 0, 1, 2, ... (sums are exact integers).

        >>> GroupStats.from_counts(np.array([1, 0, 2]))
        GroupStats(n=3, mean=1.3333333333333333, sd=1.1547005383792515)
        """
        values = np.arange(counts.size)
        n = int(counts.sum())
        s1 = int((counts * values).sum())
        s2 = int((counts * values * values).sum())
        if n == 0:
            return cls(0, math.nan, math.nan)
        var = (n * s2 - s1 * s1) / (n * (n - 1)) if n > 1 else math.nan
        return cls(n, s1 / n, math.sqrt(var) if var == var else math.nan)


def mean_difference(a: GroupStats, ref: GroupStats) -> tuple[float, tuple[float, float]]:
    """``a.mean - ref.mean`` and its 95% CI (normal approximation, unequal variances)."""
    md = a.mean - ref.mean
    se = math.sqrt(a.sd**2 / a.n + ref.sd**2 / ref.n)
    return md, (md - Z95 * se, md + Z95 * se)


def hedges_g(a: GroupStats, ref: GroupStats) -> float:
    """Hedges' g of ``a`` against ``ref`` (negative when ``a`` scores lower); NaN without spread."""
    n1, n2 = a.n, ref.n
    pooled = math.sqrt(((n1 - 1) * a.sd**2 + (n2 - 1) * ref.sd**2) / (n1 + n2 - 2))
    if not pooled > 0:
        return math.nan
    j = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
    return j * (a.mean - ref.mean) / pooled


def hedges_g_ci(a: GroupStats, ref: GroupStats) -> tuple[float, tuple[float, float]]:
    """Hedges' g and its analytic 95% CI."""
    g = hedges_g(a, ref)
    n1, n2 = a.n, ref.n
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2.0 * (n1 + n2)))
    return g, (g - Z95 * se, g + Z95 * se)


def hedges_g_moments(
    n1: NDArray[np.float64],
    s1: NDArray[np.float64],
    q1: NDArray[np.float64],
    n2: NDArray[np.float64],
    s2: NDArray[np.float64],
    q2: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Hedges' g from (weighted) counts, sums and sums of squares; vectorised over replicates."""
    with np.errstate(divide="ignore", invalid="ignore"):
        m1, m2 = s1 / n1, s2 / n2
        v1 = (q1 - n1 * m1 * m1) / (n1 - 1)
        v2 = (q2 - n2 * m2 * m2) / (n2 - 1)
        pooled = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        j = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
        g: NDArray[np.float64] = np.where(pooled > 0, j * (m1 - m2) / pooled, np.nan)
    return g


def risk_ratio_ci(a: GroupStats, ref: GroupStats) -> tuple[float, tuple[float, float]]:
    """Risk ratio of two proportions (their means) with the log-scale 95% CI; NaN if undefined."""
    x1, x2 = a.mean * a.n, ref.mean * ref.n
    if not (x1 > 0 and x2 > 0):
        return math.nan, (math.nan, math.nan)
    rr = a.mean / ref.mean
    se = math.sqrt(1 / x1 - 1 / a.n + 1 / x2 - 1 / ref.n)
    return rr, (rr * math.exp(-Z95 * se), rr * math.exp(Z95 * se))


def percentile_ci(values: NDArray[np.float64]) -> tuple[float, float]:
    """2.5 and 97.5 percentiles of bootstrap replicates (NaN replicates are dropped)."""
    v = values[np.isfinite(values)]
    if v.size < 2:
        return math.nan, math.nan
    lo, hi = np.percentile(v, [2.5, 97.5])
    return float(lo), float(hi)
