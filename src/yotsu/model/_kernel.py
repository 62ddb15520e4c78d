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

from yotsu.model._noise import day_hash, standard_normal, standard_uniform
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
def _store_state(S: NDArray[np.float64], i: int, value: State) -> None:  # pragma: no cover
    S[0, i] = value[0]
    S[1, i] = value[1]
    S[2, i] = value[2]
    S[3, i] = value[3]
    S[4, i] = value[4]
    S[5, i] = value[5]
    S[6, i] = value[6]
    S[7, i] = value[7]
    S[8, i] = value[8]
    S[9, i] = value[9]
    S[10, i] = value[10]
    S[11, i] = value[11]
    S[12, i] = value[12]
    S[13, i] = value[13]


@numba.njit(inline="always", cache=True)
def _store_outputs(B: NDArray[np.float64], i: int, value: Outputs) -> None:  # pragma: no cover
    B[14, i] = value[0]
    B[15, i] = value[1]
    B[16, i] = value[2]
    B[17, i] = value[3]
    B[18, i] = value[4]
    B[19, i] = value[5]
    B[20, i] = value[6]


@numba.njit(inline="always", cache=True)
def _load_params(P: NDArray[np.float64], i: int) -> Params:  # pragma: no cover
    return Params(
        P[0, i],
        P[1, i],
        P[2, i],
        P[3, i],
        P[4, i],
        P[5, i],
        P[6, i],
        P[7, i],
        P[8, i],
        P[9, i],
        P[10, i],
        P[11, i],
        P[12, i],
        P[13, i],
        P[14, i],
        P[15, i],
        P[16, i],
        P[17, i],
        P[18, i],
        P[19, i],
        P[20, i],
        P[21, i],
        P[22, i],
        P[23, i],
        P[24, i],
        P[25, i],
        P[26, i],
        P[27, i],
        P[28, i],
        P[29, i],
        P[30, i],
        P[31, i],
        P[32, i],
        P[33, i],
        P[34, i],
        P[35, i],
        P[36, i],
        P[37, i],
        P[38, i],
        P[39, i],
        P[40, i],
        P[41, i],
        P[42, i],
        P[43, i],
        P[44, i],
        P[45, i],
        P[46, i],
        P[47, i],
        P[48, i],
        P[49, i],
        P[50, i],
        P[51, i],
        P[52, i],
        P[53, i],
        P[54, i],
        P[55, i],
        P[56, i],
    )


@numba.njit(inline="always", cache=True)
def _load_state(S: NDArray[np.float64], i: int) -> State:  # pragma: no cover
    return State(
        S[0, i],
        S[1, i],
        S[2, i],
        S[3, i],
        S[4, i],
        S[5, i],
        S[6, i],
        S[7, i],
        S[8, i],
        S[9, i],
        S[10, i],
        S[11, i],
        S[12, i],
        S[13, i],
    )


@numba.njit(inline="always", cache=True)
def _load_derived(D: NDArray[np.float64], i: int) -> Derived:  # pragma: no cover
    return Derived(
        D[0, i],
        D[1, i],
        D[2, i],
        D[3, i],
        D[4, i],
        D[5, i],
        D[6, i],
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
        inputs[t, 10],
        inputs[t, 11],
    )


@numba.njit(parallel=True, cache=True, fastmath=True, error_model="numpy")
def run_kernel(
    P: NDArray[np.float64],  # (N_PARAMS, n): one row per parameter, persons contiguous
    S: NDArray[np.float64],  # (N_STATES, n), updated in place
    keys: NDArray[np.uint64],  # (n,)
    inputs: NDArray[np.float64],  # (T, N_INPUTS)
    first_day: int,  # noise day index of inputs[0]
    rec_row: NDArray[np.int64],  # (T,): output row for the day, or -1
    series: NDArray[np.int64],  # indices into SERIES to record
    out: NDArray[np.float64],  # (rows, len(series), n)
    init: bool,  # start from initial_state(params) instead of S
) -> None:  # pragma: no cover - compiled; equality with the reference is tested
    n = P.shape[1]
    T = inputs.shape[0]
    nser = series.shape[0]
    nblocks = (n + BLOCK - 1) // BLOCK
    for b in numba.prange(nblocks):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        D = np.empty((N_DERIVED, hi - lo))
        for i in range(lo, hi):
            p = _load_params(P, i)
            d = derive(p)
            for k in range(N_DERIVED):
                D[k, i - lo] = d[k]
            if init:
                s0 = initial_state(p)
                for k in range(N_STATES):
                    S[k, i] = s0[k]
        B = np.empty((N_STATES + N_OUTPUTS, hi - lo))  # the day's values, when the day is recorded
        for t in range(T):
            u = _load_input(inputs, t)
            day = np.uint64(first_day + t)
            shared_tissue = day_hash(day, np.uint64(1))
            shared_context = day_hash(day, np.uint64(2))
            shared_flare = day_hash(day, np.uint64(3))
            row = rec_row[t]
            for i in range(lo, hi):
                z_tissue = standard_normal(keys[i], shared_tissue)
                z_context = standard_normal(keys[i], shared_context)
                u_flare = standard_uniform(keys[i], shared_flare)
                s_next, o = step(
                    _load_state(S, i), _load_params(P, i), _load_derived(D, i - lo), u, z_tissue, z_context, u_flare
                )
                _store_state(S, i, s_next)
                if row >= 0:
                    _store_state(B, i - lo, s_next)
                    _store_outputs(B, i - lo, o)
            if row >= 0:
                for j in range(nser):
                    out[row, j, lo:hi] = B[series[j]]


numba.config.CACHE_DIR = _previous_cache_dir  # type: ignore[attr-defined]
