"""The compiled kernel: ``_step.step`` run over blocks of persons, days outer and persons inner.

Design from PERFORMANCE.md: each block's state stays in cache for all days; blocks run in
parallel on all cores. Nothing here restates the equations; it only moves numbers in and out.

Why the block-local copy: indexing the caller's 2-D arrays with row strides known only at run time
keeps LLVM from proving that the state stores do not alias the parameter loads, so the persons
loop did not vectorise (0 packed instructions). Each block is copied into flat arrays whose row
length ``ROW`` is a module constant, every field at a literal offset, so the loop over the
``BLOCK`` persons is a plain SIMD loop (issue 15: 4x). ``ROW`` is ``BLOCK + 8``, off a power of two,
so rows of the same block do not fall into the same cache sets. A short last block is padded with
copies of its last person, whose results are thrown away.

The loaders and stores are generated from the NamedTuples' fields (``_generate``), so they follow
``_step.py`` when its tuples gain or lose fields; building a tuple from an array row any other way is
10x slower in Numba.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

from yotsu.model._noise import day_hash, standard_normal, standard_uniform
from yotsu.model._step import DayInput, Derived, Outputs, Params, State, derive, initial_state, step

__all__ = ["BLOCK", "N_INPUTS", "N_STATES", "ROW", "SERIES", "DayInput", "run_kernel"]

N_PARAMS = len(Params._fields)
N_STATES = len(State._fields)
N_DERIVED = len(Derived._fields)
N_INPUTS = len(DayInput._fields)
N_OUTPUTS = len(Outputs._fields)
SERIES = State._fields + Outputs._fields
BLOCK = 128  # persons a block-local loop runs over (a multiple of the SIMD width)
ROW = BLOCK + 8  # stride of a block-local row: a compile-time constant, off a power of two
# Inputs that only massage reads; a day on which all are zero runs a loop compiled with literal zeros
# for them (the compiler folds the massage terms away: +10-15%). Same numbers, as 0.0 is 0.0.
MASSAGE_INPUTS = tuple(
    f for f in ("massage_pressure", "adaptive_massage", "wanted_relief", "max_pressure") if f in DayInput._fields
)
# Rows of the one block-local buffer: parameters, state, derived constants, then the recorded day
# (state and outputs). One buffer, every field at a literal offset, lets LLVM prove statically that
# the state stores never touch the parameter loads (separate arrays would need run-time checks).
OFF_PARAMS = 0
OFF_STATE = OFF_PARAMS + N_PARAMS
OFF_DERIVED = OFF_STATE + N_STATES
OFF_RECORD = OFF_DERIVED + N_DERIVED
N_ROWS = OFF_RECORD + N_STATES + N_OUTPUTS
_MASSAGE_COLS = np.array([DayInput._fields.index(f) for f in MASSAGE_INPUTS], dtype=np.int64)


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


def _generate() -> dict[str, Any]:
    """Source of the loaders and stores, one line per field, from the NamedTuples' fields."""
    src: list[str] = []

    def loader(name: str, cls: str, fields: tuple[str, ...], item: str, zero: tuple[str, ...] = ()) -> None:
        args = ", ".join("0.0" if f in zero else item.format(k=k) for k, f in enumerate(fields))
        src.append(f"def {name}(A, i):\n    return {cls}({args})\n")

    def store(name: str, fields: tuple[str, ...], item: str) -> None:
        body = "".join(f"    {item.format(k=k)} = v[{k}]\n" for k in range(len(fields)))
        src.append(f"def {name}(A, i, v):\n{body}")

    def local(first: int) -> str:  # row k of the block-local buffer, from row ``first`` on
        return f"A[({first} + {{k}}) * {ROW} + i]"

    for cls, fields, first in (
        ("Params", Params._fields, OFF_PARAMS),
        ("State", State._fields, OFF_STATE),
        ("Derived", Derived._fields, OFF_DERIVED),
    ):
        # 2-D, persons contiguous per row (the caller's layout), and block-local at literal offsets.
        loader(f"_load_{cls.lower()}", cls, fields, "A[{k}, i]")
        loader(f"_load_{cls.lower()}_b", cls, fields, local(first))
    loader("_load_input", "DayInput", DayInput._fields, "A[i, {k}]")
    loader("_load_input_no_massage", "DayInput", DayInput._fields, "A[i, {k}]", zero=MASSAGE_INPUTS)
    store("_store_state_b", State._fields, local(OFF_STATE))
    store("_store_derived_b", Derived._fields, local(OFF_DERIVED))
    store("_store_record_state_b", State._fields, local(OFF_RECORD))
    store("_store_record_outputs_b", Outputs._fields, local(OFF_RECORD + N_STATES))
    namespace: dict[str, Any] = {"Params": Params, "State": State, "Derived": Derived, "DayInput": DayInput}
    exec(compile("\n".join(src), "<yotsu._kernel generated>", "exec"), namespace)
    return {k: numba.njit(inline="always")(v) for k, v in namespace.items() if k.startswith(("_load_", "_store_"))}


# Inlining ``_day`` (so the literal zeros reach the step) trips an internal pedantic check of Numba's
# SSA pass about renamed variables; the compiled code is checked against the reference by the tests.
warnings.filterwarnings("ignore", category=numba.core.errors.NumbaIRAssumptionWarning)

_previous_cache_dir = numba.config.CACHE_DIR  # type: ignore[attr-defined]
numba.config.CACHE_DIR = _cache_dir()  # type: ignore[attr-defined]

_generated = _generate()
_load_params = _generated["_load_params"]
_load_state = _generated["_load_state"]
_load_derived = _generated["_load_derived"]
_load_input = _generated["_load_input"]
_load_input_no_massage = _generated["_load_input_no_massage"]
_load_params_b = _generated["_load_params_b"]
_load_state_b = _generated["_load_state_b"]
_load_derived_b = _generated["_load_derived_b"]
_store_state_b = _generated["_store_state_b"]
_store_derived_b = _generated["_store_derived_b"]
_store_record_state_b = _generated["_store_record_state_b"]
_store_record_outputs_b = _generated["_store_record_outputs_b"]


@numba.njit(inline="always", fastmath=True, error_model="numpy")
def _day(W: NDArray[np.float64], kb: NDArray[np.uint64], u: DayInput, day: np.uint64, record: bool) -> None:
    """One day for the ``BLOCK`` persons of the block-local buffer ``W``."""  # pragma: no cover - compiled
    shared_tissue = day_hash(day, np.uint64(1))
    shared_context = day_hash(day, np.uint64(2))
    shared_flare = day_hash(day, np.uint64(3))
    for i in range(BLOCK):
        z_tissue = standard_normal(kb[i], shared_tissue)
        z_context = standard_normal(kb[i], shared_context)
        u_flare = standard_uniform(kb[i], shared_flare)
        s_next, o = step(
            _load_state_b(W, i), _load_params_b(W, i), _load_derived_b(W, i), u, z_tissue, z_context, u_flare
        )
        _store_state_b(W, i, s_next)
        if record:
            _store_record_state_b(W, i, s_next)
            _store_record_outputs_b(W, i, o)


@numba.njit(cache=True, fastmath=True, error_model="numpy")
def _days(
    W: NDArray[np.float64], kb: NDArray[np.uint64], inputs: NDArray[np.float64], t: int, day: np.uint64, record: bool
) -> None:  # pragma: no cover - compiled
    """Day ``t`` of ``inputs``: two compiled loops, one with literal zeros for the massage inputs on
    days without massage; recording is a run-time flag LLVM unswitches (hand-unswitching was worth
    1.07x, not the compile time of two more copies of the step)."""
    if _no_massage(inputs, t):
        _day(W, kb, _load_input_no_massage(inputs, t), day, record)
    else:
        _day(W, kb, _load_input(inputs, t), day, record)


@numba.njit(inline="always")
def _no_massage(inputs: NDArray[np.float64], t: int) -> bool:  # pragma: no cover - compiled
    for c in _MASSAGE_COLS:  # noqa: SIM110 - Numba compiles no generator into all()
        if inputs[t, c] != 0.0:
            return False
    return True


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
        m = min(n, lo + BLOCK) - lo
        W = np.empty(N_ROWS * ROW)
        kb = np.empty(ROW, dtype=np.uint64)
        for i in range(BLOCK):
            src = lo + min(i, m - 1)  # a short last block repeats its last person
            for k in range(N_PARAMS):
                W[(OFF_PARAMS + k) * ROW + i] = P[k, src]
            kb[i] = keys[src]
            if not init:
                for k in range(N_STATES):
                    W[(OFF_STATE + k) * ROW + i] = S[k, src]
        for i in range(BLOCK):
            p = _load_params_b(W, i)
            _store_derived_b(W, i, derive(p))
            if init:
                _store_state_b(W, i, initial_state(p))
        for t in range(T):
            row = rec_row[t]
            _days(W, kb, inputs, t, np.uint64(first_day + t), row >= 0)
            if row >= 0:
                for j in range(nser):
                    base = (OFF_RECORD + series[j]) * ROW
                    for i in range(m):
                        out[row, j, lo + i] = W[base + i]
        for k in range(N_STATES):
            for i in range(m):
                S[k, lo + i] = W[(OFF_STATE + k) * ROW + i]


numba.config.CACHE_DIR = _previous_cache_dir  # type: ignore[attr-defined]
