"""The speed machinery changes no result: warm-up once then arms from copies equals ``simulate``
per arm bit for bit; the kernel's padded last block and off-power-of-two rows leave persons alone."""

from __future__ import annotations

import numpy as np

from yotsu.model import PersonParams, get_plan, simulate
from yotsu.model import _kernel as K
from yotsu.model._warm import WarmCohort


def _people(n: int) -> PersonParams:
    rng = np.random.default_rng(4)
    return PersonParams.from_values({"gain_init": rng.uniform(1, 2.5, n), "tissue_drive": rng.uniform(1, 6, n)})


def test_arms_from_one_warm_state_equal_simulate_per_arm_bit_for_bit():
    people, ids = _people(21), np.arange(100, 121)
    warm = WarmCohort(people, ids, seed=9, warmup_days=40)
    for plan in ("clinic-approach", "adaptive-massage-weekly", "none"):
        days, got = warm.run(get_plan(plan), 30, [0, 7, 29], ["pain", "gain"])
        want = simulate(
            people,
            plan,
            days=30,
            seed=9,
            warmup_days=40,
            record_days=[0, 7, 29],
            series=["pain", "gain"],
            person_ids=ids,
        )
        np.testing.assert_array_equal(days, want.days)
        for name in ("pain", "gain"):
            np.testing.assert_array_equal(got[name], want.series[name])


def test_a_short_last_block_gives_each_person_what_it_gives_them_alone():
    n = K.BLOCK + 3  # one full block and a padded one
    people = _people(n)
    together = simulate(people, "adaptive-massage-weekly", days=20, seed=2, warmup_days=10)
    tail = simulate(people.take(n - 1), "adaptive-massage-weekly", days=20, seed=2, warmup_days=10, person_ids=[n - 1])
    for name in together.series:
        np.testing.assert_array_equal(tail.series[name][:, 0], together.series[name][:, n - 1])


def test_block_local_rows_are_off_a_power_of_two():
    assert K.ROW >= K.BLOCK and K.ROW & (K.ROW - 1) != 0
