"""The article's claims about chronic low back pain, each a test of the model that can fail.

Numbers in these tests are thresholds stated by the claims (e.g. "within 10%") or modest margins
chosen so that a claim is not passed by noise; none is taken from the model's own output.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.model import Params, PersonParams, get_plan, parameter_table, simulate
from yotsu.model._step import judge, perceive
from yotsu.model.plans import Plan, SessionSpec


def _ranges(name: str) -> st.SearchStrategy[float]:
    lo, hi = parameter_table()[name].range
    return st.floats(lo, hi, allow_nan=False)


def _params(**overrides: float) -> Params:
    return Params(**{**PersonParams.from_values({}).person(0), **overrides})


person_params = st.builds(
    lambda **kw: _params(**kw),
    sensory_sd=_ranges("sensory_sd"),
    prior_sd=_ranges("prior_sd"),
    distress_weight=_ranges("distress_weight"),
    context_weight=_ranges("context_weight"),
    uncertainty_weight=_ranges("uncertainty_weight"),
    pain_threshold=_ranges("pain_threshold"),
    pain_half_saturation=_ranges("pain_half_saturation"),
)
unit = st.floats(0.0, 1.0)
gain = st.floats(1.0, 4.0)
inhibition = st.floats(0.0, 0.9)
precision = st.floats(0.05, 1.0)
level = st.floats(0.0, 12.0)


# Claim 1: pain rises with each of the four inputs, the others held equal.
@settings(max_examples=300, deadline=None)
@given(
    p=person_params,
    g=gain,
    inh=inhibition,
    prec=precision,
    tissue=level,
    prior=level,
    distress=unit,
    context=unit,
    which=st.sampled_from(["tissue", "threat_prior", "distress", "context"]),
    bump=st.floats(0.01, 3.0),
)
def test_pain_rises_with_each_of_the_four_inputs(p, g, inh, prec, tissue, prior, distress, context, which, bump):
    base = {"tissue": tissue, "threat_prior": prior, "distress": distress, "context": context}
    more = dict(base)
    more[which] = base[which] + (bump if which in ("tissue", "threat_prior") else min(bump, 1.0 - base[which]))

    def pain(x):
        return judge(p, x["tissue"], 0.0, g, inh, prec, 0.0, x["threat_prior"], x["distress"], x["context"], 0.0)

    before, after = pain(base), pain(more)
    assert after[-1] >= before[-1] - 1e-12
    # Strictly, wherever the input reaches the judgment and the person is in pain.
    weight = {
        "tissue": g * (1 - inh),
        "threat_prior": 1.0,
        "distress": p.distress_weight,
        "context": p.context_weight,
    }[which]
    if before[-1] > 0 and weight > 1e-6 and more[which] - base[which] > 1e-6:
        assert after[0] > before[0]
        assert after[-1] > before[-1]


# Claim 2: a blurred body map gives more pain at the same input (brakes harder, just in case).
@settings(max_examples=300, deadline=None)
@given(p=person_params, evidence=level, excess=st.floats(0.0, 8.0), sharp=precision, blur=st.floats(0.05, 0.95))
def test_blurred_body_map_raises_pain_at_equal_input_when_expecting_danger(p, evidence, excess, sharp, blur):
    """Holds whenever expected danger is not below the evidence, as in chronic pain where
    expectations confirm themselves (the dynamic test below checks the whole person)."""
    blurred = sharp * blur
    args = (evidence + excess, p.prior_sd, p.uncertainty_weight, p.pain_threshold, p.pain_half_saturation)
    j_sharp, _, pain_sharp = perceive(evidence, p.sensory_sd / np.sqrt(sharp), *args)
    j_blur, _, pain_blur = perceive(evidence, p.sensory_sd / np.sqrt(blurred), *args)
    assert j_blur >= j_sharp - 1e-12
    assert pain_blur >= pain_sharp - 1e-12
    if p.uncertainty_weight > 1e-3 or excess > 1e-3:
        assert j_blur > j_sharp


def test_person_with_blurred_map_has_more_pain_than_same_person_with_sharp_map():
    sharp = simulate({"body_map_precision_init": 0.8, "body_map_ceiling": 0.9}, "none", days=60, n=50, seed=2)
    blurred = simulate({"body_map_precision_init": 0.25, "body_map_ceiling": 0.4}, "none", days=60, n=50, seed=2)
    assert blurred.mean("pain").mean() > sharp.mean("pain").mean() + 0.5


# Claim 3: sensitisation - the same mild stimulus hurts more; one that does not hurt a
# non-sensitised person hurts a sensitised one; pain spreads further.
def test_same_mild_stimulus_hurts_more_when_sensitised():
    p = _params()
    probe = dict(
        guarding=0.0,
        inhibition=0.3,
        body_map_precision=1.0,
        relief=0.0,
        threat_prior=0.0,
        distress=0.0,
        context=0.0,
        expectation=0.0,
    )
    stimulus = 3.0
    normal = judge(p, stimulus, probe["guarding"], 1.0, *list(probe.values())[1:])[-1]
    sensitised = judge(p, stimulus, probe["guarding"], 2.2, *list(probe.values())[1:])[-1]
    assert normal > 0
    assert sensitised > normal + 0.5


def test_stimulus_that_does_not_hurt_a_non_sensitised_person_hurts_a_sensitised_one():
    p = _params()
    rest = (
        0.0,
        0.3,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    )  # guarding, inhibition, precision, relief, prior, distress, context, expectation
    light_touch = 1.0
    assert judge(p, light_touch, rest[0], 1.0, *rest[1:])[-1] == 0.0
    assert judge(p, light_touch, rest[0], 2.5, *rest[1:])[-1] > 0.0


def test_sensitised_person_has_more_pain_and_it_spreads_further(runs):
    typical, sensitised = runs("typical", "none"), runs("sensitised", "none")
    assert sensitised.mean("gain")[0] > typical.mean("gain")[0] + 0.5
    assert sensitised.mean("pain")[0] > typical.mean("pain")[0]
    assert sensitised.mean("spread")[0] > typical.mean("spread")[0] + 0.2


# Claim 4: one comfortable massage - pain falls that day and is back within 10% 3 to 10 days later.
def test_one_comfortable_massage_relieves_that_day_and_the_effect_is_gone_within_3_to_10_days():
    one = Plan(
        name="one-massage",
        title={"en": "one", "ja": "一回"},
        description={"en": "one", "ja": "一回"},
        evidence=("furlan2015",),
        level="reported",
        sessions=(SessionSpec(kind="massage", pressure=3.0, days=(0,)),),
    )
    n, seed = 100, 4
    massage = simulate("typical", one, days=20, n=n, seed=seed)
    none = simulate("typical", "none", days=20, n=n, seed=seed)
    diff = none.mean("pain") - massage.mean("pain")  # relief, same persons and days
    baseline = none.mean("pain")
    assert diff[0] > 0.3, "a comfortable massage should relieve pain on the day"
    back = np.flatnonzero(np.abs(diff) <= 0.1 * baseline)
    first_back = int(back[0])
    assert 3 <= first_back <= 10, f"pain came back within 10% on day {first_back}"
    assert np.all(np.abs(diff[10:]) <= 0.1 * baseline[10:])


# Claim 5: weekly strong massage for 12 weeks in a sensitised person.
def test_weekly_strong_massage_in_sensitised_person_builds_guarding_and_tolerance(runs):
    strong, none = runs("sensitised", "strong-massage-weekly"), runs("sensitised", "none")
    course = slice(0, 84)
    assert strong.mean("guarding")[course].mean() > none.mean("guarding")[course].mean() + 0.2
    tol = strong.mean("tolerance")
    assert tol[84] > 1.0 and tol[77] > tol[7] > tol[0] > 0


def test_relief_from_each_strong_massage_shrinks(runs):
    strong = runs("sensitised", "strong-massage-weekly")
    relief = [strong.at_day("relief", s["day"]).mean() for s in strong.sessions() if s["kind"] == "massage"]
    assert len(relief) == 12
    assert relief[-1] < relief[0] - 0.1
    assert np.all(np.diff(relief) <= 1e-9)


def test_strong_massage_leaves_pain_at_26_weeks_no_better_than_no_treatment(runs):
    strong, none = runs("sensitised", "strong-massage-weekly"), runs("sensitised", "none")
    assert strong.at_day("pain", 182).mean() >= none.at_day("pain", 182).mean() - 0.1


def test_adaptive_pressure_climbs_week_after_week(runs):
    adaptive = runs("sensitised", "adaptive-massage-weekly")
    pressure = [adaptive.at_day("pressure", s["day"]).mean() for s in adaptive.sessions() if s["kind"] == "massage"]
    # Each week harder than the last, until the hardest pressure there is (10 of 10).
    rising = np.diff(pressure) > 0
    at_max = np.isclose(pressure[1:], 10.0)
    assert np.all(rising | at_max)
    assert pressure[-1] > pressure[0] + 2.0


# Claim 6: weekly comfortable massage - no tolerance, short-term benefit that does not last.
@pytest.mark.parametrize("profile", ["typical", "sensitised"])
def test_weekly_comfortable_massage_builds_no_tolerance_and_its_benefit_does_not_last(runs, profile):
    comfy, none = runs(profile, "comfortable-massage-weekly"), runs(profile, "none")
    assert comfy.series["tolerance"].max() < 0.05
    during = (none.mean("pain") - comfy.mean("pain"))[:84].mean()
    at_26 = none.at_day("pain", 182).mean() - comfy.at_day("pain", 182).mean()
    at_52 = none.at_day("pain", 364).mean() - comfy.at_day("pain", 364).mean()
    assert during > 0.1
    assert at_26 < 0.5 * during
    assert at_52 < 0.3


# Claim 7: the clinic's approach over 12 weeks.
@pytest.mark.parametrize("profile", ["typical", "sensitised", "fearful", "blurred-map"])
def test_clinic_approach_sharpens_map_lowers_prior_and_pain_lasts_lower(runs, profile):
    clinic, none, strong = (
        runs(profile, "clinic-approach"),
        runs(profile, "none"),
        runs(profile, "strong-massage-weekly"),
    )
    assert clinic.mean("body_map_precision")[84] > none.mean("body_map_precision")[84] + 0.1
    assert clinic.mean("threat_prior")[84] < none.mean("threat_prior")[84] - 1.0
    for day, margin in ((182, 0.5), (364, 0.3)):
        assert clinic.at_day("pain", day).mean() < none.at_day("pain", day).mean() - margin
        assert clinic.at_day("pain", day).mean() < strong.at_day("pain", day).mean() - margin


# Claim 8: no treatment - chronic pain stays roughly where it is.
@pytest.mark.parametrize("profile", ["typical", "sensitised", "fearful", "blurred-map"])
def test_without_treatment_chronic_pain_stays_where_it_is(runs, profile):
    pain = runs(profile, "none").mean("pain")
    assert pain[0] > 4.0
    assert abs(pain[364] - pain[0]) < 0.5


def test_named_plans_exist_for_the_claims():
    for name in (
        "none",
        "comfortable-massage-weekly",
        "strong-massage-weekly",
        "adaptive-massage-weekly",
        "education",
        "exercise",
        "cbt",
        "clinic-approach",
    ):
        assert get_plan(name).name == name


# Claim 9: treating several contributing factors together beats treating only the single largest
# one (Cholewicki et al. 2019, 10^6 simulated patients). In this model it holds from three
# randomly chosen factors on; with two it does not (see the README's list of deviations).
def test_treating_three_random_factors_beats_treating_the_single_largest():
    from yotsu.model.factors import factor_effects, factors, resolve, steady_pain

    rng = np.random.default_rng(20190515)
    n = 1500
    spread = {
        "tissue_drive": (1.5, 5.0),
        "avoidance_threshold": (4.0, 8.0),
        "distress_base": (0.05, 0.8),
        "context_pressure": (0.05, 0.9),
        "body_map_ceiling": (0.3, 0.95),
        "gain_init": (1.0, 2.5),
    }
    values = {k: rng.uniform(lo, hi, n) for k, (lo, hi) in spread.items()}
    values["body_map_precision_init"] = values["body_map_ceiling"]
    values["threat_prior_init"] = rng.uniform(2.0, 9.0, n)
    people = PersonParams.from_values(values)
    effects = factor_effects(people, seed=3)
    relief = np.stack(list(effects.relief().values()), axis=1)
    largest_single = relief.max(axis=1)
    chosen = np.zeros((n, len(factors())), dtype=bool)
    for i in range(n):
        chosen[i, rng.choice(len(factors()), 3, replace=False)] = True
    several = effects.baseline - steady_pain(resolve(people, chosen), seed=3)
    assert several.mean() > largest_single.mean() + 0.1
    assert (several > largest_single).mean() > 0.5
