"""Counter-based random numbers: each person's draw for a day depends only on (key, day, stream).

This is what makes results independent of how persons are grouped: n persons simulated together
equal the same persons one by one, and a cohort split across Dask workers equals one process.
Person keys come from the caller's seed through ``numpy.random.SeedSequence`` (``person_keys``).
The functions work on NumPy uint64 arrays and, compiled by Numba, on scalars.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba.extending import register_jitable
from numpy.typing import NDArray

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_STREAM = np.uint64(0xD1B54A32D192ED03)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@register_jitable(inline="always")
def mix64(x: Any) -> Any:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit hash."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@register_jitable(inline="always")
def uniform(key: Any, day: Any, stream: Any) -> Any:
    """A uniform draw in (0, 1) for (key, day, stream)."""
    h = mix64(key ^ mix64(day * _GOLDEN + stream * _STREAM))
    return np.float64(h >> _S11) * _TO_UNIT + 0.5 * _TO_UNIT


def person_keys(seed: int, person_ids: NDArray[np.int64]) -> NDArray[np.uint64]:
    """The noise key of each person: a pure function of (seed, person id)."""
    base = np.uint64(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0])
    with np.errstate(over="ignore"):
        keys: NDArray[np.uint64] = mix64(np.asarray(person_ids, dtype=np.uint64) * _GOLDEN + base)
    return keys


@register_jitable(inline="always")
def normal_pair(key: Any, day: Any) -> Any:
    """Two independent standard normals for (key, day), by Box-Muller."""
    u1 = uniform(key, day, np.uint64(1))
    u2 = uniform(key, day, np.uint64(2))
    r = np.sqrt(-2.0 * np.log(u1))
    return r * np.cos(2.0 * np.pi * u2), r * np.sin(2.0 * np.pi * u2)


def person_normals(key: np.uint64, first_day: int, days: int) -> tuple[list[float], list[float]]:
    """``normal_pair`` of one person for ``days`` days from ``first_day`` (NumPy form, for the reference)."""
    day_index = (np.arange(first_day, first_day + days, dtype=np.int64)).astype(np.uint64)
    with np.errstate(over="ignore"):
        z1, z2 = normal_pair(np.full(days, key, dtype=np.uint64), day_index)
    return z1.tolist(), z2.tolist()
