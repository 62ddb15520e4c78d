"""Warm-up once, arms many times: the trial's fast path around the kernel.

A trial runs every arm on the same persons with the same seed, and the warm-up (natural history
before day 0, no care) is the same in every arm. ``simulate`` runs it per call; here it is run once
per chunk of persons and every arm starts from a copy of the warm state. That is exactly the two
kernel calls ``simulate`` makes (``tests/model/test_speed_machinery.py`` holds them equal bit for bit),
so results do not change; the warm-up was two thirds of a trial's simulated person-days.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from yotsu.model import _kernel
from yotsu.model._noise import person_keys
from yotsu.model.parameters import PersonParams
from yotsu.model.plans import Plan


class WarmCohort:
    """Persons brought to their steady state once; :meth:`run` simulates a plan from there."""

    def __init__(self, params: PersonParams, person_ids: NDArray[np.int64], seed: int, warmup_days: int) -> None:
        self.n = params.n
        self.P = np.ascontiguousarray(params.matrix.T)
        self.keys = person_keys(seed, np.asarray(person_ids, dtype=np.int64))
        self.S = np.zeros((_kernel.N_STATES, self.n))
        warm_inputs = np.zeros((warmup_days, _kernel.N_INPUTS))
        no_rec = np.full(warmup_days, -1, dtype=np.int64)
        unused = np.empty((1, 1, self.n))
        ser = np.zeros(1, dtype=np.int64)
        _kernel.run_kernel(self.P, self.S, self.keys, warm_inputs, -warmup_days, no_rec, ser, unused, True)

    def run(
        self,
        plan: Plan,
        days: int,
        record_days: Sequence[int],
        series: Sequence[str],
        persons: NDArray[np.int64] | None = None,
    ) -> tuple[NDArray[np.int64], dict[str, NDArray[np.float64]]]:
        """Days recorded and ``{series: (len(days), n)}`` of ``plan`` from the warm state (kept), for every
        person or only the rows ``persons`` (a person's days depend only on their own key, parameters and
        state, so a subset gives each of its persons the same days as the whole)."""
        rec = np.unique(np.asarray(record_days, dtype=np.int64))
        rec_row = np.full(days, -1, dtype=np.int64)
        rec_row[rec] = np.arange(rec.size)
        ser_idx = np.array([_kernel.SERIES.index(s) for s in series], dtype=np.int64)
        P, keys, S = self.P, self.keys, self.S.copy()
        if persons is not None:
            P, keys, S = np.ascontiguousarray(P[:, persons]), keys[persons], np.ascontiguousarray(self.S[:, persons])
        out = np.empty((rec.size, len(series), keys.size))
        _kernel.run_kernel(P, S, keys, plan.day_inputs(days), 0, rec_row, ser_idx, out, False)
        return rec, {name: out[:, j, :] for j, name in enumerate(series)}
