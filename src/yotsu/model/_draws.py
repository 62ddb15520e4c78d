"""Per-person random draws that do not depend on how persons are split into chunks.

Persons are grouped in fixed blocks of ``BLOCK`` consecutive ids; block ``b`` draws from its own
``numpy.random.Generator`` seeded by ``SeedSequence([seed, stream, *extra, b])``. A chunk of any
ids regenerates the blocks that cover it and keeps its rows, so person ``i``'s draws are a pure
function of (seed, stream, i): one process and a Dask cluster see the same virtual persons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

BLOCK = 1024

D = TypeVar("D", bound=np.generic)

#: Streams: one per kind of draw, so adding a draw of one kind never shifts another.
STREAM_COHORT = 1
STREAM_MEASUREMENT = 2
STREAM_BOOTSTRAP = 3
STREAM_OBSERVATION = 4  # measurement noise of the body-map tests and the CSI (observe.py)
STREAM_SCREENING = 5  # answers to a screening questionnaire at baseline (STarT Back)


def per_person(
    seed: int,
    stream: int,
    person_ids: NDArray[np.int64],
    draw: Callable[[np.random.Generator, int], NDArray[D]],
    extra: tuple[int, ...] = (),
) -> NDArray[D]:
    """Rows of ``draw(rng, BLOCK)`` (an array whose *last* axis is persons) for ``person_ids``.

    >>> ids = np.arange(5)
    >>> a = per_person(1, 9, ids, lambda g, m: g.standard_normal((2, m)))
    >>> b = per_person(1, 9, ids[3:], lambda g, m: g.standard_normal((2, m)))
    >>> bool(np.array_equal(a[:, 3:], b))
    True
    """
    ids = np.asarray(person_ids, dtype=np.int64)
    if ids.size and ids.min() < 0:
        raise ValueError("person ids must be 0 or more")
    blocks = np.unique(ids // BLOCK)
    parts: dict[int, NDArray[D]] = {}
    for b in blocks:
        rng = np.random.default_rng(np.random.SeedSequence([seed, stream, *extra, int(b)]))
        parts[int(b)] = draw(rng, BLOCK)
    if not parts:
        probe = draw(np.random.default_rng(0), 1)
        return np.empty((*probe.shape[:-1], 0), dtype=probe.dtype)
    first = next(iter(parts.values()))
    out = np.empty((*first.shape[:-1], ids.size), dtype=first.dtype)
    if ids.size == ids[-1] - ids[0] + 1 and bool(np.all(np.diff(ids) == 1)):
        # Consecutive ids (every chunk of a trial): the same rows copied by slices, without
        # fancy indexing (about 2x for the 200 x m bootstrap weights).
        for b, block in parts.items():
            lo, hi = max(int(ids[0]), b * BLOCK), min(int(ids[-1]) + 1, (b + 1) * BLOCK)
            out[..., lo - int(ids[0]) : hi - int(ids[0])] = block[..., lo - b * BLOCK : hi - b * BLOCK]
        return out
    for b, block in parts.items():
        sel = np.flatnonzero(ids // BLOCK == b)
        out[..., sel] = block[..., ids[sel] - b * BLOCK]
    return out
