"""In-silico trials: statistics against hand-computed examples, the measurement model, common
random numbers, regression to the mean from selection, and the JSON contract."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yotsu.model.effects import GroupStats, hedges_g, hedges_g_ci, hedges_g_moments, mean_difference, risk_ratio_ci
from yotsu.model.trials import TrialSpec, measured_scores, named_trials, run_trial


def test_group_stats_from_counts_by_hand():
    # scores 1, 2, 3: mean 2, SD 1
    s = GroupStats.from_counts(np.array([0, 1, 1, 1]))
    assert (s.n, s.mean, s.sd) == (3, 2.0, 1.0)


def test_hedges_g_and_its_ci_on_a_tiny_dataset_by_hand():
    # a = 1, 2, 3 (mean 2, SD 1); b = 3, 4, 5 (mean 4, SD 1). Pooled SD 1, d = -2,
    # J = 1 - 3 / (4 * 6 - 9) = 0.8, g = -1.6, var = 6/9 + 1.6^2 / 12 = 0.88,
    # CI = -1.6 ± 1.959964 * sqrt(0.88) = [-3.43861, 0.23861].
    a = GroupStats.from_counts(np.array([0, 1, 1, 1, 0, 0]))
    b = GroupStats.from_counts(np.array([0, 0, 0, 1, 1, 1]))
    assert hedges_g(a, b) == pytest.approx(-1.6)
    g, (lo, hi) = hedges_g_ci(a, b)
    assert g == pytest.approx(-1.6)
    assert (lo, hi) == pytest.approx((-3.43861, 0.23861), abs=1e-5)
    # MD = -2, SE = sqrt(1/3 + 1/3) = 0.816497, CI -2 ± 1.959964 * 0.816497 = -2 ± 1.600304
    md, ci = mean_difference(a, b)
    assert md == -2.0 and ci == pytest.approx((-3.600304, -0.399696), abs=1e-6)
    # the moment form used by the bootstrap gives the same g from n, sum and sum of squares
    one = np.array([1.0])
    assert hedges_g_moments(3 * one, 6 * one, 14 * one, 3 * one, 12 * one, 50 * one)[0] == pytest.approx(-1.6)


def test_risk_ratio_by_hand():
    # 30 of 100 vs 10 of 100: RR 3, SE(log RR) = sqrt(1/30 - 1/100 + 1/10 - 1/100) = 0.336650
    a, b = GroupStats(100, 0.3, 0.46), GroupStats(100, 0.1, 0.3)
    rr, (lo, hi) = risk_ratio_ci(a, b)
    assert rr == pytest.approx(3.0)
    assert lo == pytest.approx(3 * math.exp(-1.959964 * 0.336650), rel=1e-5)
    assert hi == pytest.approx(3 * math.exp(1.959964 * 0.336650), rel=1e-5)


def test_measured_scores_by_hand():
    recalled = {
        "pain": np.array([[5.4, 0.2], [3.1, 0.9]]),  # weeks 0 and 1, two persons
        "movement_restriction": np.array([[0.5, 0.0], [0.5, 0.0]]),
        "threat_prior": np.array([[8.0, 0.0], [8.0, 0.0]]),
    }
    s = measured_scores(recalled, np.zeros((2, 2, 2)))
    assert s["pain_nrs"].tolist() == [[5, 0], [3, 1]]
    assert s["pain_vas"].tolist() == [[54, 2], [31, 9]]
    # RMDQ = 24 * (0.3 * 5.4/10 + 0.3 * 0.5 + 0.25 * 8/16) = 24 * 0.437 = 10.488 -> 10
    assert s["rmdq"][0, 0] == 10
    assert s["responder_2pt"].tolist() == [[0, 0], [1, 0]]  # 5 -> 3: two points
    assert s["responder_30pct"].tolist() == [[0, 0], [1, 0]]  # 2 of 5 = 40%
    assert s["pain_free_0_1"].tolist() == [[0, 1], [0, 1]]


@pytest.fixture(scope="module")
def exercise_trial():
    return run_trial("exercise-vs-no-treatment", n=400, bootstrap=40)


def test_every_arm_runs_on_the_same_persons(exercise_trial):
    r = exercise_trial
    week0 = [r.sums.counts["pain_nrs"][0, a] for a in range(len(r.spec.arms))]
    assert all(np.array_equal(week0[0], w) for w in week0[1:])  # identical baselines
    assert set(r.to_json()["n"].values()) == {r.included}


def test_json_contract_has_the_documented_fields(exercise_trial):
    doc = exercise_trial.to_json()
    assert set(doc) >= {"spec", "n", "outcomes"}
    assert doc["spec"]["name"] == "exercise-vs-no-treatment"
    for row in doc["outcomes"]:
        assert {"outcome", "week", "arm", "mean", "sd"} <= set(row)
        if row["arm"] != doc["reference"] and row["outcome"] == "pain_nrs":
            assert {"md", "md_ci", "smd", "smd_ci", "smd_ci_bootstrap"} <= set(row)
        if row["arm"] == doc["reference"]:
            assert "md" not in row


def test_bootstrap_and_analytic_ci_agree_roughly(exercise_trial):
    row = exercise_trial.row("pain_nrs", 12, "exercise")
    width_a = row["smd_ci"][1] - row["smd_ci"][0]
    width_b = row["smd_ci_bootstrap"][1] - row["smd_ci_bootstrap"][0]
    assert 0.5 < width_b / width_a < 2.0
    assert row["smd_ci_bootstrap"][0] < row["smd"] < row["smd_ci_bootstrap"][1]


def test_result_does_not_depend_on_chunk_size():
    a = run_trial("prt-trial", n=300, bootstrap=10, chunk_size=300).to_json()
    b = run_trial("prt-trial", n=300, bootstrap=10, chunk_size=70).to_json()
    assert a == b


def _natural_history(min_nrs: int) -> TrialSpec:
    spec = named_trials()["natural-history"]
    return spec.model_copy(update={"inclusion": spec.inclusion.model_copy(update={"min_baseline_nrs": min_nrs})})


def test_selection_on_a_high_baseline_regresses_to_the_mean_without_any_treatment():
    everyone = run_trial(_natural_history(0), n=1500, bootstrap=0)
    high = run_trial(_natural_history(8), n=1500, bootstrap=0)

    def fall(r):
        return r.group("pain_nrs", 0, "no-care").mean - r.group("pain_nrs", 6, "no-care").mean

    assert abs(fall(everyone)) < 0.15
    assert fall(high) > 0.3


def test_sham_care_lowers_reported_pain_during_the_course_only(exercise_trial):
    r = exercise_trial
    assert r.row("pain_nrs", 12, "sham")["md"] < -0.1
    assert abs(r.row("pain_nrs", 52, "sham")["md"]) < abs(r.row("pain_nrs", 12, "sham")["md"])


@pytest.mark.parametrize("name", sorted(named_trials()))
def test_every_shipped_trial_runs_and_its_arms_start_equal(name):
    r = run_trial(name, n=60, bootstrap=0)
    assert r.included >= 2
    for arm in r.spec.arms:
        assert r.group("pain_nrs", 0, arm.name) == r.group("pain_nrs", 0, r.spec.reference)


def test_spec_errors_name_the_problem():
    spec = named_trials()["prt-trial"].model_dump()
    with pytest.raises(ValueError, match="reference"):
        TrialSpec.model_validate({**spec, "reference": "nobody"})
    with pytest.raises(ValueError, match="week 0 is baseline"):
        TrialSpec.model_validate({**spec, "follow_up_weeks": [0, 4]})
