"""Claim 10 and the kernel: same seed, same result; persons together equal persons one by one;
the compiled kernel equals the plain-Python reference of the same step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yotsu.model import PersonParams, parameter_table, simulate
from yotsu.model import _kernel as K
from yotsu.model._step import DayInput, Derived, Params, State
from yotsu.model.reference import simulate_reference


def test_same_seed_gives_the_same_result_and_another_seed_does_not():
    a = simulate("typical", "adaptive-massage-weekly", days=60, n=20, seed=7)
    b = simulate("typical", "adaptive-massage-weekly", days=60, n=20, seed=7)
    c = simulate("typical", "adaptive-massage-weekly", days=60, n=20, seed=8)
    for name in a.series:
        np.testing.assert_array_equal(a.series[name], b.series[name])
    assert not np.array_equal(a.series["pain"], c.series["pain"])


def test_n_persons_together_equal_the_same_persons_one_by_one():
    rng = np.random.default_rng(0)
    people = PersonParams.from_values({"gain_init": rng.uniform(1, 2.5, 9), "tissue_drive": rng.uniform(1, 6, 9)})
    together = simulate(people, "clinic-approach", days=50, seed=3, warmup_days=100)
    for i in range(people.n):
        alone = simulate(people.take(i), "clinic-approach", days=50, seed=3, warmup_days=100, person_ids=[i])
        for name in together.series:
            # Equal to the last bits in isolation; in a long test process the compiled kernel has been seen to
            # differ by 1 ulp on a day (fastmath code paths), never more: a dependence on the neighbours would
            # show as a difference of the size of the inputs.
            np.testing.assert_allclose(alone.series[name][:, 0], together.series[name][:, i], rtol=1e-13, atol=1e-13)


def test_persons_are_independent_of_who_else_is_simulated():
    big = simulate("sensitised", "strong-massage-weekly", days=30, n=1000, seed=1, warmup_days=50)
    part = simulate(
        "sensitised",
        "strong-massage-weekly",
        days=30,
        n=10,
        seed=1,
        warmup_days=50,
        person_ids=np.arange(500, 510),
    )
    np.testing.assert_array_equal(part.series["pain"], big.series["pain"][:, 500:510])


def test_loaders_read_every_field_in_order():
    rng = np.random.default_rng(1)
    for loader, cls in ((K._load_params, Params), (K._load_state, State), (K._load_derived, Derived)):
        persons_contiguous = rng.random((len(cls._fields), 3))
        got = loader(persons_contiguous, 2)
        assert tuple(got) == tuple(persons_contiguous[:, 2])
        assert type(got).__name__ == cls.__name__
    days_by_row = rng.random((3, len(DayInput._fields)))
    assert tuple(K._load_input(days_by_row, 2)) == tuple(days_by_row[2])


def test_parameter_table_and_step_agree_on_names_and_order():
    assert tuple(parameter_table()) == Params._fields


def _random_people(draw, n):
    values = {}
    for name in (
        "tissue_drive",
        "gain_init",
        "threat_prior_init",
        "body_map_precision_init",
        "distress_base",
        "tissue_noise_sd",
        "safe_pressure",
        "gain_rise",
        "learning_up",
        "learning_down",
    ):
        lo, hi = parameter_table()[name].range
        values[name] = draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
    return PersonParams.from_values(values)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    plan=st.sampled_from(["none", "adaptive-massage-weekly", "strong-massage-weekly", "clinic-approach", "cbt"]),
    seed=st.integers(0, 2**31),
)
def test_compiled_kernel_equals_the_plain_python_reference(data, plan, seed):
    people = _random_people(data.draw, 3)
    fast = simulate(people, plan, days=40, seed=seed, warmup_days=30)
    slow = simulate_reference(people, plan, days=40, seed=seed, warmup_days=30)
    for name, values in slow.items():
        np.testing.assert_allclose(fast.series[name], values, rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("bad", [{"days": 0}, {"warmup_days": -1}, {"series": ["pianness"]}, {"record_days": [400]}])
def test_bad_simulate_arguments_get_clear_errors(bad):
    from yotsu.model import SimulationError

    args = {"days": 100} | bad
    with pytest.raises(SimulationError) as err:
        simulate("typical", "none", **args)
    assert any(word in str(err.value) for word in ("days", "series", "record_days", "warmup"))


def test_chunked_run_equals_one_run_and_reports_progress():
    seen = []
    whole = simulate("fearful", "exercise", days=40, n=23, seed=9, warmup_days=60)
    chunked = simulate(
        "fearful",
        "exercise",
        days=40,
        n=23,
        seed=9,
        warmup_days=60,
        chunk_persons=5,
        progress=lambda done, total: seen.append((done, total)),
    )
    for name in whole.series:
        np.testing.assert_array_equal(whole.series[name], chunked.series[name])
    np.testing.assert_array_equal(whole.final_state, chunked.final_state)
    assert seen == [(5, 23), (10, 23), (15, 23), (20, 23), (23, 23)]
