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
        # As in test_reproducibility: equal but for a possible 1-ulp difference of fastmath code paths.
        np.testing.assert_allclose(tail.series[name][:, 0], together.series[name][:, n - 1], rtol=1e-13, atol=1e-13)


def test_block_local_rows_are_off_a_power_of_two():
    assert K.ROW >= K.BLOCK and K.ROW & (K.ROW - 1) != 0


def test_draws_for_consecutive_ids_equal_the_same_persons_drawn_in_any_order():
    from yotsu.model._draws import BLOCK, per_person

    ids = np.arange(BLOCK - 5, 3 * BLOCK + 7)  # starts and ends inside a block (the slice path)
    order = np.random.default_rng(0).permutation(ids.size)

    def draw(g: np.random.Generator, m: int) -> np.ndarray:
        return g.standard_normal((2, 3, m))

    sliced = per_person(4, 9, ids, draw)
    shuffled = per_person(4, 9, ids[order], draw)  # not consecutive: the general path
    np.testing.assert_array_equal(sliced[..., order], shuffled)


def test_bootstrap_sums_equal_the_weights_of_the_included_persons_summed_directly():
    from yotsu.model import trials as tr
    from yotsu.model._draws import STREAM_BOOTSTRAP, per_person

    spec = tr.get_trial("prt-trial")
    ids, seed, boot = np.arange(500, 1300), 3, 7
    sums = tr.run_chunk(spec, ids, seed, boot, tr.shipped_defaults())
    # The same persons in every arm, so the included set and the scores can be rebuilt per arm.
    params = tr.get_cohort(spec.cohort).draw(seed=seed, person_ids=ids, defaults=tr.shipped_defaults())
    weeks = spec.weeks()
    record = sorted({d for w in weeks for d in spec.window(w)})
    noise = per_person(seed, tr.STREAM_MEASUREMENT, ids, lambda g, m: g.standard_normal((2, len(weeks), m)))
    warm = WarmCohort(params, ids, seed, tr.DEFAULT_WARMUP_DAYS)
    for a, arm in enumerate(spec.arms):
        days, series = warm.run(arm.plan_from(spec.baseline_days, spec.evidence, spec.level), spec.days(), record,
                                tr.RECORDED_SERIES)  # fmt: skip
        scores = tr.measured_scores(tr.recall(spec, days, series), noise)
        b = scores["pain_nrs"][0]
        inc = (b >= spec.inclusion.min_baseline_nrs) & (b <= spec.inclusion.max_baseline_nrs)
        assert 0 < inc.sum() < ids.size  # some persons are left out, so the exclusion is exercised
        w = per_person(seed, STREAM_BOOTSTRAP, ids, lambda g, m: tr._poisson1(g, (boot, m)), (a,))[:, inc]
        np.testing.assert_array_equal(sums.boot_n[a], w.sum(axis=1))
        for oi, o in enumerate(spec.outcomes):
            x = scores[o][:, inc].astype(np.float64)
            np.testing.assert_array_equal(sums.boot_s[oi, :, a], x @ w.T)
            np.testing.assert_array_equal(sums.boot_q[oi, :, a], (x * x) @ w.T)


def test_compiled_integer_products_equal_numpy_bit_for_bit():
    from yotsu.model._sums import TILE, integer_products

    rng = np.random.default_rng(1)
    m = 2 * TILE + 37  # two full tiles and a short one
    x = rng.integers(0, 101, (5, m)).astype(np.float64) ** 2
    w = rng.integers(0, 7, (11, m)).astype(np.float64)
    np.testing.assert_array_equal(integer_products(x, w), x @ w.T)
    np.testing.assert_array_equal(integer_products(x, w.astype(np.uint8)), x @ w.T)  # bytes, as trials pass
