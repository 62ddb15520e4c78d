"""The per-person reference: the same ``_step.step``, run as plain Python floats, one person at a time.

It exists to check the compiled kernel (tests hold the two equal) and as the baseline of the
benchmark. It is what a researcher would write first; it is about 500 times slower.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from yotsu.model._noise import person_draws, person_keys
from yotsu.model._step import DayInput, Outputs, Params, State, derive, initial_state, step
from yotsu.model.parameters import PersonParams
from yotsu.model.plans import Plan, get_plan

SERIES = State._fields + Outputs._fields


def simulate_reference(
    params: PersonParams,
    plan: str | Plan,
    days: int,
    seed: int = 0,
    warmup_days: int = 730,
    person_ids: NDArray[np.int64] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Daily series of every person, shape ``(days, n)`` per name, computed person by person."""
    the_plan = get_plan(plan)
    ids = np.arange(params.n, dtype=np.int64) if person_ids is None else np.asarray(person_ids, dtype=np.int64)
    keys = person_keys(seed, ids)
    plan_inputs = the_plan.day_inputs(days)
    rest = DayInput(*([0.0] * len(DayInput._fields)))
    inputs = [rest] * warmup_days + [DayInput(*map(float, row)) for row in plan_inputs]
    first_day = -warmup_days
    out = {name: np.empty((days, params.n)) for name in SERIES}
    for i in range(params.n):
        # The draws the kernel makes, computed ahead per person (NumPy form of the same hash).
        z_tissue, z_context, u_flare = person_draws(keys[i], first_day, len(inputs))
        p = Params(*map(float, params.matrix[i]))
        d = derive(p)
        s = initial_state(p)
        for t, u in enumerate(inputs):
            s, o = step(s, p, d, u, z_tissue[t], z_context[t], u_flare[t])
            if t >= warmup_days:
                for name, value in zip(SERIES, (*s, *o), strict=True):
                    out[name][t - warmup_days, i] = value
    return out
