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


@register_jitable(inline="always")
def mix64(x: Any) -> Any:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit hash."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


_LANE = np.uint64(0xFFFF)
_S16 = np.uint64(16)
_S32 = np.uint64(32)
_S48 = np.uint64(48)
_S11 = np.uint64(11)
_SQRT3 = 1.7320508075688772


@register_jitable(inline="always")
def day_hash(day: Any, stream: Any) -> Any:
    """The part of a draw's hash shared by every person on a day (hoisted out of the person loop)."""
    return mix64(day * _GOLDEN + stream * _STREAM)


@register_jitable(inline="always")
def standard_normal(key: Any, shared: Any) -> Any:
    """An approximately standard-normal draw: the sum of four 16-bit uniforms from one hash
    (Irwin-Hall, centred and scaled to variance 1; support +-3.46). Cheap, branch-free and
    vectorisable, which daily fluctuation needs more than exact normal tails."""
    h = mix64(key ^ shared)
    lanes = (h & _LANE) + ((h >> _S16) & _LANE) + ((h >> _S32) & _LANE) + (h >> _S48)
    return (np.float64(lanes) * (1.0 / 65536.0) + 2.0 / 65536.0 - 2.0) * _SQRT3


@register_jitable(inline="always")
def standard_uniform(key: Any, shared: Any) -> Any:
    """A uniform draw in (0, 1) from one hash (53 bits)."""
    h = mix64(key ^ shared)
    return (np.float64(h >> _S11) + 0.5) * (1.0 / 9007199254740992.0)


@register_jitable(inline="always")
def normal_pair(key: Any, day: Any) -> Any:
    """Two independent draws for (key, day): streams 1 and 2."""
    return standard_normal(key, day_hash(day, np.uint64(1))), standard_normal(key, day_hash(day, np.uint64(2)))


def person_keys(seed: int, person_ids: NDArray[np.int64]) -> NDArray[np.uint64]:
    """The noise key of each person: a pure function of (seed, person id)."""
    base = np.uint64(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0])
    with np.errstate(over="ignore"):
        keys: NDArray[np.uint64] = mix64(np.asarray(person_ids, dtype=np.uint64) * _GOLDEN + base)
    return keys


def person_draws(key: np.uint64, first_day: int, days: int) -> tuple[list[float], list[float], list[float]]:
    """One person's draws for ``days`` days from ``first_day`` as the kernel makes them: tissue and
    context normals (streams 1, 2) and the flare uniform (stream 3). NumPy form, for the reference."""
    day_index = (np.arange(first_day, first_day + days, dtype=np.int64)).astype(np.uint64)
    keys = np.full(days, key, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z1, z2 = normal_pair(keys, day_index)
        u3 = standard_uniform(keys, day_hash(day_index, np.uint64(3)))
    return z1.tolist(), z2.tolist(), u3.tolist()
