"""Profile: scores and tests become model parameters by a documented, monotone mapping with uncertainty."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.evidence import EvidenceLevel
from yotsu.model import parameter_table
from yotsu.pathway.bodymap import BodyMapEstimate, PrecisionEstimate
from yotsu.pathway.instruments import score
from yotsu.pathway.profile import (
    POPULATION_PRIOR,
    Measurement,
    ProfileError,
    build_profile,
    profile_inputs,
    profile_mapping,
)

# The direction each mapping must have, written from what the score means (not read from the file):
# +1 = a higher score gives a higher parameter value, -1 = a lower one.
EXPECTED_DIRECTION = {
    ("tissue_drive", "nrs_pain.total"): +1,
    ("tissue_drive", "peg3.total"): +1,
    ("gain_init", "csi_a.total"): +1,
    ("gain_init", "pain_drawing.body_share"): +1,
    ("gain_rise", "csi_a.total"): +1,
    ("threat_prior_init", "tsk11.total"): +1,
    ("threat_prior_init", "pcs.total"): +1,
    ("threat_prior_init", "start_back.psychosocial"): +1,
    ("avoidance_threshold", "tsk11.total"): -1,  # more fear of movement: avoids at lower expected danger
    ("avoidance_threshold", "pseq2.total"): +1,  # more self-efficacy: keeps going longer
    ("distress_base", "phq4.total"): +1,
    ("distress_base", "sleep_quality"): -1,  # better sleep: less distress
    ("distress_base", "start_back.psychosocial"): +1,
    ("context_pressure", "life_pressure"): +1,
    ("body_map_precision_init", "body_map.precision"): +1,
    ("body_map_ceiling", "body_map.precision"): +1,
}


def test_every_shipped_mapping_has_an_expected_direction_in_this_test() -> None:
    shipped = {(m.parameter, m.input) for m in profile_mapping().mappings}
    assert shipped == set(EXPECTED_DIRECTION)


@pytest.mark.parametrize(("parameter", "source"), sorted(EXPECTED_DIRECTION), ids=lambda x: str(x))
def test_each_mapping_is_monotone_in_its_score_and_records_its_source(parameter: str, source: str) -> None:
    lo, hi = profile_mapping().inputs[source].range
    grid = np.linspace(lo, hi, 41)
    values = [build_profile({source: Measurement(value=float(x))}).parameters[parameter].value for x in grid]
    steps = np.diff(values) * EXPECTED_DIRECTION[(parameter, source)]
    assert (steps >= -1e-12).all()
    assert values[-1] != values[0]  # the score actually moves the parameter
    estimate = build_profile({source: Measurement(value=float(grid[20]))}).parameters[parameter]
    assert estimate.sources == (source,)
    assert estimate.level() is EvidenceLevel.CLINICAL_IMPRESSION


def test_every_mapping_is_tagged_clinical_impression_and_names_citations() -> None:
    for m in profile_mapping().mappings:
        assert m.evidence.level is EvidenceLevel.CLINICAL_IMPRESSION
        assert m.evidence.citations


def test_with_no_inputs_every_parameter_is_the_population_prior_visibly() -> None:
    profile = build_profile({})
    table = parameter_table()
    for name, est in profile.parameters.items():
        assert est.value == table[name].default
        assert est.sources == (POPULATION_PRIOR,)
        assert est.from_population_prior and est.sd > 0
    assert set(profile.population_prior()) == set(profile.parameters)


def test_a_missing_instrument_leaves_only_its_parameters_at_the_prior() -> None:
    profile = build_profile({"csi_a.total": Measurement(value=60)})
    assert profile.parameters["gain_init"].sources == ("csi_a.total",)
    assert profile.parameters["threat_prior_init"].sources == (POPULATION_PRIOR,)
    assert profile.parameters["threat_prior_init"].value == parameter_table()["threat_prior_init"].default
    assert "gain_init" not in profile.population_prior()


def test_worked_example_csi_between_band_anchors_interpolates_linearly() -> None:
    # data file anchors: CSI 39 -> 1.35, CSI 49 -> 1.6; CSI 44 is halfway: 1.475
    assert build_profile({"csi_a.total": Measurement(value=44)}).parameters["gain_init"].value == pytest.approx(1.475)


def test_two_inputs_combine_by_precision_weighting() -> None:
    # TSK-11 35 -> 6.5 (sd 1.5); PCS 15 -> 3.5 (sd 1.8); inverse-variance mean and sd worked by hand
    w1, w2 = 1 / 1.5**2, 1 / 1.8**2
    est = build_profile({"tsk11.total": Measurement(value=35), "pcs.total": Measurement(value=15)}).parameters[
        "threat_prior_init"
    ]
    assert est.value == pytest.approx((w1 * 6.5 + w2 * 3.5) / (w1 + w2))
    assert est.sd == pytest.approx((w1 + w2) ** -0.5)
    assert est.sources == ("tsk11.total", "pcs.total")


def test_an_uncertain_body_map_estimate_widens_the_parameter_sd() -> None:
    sure = build_profile({"body_map.precision": Measurement(value=0.4, sd=0.01)})
    unsure = build_profile({"body_map.precision": Measurement(value=0.4, sd=0.2)})
    for name in ("body_map_precision_init", "body_map_ceiling"):
        assert unsure.parameters[name].sd > sure.parameters[name].sd


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_inputs_in_range_give_parameters_the_model_accepts(data: st.DataObject) -> None:
    inputs = {}
    for key, spec in profile_mapping().inputs.items():
        if data.draw(st.booleans()):
            inputs[key] = Measurement(value=data.draw(st.floats(*spec.range)))
    profile = build_profile(inputs)
    profile.params()  # the model validates every range and raises otherwise
    draws = profile.sample(50, np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))))
    for name, spec in parameter_table().items():
        assert (draws[name] >= spec.range[0]).all() and (draws[name] <= spec.range[1]).all()


def test_sampling_is_reproducible_and_spreads_by_the_sd() -> None:
    profile = build_profile({"phq4.total": Measurement(value=6)})
    a = profile.sample(2000, np.random.default_rng(5))
    b = profile.sample(2000, np.random.default_rng(5))
    c = profile.sample(2000, np.random.default_rng(6))
    assert np.array_equal(a.matrix, b.matrix) and not np.array_equal(a.matrix, c.matrix)
    # phq4 6 -> 0.4 with sd 0.1 (far from the range ends, so clipping is negligible)
    assert a["distress_base"].mean() == pytest.approx(0.4, abs=0.01)
    assert a["distress_base"].std() == pytest.approx(0.1, rel=0.1)


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"csi_a.total": Measurement(value=120)}, "csi_a.total"),
        ({"shoe_size": Measurement(value=3)}, "shoe_size"),
    ],
)
def test_bad_inputs_are_refused_naming_the_input(inputs: dict[str, Measurement], fragment: str) -> None:
    with pytest.raises(ProfileError, match=fragment):
        build_profile(inputs)


def test_profile_inputs_read_scored_instruments_questions_and_the_body_map() -> None:
    results = {
        "start_back": score(
            "start_back", {"q1": 1, "q2": 0, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 0, "q8": 0, "q9": 3}
        ),
        "nrs_pain": score("nrs_pain", {"q1": 6}),
    }
    body = BodyMapEstimate(mean=0.3, sd=0.1, components=(PrecisionEstimate(test="x", mean=0.3, sd=0.1),))
    got = profile_inputs(results, sleep_quality=3, life_pressure=None, body_map=body)
    assert got == {
        "nrs_pain.total": Measurement(value=6),
        "start_back.psychosocial": Measurement(value=3),  # q5 + q6 + q9 ("very much" counts 1)
        "sleep_quality": Measurement(value=3),
        "body_map.precision": Measurement(value=0.3, sd=0.1),
    }


def test_docstring_example_runs() -> None:
    import doctest

    import yotsu.pathway.profile as module

    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


@pytest.mark.parametrize(
    "others",
    [{}, {"csi_a.total": 62.0}, {"tsk11.total": 38.0, "pcs.total": 35.0}, {"phq4.total": 9.0, "life_pressure": 0.8}],
)
@pytest.mark.parametrize("reported", [5.0, 6.5, 7.5])
def test_fitted_tissue_input_makes_the_model_reproduce_the_reported_pain(others, reported) -> None:
    from yotsu.model.factors import steady_pain

    inputs = {k: Measurement(value=v) for k, v in others.items()} | {"nrs_pain.total": Measurement(value=reported)}
    profile = build_profile(inputs)
    tissue = profile.parameters["tissue_drive"]
    if tissue.fitted_to_model:
        assert abs(float(steady_pain(profile.params())[0]) - reported) < 0.05
    else:  # the rest of the profile alone explains more pain than reported, or even all input explains less
        at_bottom = float(steady_pain(profile.params().replace(tissue_drive=0.0))[0])
        at_top = float(steady_pain(profile.params().replace(tissue_drive=8.0))[0])
        assert (tissue.value == 0.0 and at_bottom > reported) or (tissue.value == 8.0 and at_top < reported)


def test_fear_and_sensitisation_leave_less_pain_to_explain_by_tissue_input() -> None:
    pain = {"nrs_pain.total": Measurement(value=7.0)}
    plain = build_profile(pain).parameters["tissue_drive"].value
    fearful = build_profile(pain | {"tsk11.total": Measurement(value=40.0)}).parameters["tissue_drive"].value
    assert fearful < plain
