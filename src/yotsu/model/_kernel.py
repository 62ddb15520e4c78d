"""The compiled kernel: ``_step.step`` run over blocks of persons, days outer and persons inner.

Design from PERFORMANCE.md: each block's state stays in cache for all days; blocks run in
parallel on all cores. Nothing here restates the equations; it only moves numbers in and out.
The ``_load_*`` functions spell out every field because building a tuple from an array row any
other way is 10x slower in Numba; ``tests/model/test_kernel.py`` checks each against the fields.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba
import numpy as np
from numpy.typing import NDArray

from yotsu.model._noise import normal_pair
from yotsu.model._step import DayInput, Derived, Outputs, Params, State, derive, initial_state, step

__all__ = ["N_INPUTS", "N_STATES", "SERIES", "DayInput", "run_kernel"]

N_PARAMS = len(Params._fields)
N_STATES = len(State._fields)
N_DERIVED = len(Derived._fields)
N_INPUTS = len(DayInput._fields)
N_OUTPUTS = len(Outputs._fields)
SERIES = State._fields + Outputs._fields
BLOCK = 256


def _cache_dir() -> str:
    """Numba's on-disk cache only notices changes to the file that holds the jitted function, not
    to ``_step.py`` or ``_noise.py`` that it inlines; keying the cache folder by the hash of all
    three keeps a stale kernel from ever running."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("_step.py", "_noise.py", "_kernel.py"):
        digest.update((here / name).read_bytes())
    root = os.environ.get("YOTSU_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "yotsu"
    )
    return os.path.join(root, "numba", digest.hexdigest()[:16])


_previous_cache_dir = numba.config.CACHE_DIR  # type: ignore[attr-defined]
numba.config.CACHE_DIR = _cache_dir()  # type: ignore[attr-defined]


@numba.njit(inline="always", cache=True)
def _load_params(P: NDArray[np.float64], i: int) -> Params:  # pragma: no cover
    return Params(
        P[i, 0],
        P[i, 1],
        P[i, 2],
        P[i, 3],
        P[i, 4],
        P[i, 5],
        P[i, 6],
        P[i, 7],
        P[i, 8],
        P[i, 9],
        P[i, 10],
        P[i, 11],
        P[i, 12],
        P[i, 13],
        P[i, 14],
        P[i, 15],
        P[i, 16],
        P[i, 17],
        P[i, 18],
        P[i, 19],
        P[i, 20],
        P[i, 21],
        P[i, 22],
        P[i, 23],
        P[i, 24],
        P[i, 25],
        P[i, 26],
        P[i, 27],
        P[i, 28],
        P[i, 29],
        P[i, 30],
        P[i, 31],
        P[i, 32],
        P[i, 33],
        P[i, 34],
        P[i, 35],
        P[i, 36],
        P[i, 37],
        P[i, 38],
        P[i, 39],
        P[i, 40],
        P[i, 41],
        P[i, 42],
        P[i, 43],
        P[i, 44],
        P[i, 45],
        P[i, 46],
        P[i, 47],
        P[i, 48],
        P[i, 49],
        P[i, 50],
        P[i, 51],
        P[i, 52],
    )


@numba.njit(inline="always", cache=True)
def _load_state(S: NDArray[np.float64], i: int) -> State:  # pragma: no cover
    return State(
        S[i, 0],
        S[i, 1],
        S[i, 2],
        S[i, 3],
        S[i, 4],
        S[i, 5],
        S[i, 6],
        S[i, 7],
        S[i, 8],
        S[i, 9],
        S[i, 10],
        S[i, 11],
        S[i, 12],
    )


@numba.njit(inline="always", cache=True)
def _load_derived(D: NDArray[np.float64], i: int) -> Derived:  # pragma: no cover
    return Derived(
        D[i, 0],
        D[i, 1],
        D[i, 2],
        D[i, 3],
        D[i, 4],
        D[i, 5],
    )


@numba.njit(inline="always", cache=True)
def _load_input(inputs: NDArray[np.float64], t: int) -> DayInput:  # pragma: no cover
    return DayInput(
        inputs[t, 0],
        inputs[t, 1],
        inputs[t, 2],
        inputs[t, 3],
        inputs[t, 4],
        inputs[t, 5],
        inputs[t, 6],
        inputs[t, 7],
        inputs[t, 8],
        inputs[t, 9],
    )


@numba.njit(parallel=True, cache=True, fastmath=True)
def run_kernel(
    P: NDArray[np.float64],  # (n, N_PARAMS)
    S: NDArray[np.float64],  # (n, N_STATES), updated in place
    keys: NDArray[np.uint64],  # (n,)
    inputs: NDArray[np.float64],  # (T, N_INPUTS)
    first_day: int,  # noise day index of inputs[0]
    rec_row: NDArray[np.int64],  # (T,): output row for the day, or -1
    series: NDArray[np.int64],  # indices into SERIES to record
    out: NDArray[np.float64],  # (rows, len(series), n)
    init: bool,  # start from initial_state(params) instead of S
) -> None:  # pragma: no cover - compiled; equality with the reference is tested
    n = P.shape[0]
    T = inputs.shape[0]
    nser = series.shape[0]
    nblocks = (n + BLOCK - 1) // BLOCK
    for b in numba.prange(nblocks):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        D = np.empty((hi - lo, N_DERIVED))
        for i in range(lo, hi):
            p = _load_params(P, i)
            d = derive(p)
            for k in range(N_DERIVED):
                D[i - lo, k] = d[k]
            if init:
                s0 = initial_state(p)
                for k in range(N_STATES):
                    S[i, k] = s0[k]
        for t in range(T):
            u = _load_input(inputs, t)
            day = np.uint64(first_day + t)
            row = rec_row[t]
            for i in range(lo, hi):
                z_tissue, z_context = normal_pair(keys[i], day)
                s_next, o = step(
                    _load_state(S, i), _load_params(P, i), _load_derived(D, i - lo), u, z_tissue, z_context
                )
                for k in range(N_STATES):
                    S[i, k] = s_next[k]
                if row >= 0:
                    for j in range(nser):
                        k = series[j]
                        out[row, j, i] = s_next[k] if k < N_STATES else o[k - N_STATES]


numba.config.CACHE_DIR = _previous_cache_dir  # type: ignore[attr-defined]
