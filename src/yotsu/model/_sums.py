"""Bootstrap sums compiled: ``x @ w.T`` for integer-valued ``x`` and ``w``, on Numba's threads.

A trial's Poisson-bootstrap sums are products of integer scores and integer weights, so every sum
is exact in float64 in any order of addition (below 2^53) and this equals the BLAS product bit for
bit. It exists because the BLAS product runs on OpenBLAS's own threads, which on a small shared
machine contend with the kernel's (measured: 14 ms on one BLAS thread, 56-540 ms on two right
after a kernel call); here the work is tiled so each tile of ``x`` is read once per replicate from
cache and the weights stream once.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

TILE = 1000  # persons per tile: (rows x TILE) doubles of x stay in L2 for all replicates


@numba.njit(parallel=True, cache=True, fastmath=True, error_model="numpy")
def integer_products(x: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x @ w.T`` for ``x`` (rows, m) and ``w`` (B, m) holding integers; exact."""  # pragma: no cover - compiled
    rows, m = x.shape
    nb = w.shape[0]
    ntiles = (m + TILE - 1) // TILE
    part = np.zeros((ntiles, rows, nb))
    for t in numba.prange(ntiles):
        lo = t * TILE
        hi = min(m, lo + TILE)
        for b in range(nb):
            for k in range(rows):
                acc = 0.0
                for i in range(lo, hi):
                    acc += x[k, i] * w[b, i]
                part[t, k, b] = acc
    out = np.zeros((rows, nb))
    for t in range(ntiles):
        for k in range(rows):
            for b in range(nb):
                out[k, b] += part[t, k, b]
    return out
