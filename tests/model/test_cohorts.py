"""Cohorts: draws inside the plausible ranges, reproducible, chunk-invariant, with the stated
correlations and subgroup shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yotsu.model.cohorts import Cohort, CohortError, Distribution, get_cohort, named_cohorts
from yotsu.model.parameters import parameter_table

COHORTS = sorted(named_cohorts())


def test_the_three_named_cohorts_ship():
    assert {"primary-care-chronic", "care-seeking-trial", "sensitised-subgroup"} <= set(COHORTS)


@pytest.mark.parametrize("name", COHORTS)
def test_every_draw_lies_inside_its_parameter_range(name):
    p = get_cohort(name).draw(5000, seed=3)
    for j, spec in enumerate(parameter_table().values()):
        lo, hi = spec.range
        assert np.all((p.matrix[:, j] >= lo) & (p.matrix[:, j] <= hi)), spec.name


@pytest.mark.parametrize("name", COHORTS)
def test_draws_are_a_pure_function_of_seed_and_person_id(name):
    c = get_cohort(name)
    whole = c.draw(3000, seed=5).matrix
    assert np.array_equal(whole, c.draw(3000, seed=5).matrix)
    part = c.draw(seed=5, person_ids=np.arange(1999, 2600)).matrix
    assert np.array_equal(part, whole[1999:2600])
    assert not np.array_equal(whole, c.draw(3000, seed=6).matrix)


@pytest.mark.parametrize("name", COHORTS)
def test_persons_differ_in_every_parameter_the_cohort_draws(name):
    c = get_cohort(name)
    p = c.draw(500, seed=1)
    for param, d in c.parameters.items():
        if d.dist != "fixed":
            assert np.std(p[param]) > 0, param


def test_copula_gives_the_rank_correlation_of_its_normal_scores():
    # Spearman's rho of a Gaussian copula with correlation r is (6 / pi) asin(r / 2); for r = 0.4
    # that is 0.3859. Monotone marginals (beta, normal, truncation) keep ranks.
    from scipy.stats import spearmanr

    p = get_cohort("primary-care-chronic").draw(8000, seed=2)
    rho = spearmanr(p["threat_prior_init"], p["distress_base"]).statistic
    assert abs(rho - 6 / math.pi * math.asin(0.2)) < 0.04


def test_sensitised_share_is_the_stated_share():
    c = get_cohort("care-seeking-trial")
    member = c.subgroup_of(np.arange(10000), seed=4)
    share = np.mean(member == 0)
    assert abs(share - 0.44) < 4 * math.sqrt(0.44 * 0.56 / 10000)
    p = c.draw(10000, seed=4)
    assert p["gain_init"][member == 0].mean() > p["gain_init"][member == 1].mean() + 0.5


def test_a_distribution_mostly_outside_the_range_is_truncated_not_clipped_to_a_spike():
    d = Distribution(dist="normal", mean=25.0, sd=5.0)
    x = d.sample(np.linspace(0.001, 0.999, 999), (0.0, 20.0))
    assert x.max() <= 20.0 and x.min() >= 0.0
    assert np.mean(x == 20.0) < 0.01  # inverse-CDF inside the range, not a pile at the bound


def test_a_distribution_with_no_mass_in_the_range_is_refused():
    d = Distribution(dist="uniform", low=30.0, high=40.0)
    with pytest.raises(CohortError, match="no mass"):
        d.sample(np.array([0.5]), (0.0, 20.0))


def test_cohort_schema_names_the_problem():
    base = get_cohort("primary-care-chronic").model_dump()
    with pytest.raises(ValueError, match="unknown parameter"):
        Cohort.model_validate({**base, "parameters": {"no_such": {"dist": "fixed", "value": 1.0}}})
    bad = {**base, "correlations": [{"between": ["threat_prior_init", "distress_base"], "rho": 0.99,
                                     "evidence": ["finan2013"]},
                                    {"between": ["distress_base", "context_pressure"], "rho": -0.99,
                                     "evidence": ["finan2013"]},
                                    {"between": ["threat_prior_init", "context_pressure"], "rho": 0.99,
                                     "evidence": ["finan2013"]}]}  # fmt: skip
    with pytest.raises(ValueError, match="positive-definite"):
        Cohort.model_validate(bad)
    with pytest.raises(ValueError, match="needs"):
        Distribution(dist="beta", mean=0.5)
