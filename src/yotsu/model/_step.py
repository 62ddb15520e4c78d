"""The daily step: the article's mechanism as equations, written once.

This module is plain Python on floats (``math`` only), so it *is* the per-person reference
implementation; ``_kernel.py`` compiles the very same function with Numba across persons. Each
term names the article section and the evidence key it implements. Field order of the tuples
below is the order of ``data/parameters.yaml`` (a test holds them equal).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from numba.extending import register_jitable

# Scales, not parameters: the ends of the scales the step works in.
NRS_MAX = 10.0  # pain numeric rating scale 0-10
PRESSURE_MAX = 10.0  # perceived massage pressure 0-10
DAYS_PER_YEAR = 365.25


class Params(NamedTuple):
    """One person's parameters (meaning, unit, range and evidence: ``data/parameters.yaml``)."""

    tissue_drive: float
    tissue_noise_sd: float
    tissue_noise_floor: float
    flare_rate: float
    flare_size: float
    flare_half_life: float
    tissue_noise_autocorrelation: float
    injury_size: float
    healing_half_life: float
    sensory_sd: float
    prior_sd: float
    distress_weight: float
    context_weight: float
    uncertainty_weight: float
    margin_learning_share: float
    pain_threshold: float
    pain_half_saturation: float
    threat_prior_init: float
    learning_up: float
    learning_down: float
    safety_learning_at_rest: float
    threat_prior_max: float
    avoidance_threshold: float
    avoidance_steepness: float
    activity_floor: float
    activity_loss_from_pain: float
    exercise_activity: float
    distress_base: float
    distress_from_pain: float
    distress_rate: float
    distress_from_context: float
    distress_relief_by_comfort: float
    context_pressure: float
    context_noise_sd: float
    gain_init: float
    gain_rise: float
    gain_threshold: float
    gain_max: float
    gain_recovery: float
    gain_recovery_from_activity: float
    inhibition_base: float
    inhibition_stress_loss: float
    inhibition_from_conditioning: float
    inhibition_rate: float
    inhibition_max: float
    body_map_precision_init: float
    body_map_ceiling: float
    body_map_use_rate: float
    body_map_training: float
    body_map_rest_share: float
    exercise_body_map_share: float
    body_map_precision_min: float
    guarding_from_danger: float
    guarding_rate: float
    safe_pressure: float
    guarding_per_threat: float
    guarding_ease_by_comfort: float
    threat_learning_share: float
    massage_relief: float
    relief_half_pressure: float
    relief_half_life: float
    tolerance_threshold: float
    tolerance_gain: float
    tolerance_half_life: float
    relief_target: float
    relief_target_cap: float
    chosen_pressure_half_life: float
    conditioning_rate: float
    conditioning_tissue_relief: float
    conditioning_init: float
    conditioning_max: float
    gentle_safety: float
    exercise_safety_share: float
    comfort_safety_share: float
    education_effect: float
    cbt_effect: float
    sleep_care_effect: float
    coping_half_life: float
    coping_distress_relief: float
    expectation_per_session: float
    expectation_half_life: float
    expectation_max: float
    spread_per_gain: float
    spread_reference_pain: float


class State(NamedTuple):
    """One person's state at the start of a day (ARCHITECTURE.md section 2)."""

    tissue: float  # today's nociceptive input (3-1 input 1)
    flare: float  # extra tissue input of a flare-up, fading (episodic course of back pain)
    injury: float  # extra tissue input of the episode's onset, healing away (costa2012, suri2011)
    fluctuation: float  # today's good or bad day of tissue input, SD units, carried into tomorrow (mun2019)
    guarding: float  # protective muscle tension, danger units (3-3, 4-1)
    gain: float  # central gain >= 1 (3-2)
    inhibition: float  # descending inhibition 0..1 (3-2)
    body_map_precision: float  # 0..1, low = blurred (3-1, 5)
    threat_prior: float  # expected danger: memory, fear of re-injury (3-1 input 2)
    distress: float  # anxiety, stress, poor sleep 0..1 (3-1 input 3)
    tolerance: float  # habituation to strong pressure, pressure units (4-2)
    massage_relief: float  # short-lived relief from massage, danger units (2, 4)
    conditioning: float  # fitness and movement habit 0..1.5 (5; exercise)
    coping: float  # coping skills from CBT and sleep care
    expectation: float  # expected relief from care: placebo and context effects
    chosen_pressure: float  # pressure the adaptive policy settled on (4-2 escalation)


class Derived(NamedTuple):
    """Per-person constants computed once from :class:`Params` (so the daily step stays cheap)."""

    relief_keep: float  # fraction of massage relief left after a day
    flare_keep: float
    flare_chance: float  # chance of a flare starting on a given day
    tolerance_keep: float
    coping_keep: float
    expectation_keep: float
    felt_needed: float  # felt pressure that gives the relief a person wants (adaptive policy)
    chosen_pressure_keep: float  # share of the adaptive policy's pressure remembered after a day without it
    healing_keep: float  # share of the onset's tissue input left after a day of healing
    fluctuation_innovation: float  # sqrt(1 - rho^2): the new part of a day's fluctuation, so its SD stays 1


class DayInput(NamedTuple):
    """Care received on one day, the same for every person in a run (doses: sessions that day)."""

    massage_pressure: float  # 0-10 perceived pressure; 0 = no massage
    adaptive_massage: float  # 1 = a massage whose pressure the person chooses ("until it works")
    wanted_relief: float  # relief the adaptive policy presses for, danger units (0 = the person's own)
    max_pressure: float  # the hardest pressure the adaptive policy will use (0 = 10 of 10)
    gentle_manual: float
    nerve_stretch: float
    neuro_training: float
    graded_exercise: float
    education: float
    cbt: float
    sleep_care: float
    sham: float


class Outputs(NamedTuple):
    """What a person reports or shows on a day."""

    pain: float  # NRS 0-10
    movement_restriction: float  # 0-1
    spread: float  # 0-1: how far beyond the low back pain reaches
    activity: float  # 0-1.5: usual activity plus exercise
    context_pressure: float  # today's life pressure 0-1
    pressure: float  # massage pressure applied today (0 if none)
    relief: float  # relief that massage gave today, danger units


@register_jitable(inline="always")
def clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


@register_jitable(inline="always")
def decay(half_life: float) -> float:
    """Fraction of a quantity left after one day."""
    return math.exp(-math.log(2.0) / half_life)


@register_jitable(inline="always")
def felt_for_relief(p: Params, wanted: float) -> float:
    """The felt pressure at which massage gives ``wanted`` relief (inverse of the relief curve)."""
    want = min(wanted, p.relief_target_cap * p.massage_relief)
    return p.relief_half_pressure * want / (p.massage_relief - want) if want > 0.0 else 0.0


@register_jitable(inline="always")
def derive(p: Params) -> Derived:
    """Constants of one person that the daily step needs."""
    return Derived(
        relief_keep=decay(p.relief_half_life),
        flare_keep=decay(p.flare_half_life),
        flare_chance=p.flare_rate / DAYS_PER_YEAR,
        tolerance_keep=decay(p.tolerance_half_life),
        coping_keep=decay(p.coping_half_life),
        expectation_keep=decay(p.expectation_half_life),
        felt_needed=felt_for_relief(p, p.relief_target),
        chosen_pressure_keep=decay(p.chosen_pressure_half_life),
        healing_keep=decay(p.healing_half_life),
        fluctuation_innovation=math.sqrt(1.0 - p.tissue_noise_autocorrelation * p.tissue_noise_autocorrelation),
    )


@register_jitable(inline="always")
def perceive(
    evidence: float,
    evidence_sd: float,
    prior_mean: float,
    prior_sd: float,
    uncertainty_weight: float,
    pain_threshold: float,
    pain_half_saturation: float,
) -> tuple[float, float, float]:
    """The danger judgment: precision-weighted fusion of evidence and expectation.

    Returns (judged danger, weight on the prior, pain NRS 0-10). The weight on the prior is
    ``s²/(s² + p²)`` as in Onysk et al. 2024 (onysk2024) and Tabor et al. 2017 (tabor2017). The
    judged danger is the posterior mean plus a margin for its uncertainty, so an unsure brain
    "brakes harder, just in case" (yotsu_article 3-1; ramne2024); pain is a saturating function
    of the judged danger above a threshold.

    >>> [round(x, 3) for x in perceive(2.0, 1.0, 2.0, 1.0, 0.0, 1.0, 5.0)]
    [2.0, 0.5, 1.667]
    """
    ve = evidence_sd * evidence_sd
    vp = prior_sd * prior_sd
    weight_on_prior = ve / (ve + vp)
    danger = (1.0 - weight_on_prior) * evidence + weight_on_prior * prior_mean
    sd = math.sqrt(ve * vp / (ve + vp))
    judged = danger + uncertainty_weight * sd
    return judged, weight_on_prior, pain_of(judged, pain_threshold, pain_half_saturation)


@register_jitable(inline="always")
def pain_of(danger: float, pain_threshold: float, pain_half_saturation: float) -> float:
    """Pain (NRS 0-10): a saturating function of judged danger above a threshold (tabor2017)."""
    above = max(danger - pain_threshold, 0.0)
    return NRS_MAX * above / (above + pain_half_saturation)


@register_jitable(inline="always")
def judge(
    p: Params,
    tissue: float,
    guarding: float,
    gain: float,
    inhibition: float,
    body_map_precision: float,
    relief: float,
    threat_prior: float,
    distress: float,
    context: float,
    expectation: float,
) -> tuple[float, float, float, float, float]:
    """The day's danger judgment from its four inputs (article 3-1). Returns (judged danger, its
    margin for uncertainty, expected danger, weight on the expectation, pain NRS 0-10)."""
    # Sensory evidence of danger: input amplified by gain, reduced by inhibition (3-1, 3-2).
    evidence = gain * (tissue + guarding) * (1.0 - inhibition)
    # A blurred body map makes that evidence less precise (3-1; moseley2008, ramne2024).
    evidence_sd = p.sensory_sd / math.sqrt(body_map_precision)
    # Expected danger: memory and fear, shifted up by distress and life pressure (3-1 inputs 2-4),
    # down by expected relief from care.
    prior_mean = threat_prior + p.distress_weight * distress + p.context_weight * context - expectation
    danger, weight_on_prior, _ = perceive(
        evidence,
        evidence_sd,
        prior_mean,
        p.prior_sd,
        p.uncertainty_weight,
        p.pain_threshold,
        p.pain_half_saturation,
    )
    # The margin perceive added: the weight times the posterior SD, whose square is the prior's share
    # of the evidence's variance.
    margin = p.uncertainty_weight * evidence_sd * math.sqrt(1.0 - weight_on_prior)
    # Relief (massage) eases the pain felt, as an opponent process, without changing what the
    # brain judges (leknes2008): it does not teach safety by itself.
    return (
        danger,
        margin,
        prior_mean,
        weight_on_prior,
        pain_of(danger - relief, p.pain_threshold, p.pain_half_saturation),
    )


@register_jitable(inline="always")
def tissue_input(p: Params, d: Derived, s: State, z_tissue: float, u_flare: float) -> tuple[float, float, float, float]:
    """Input 1 (3-1): today's flare and tissue input. An episode starts with the tissue input of its
    onset, which heals away at the person's own rate (costa2012, suri2011); back pain runs an episodic
    course: flare-ups come now and then and fade (costa2012, dasilva2019); fitness lowers the input
    (hayden2021cochrane); good and bad days scatter it around its mean, never below
    ``tissue_noise_floor`` of it, and a bad day tends to be followed by another (an AR(1) fluctuation
    with lag-1 correlation ``tissue_noise_autocorrelation`` and SD 1; mun2019). Returns (flare, injury,
    fluctuation, tissue)."""
    flare = s.flare * d.flare_keep + (p.flare_size if u_flare < d.flare_chance else 0.0)
    injury = s.injury * d.healing_keep
    fluctuation = p.tissue_noise_autocorrelation * s.fluctuation + d.fluctuation_innovation * z_tissue
    tissue = (
        (p.tissue_drive + flare + s.injury)
        * (1.0 - p.conditioning_tissue_relief * min(s.conditioning, 1.0))
        * max(1.0 + p.tissue_noise_sd * fluctuation, p.tissue_noise_floor)
    )
    return flare, injury, fluctuation, tissue


@register_jitable(inline="always")
def life_context(p: Params, z_context: float) -> float:
    """Input 4 (3-1): today's life pressure, 0-1."""
    return clip(p.context_pressure + p.context_noise_sd * z_context, 0.0, 1.0)


@register_jitable(inline="always")
def massage(p: Params, d: Derived, s: State, u: DayInput) -> tuple[float, float, float, float]:
    """Massage (2, 3-3, 4). Returns (pressure, relief given, threat, comfort). Pressure beyond what
    this brain reads as safe is a threat; sensitised brains read less as safe; tolerance makes the
    same pressure feel weaker (yotsu_article)."""
    pressure = u.massage_pressure
    if u.adaptive_massage > 0.0:
        # "Press until it feels like it worked": the felt pressure that gives the wanted relief,
        # on top of what tolerance absorbs; never lighter than last time (4-2 escalation).
        felt_needed = d.felt_needed if u.wanted_relief <= 0.0 else felt_for_relief(p, u.wanted_relief)
        ceiling = u.max_pressure if u.max_pressure > 0.0 else PRESSURE_MAX
        pressure = min(max(s.chosen_pressure, s.tolerance + felt_needed), ceiling)
    felt = max(pressure - s.tolerance, 0.0)
    relief_given = p.massage_relief * felt / (felt + p.relief_half_pressure) if pressure > 0.0 else 0.0
    safe = p.safe_pressure / s.gain + s.tolerance
    threat = max(pressure - safe, 0.0)
    comfort = clip(1.0 - threat / safe, 0.0, 1.0) if pressure > 0.0 else 0.0  # 1 = wholly comfortable
    return pressure, relief_given, threat, comfort


@register_jitable(inline="always")
def expectation_after(p: Params, s: State, sessions: float) -> float:
    """Each care session raises expected relief, up to a ceiling (pedersen2024, strijkers2021)."""
    return s.expectation + p.expectation_per_session * min(sessions, 1.0) * max(
        1.0 - s.expectation / p.expectation_max, 0.0
    )


@register_jitable(inline="always")
def activity_of(p: Params, threat_prior: float, pain: float, exercise: float) -> tuple[float, float]:
    """Fear-avoidance: expected danger cuts usual activity in a smooth step down to
    ``activity_floor`` (vlaeyen2000); pain cuts it further; exercise adds to it. Returns (usual
    activity, activity)."""
    fear_excess = p.avoidance_steepness * (threat_prior - p.avoidance_threshold)
    usual_activity = p.activity_floor + (1.0 - p.activity_floor) * (
        0.5 - 0.5 * fear_excess / (1.0 + abs(fear_excess))  # a sigmoid 1 -> 0
    )
    activity = (
        usual_activity * (1.0 - p.activity_loss_from_pain * pain / NRS_MAX) + min(exercise, 1.0) * p.exercise_activity
    )
    return usual_activity, activity


@register_jitable(inline="always")
def learn_threat_prior(
    p: Params,
    s: State,
    danger: float,
    margin: float,
    prior_mean: float,
    weight_on_prior: float,
    activity: float,
    education: float,
    gentle: float,
    exercise: float,
    comfort: float,
    threat: float,
) -> float:
    """Learning by prediction error on the danger as judged, so expectations that shape perception
    confirm themselves (jepma2018, ramne2024): worse-than-expected days confirm danger; better ones
    teach safety fully only when movement happens (vlaeyen2016; ``safety_learning_at_rest`` of it
    at rest). Education and gentle, safe input lower expected danger directly (who2023,
    bialosky2009), and strong pressure teaches danger. Distress, life pressure and expected relief
    shift today's judgment (3-1 inputs 3 and 4) but are not memories of danger: the prior learns
    from the judgment the person would have made without them. The margin for uncertainty is learned
    in the share ``margin_learning_share``: at 1 the brain remembers the day as judged, "just in case"
    included (the first version of this model); at 0 it learns from the posterior mean of danger, as
    in Onysk et al. 2024 (onysk2024), and the margin brakes today without raising tomorrow's
    expectation."""
    shifts = prior_mean - s.threat_prior
    error = danger - (1.0 - p.margin_learning_share) * margin - weight_on_prior * shifts - s.threat_prior
    if error > 0.0:
        threat_prior = s.threat_prior + p.learning_up * error
    else:
        moved = p.safety_learning_at_rest + (1.0 - p.safety_learning_at_rest) * min(activity, 1.0)
        threat_prior = s.threat_prior + p.learning_down * moved * error
    threat_prior = threat_prior * (1.0 - p.education_effect * min(education, 1.0))
    threat_prior = threat_prior - p.gentle_safety * (
        min(gentle, 1.0) + p.exercise_safety_share * min(exercise, 1.0) + p.comfort_safety_share * comfort
    )
    return clip(
        threat_prior + p.threat_learning_share * p.guarding_per_threat * threat * s.gain, 0.0, p.threat_prior_max
    )


@register_jitable(inline="always")
def guarding_after(p: Params, s: State, danger: float, threat: float, comfort: float, gentle: float) -> float:
    """Guarding follows judged danger (hodges2011), rises with threatening pressure, eases with
    comfortable or gentle touch (yotsu_article 3-3, 4-1)."""
    guarding = s.guarding + p.guarding_rate * (p.guarding_from_danger * danger - s.guarding)
    return max(
        guarding
        + p.guarding_per_threat * threat
        - p.guarding_ease_by_comfort * (comfort + min(gentle, 1.0)) * s.guarding,
        0.0,
    )


@register_jitable(inline="always")
def tolerance_after(p: Params, d: Derived, s: State, pressure: float) -> float:
    """Tolerance: repeated strong pressure habituates (groves1970, solomon1974; yotsu_article 4-2)."""
    return s.tolerance * d.tolerance_keep + p.tolerance_gain * max(pressure - s.tolerance - p.tolerance_threshold, 0.0)


@register_jitable(inline="always")
def gain_after(p: Params, s: State, pain: float, activity: float) -> float:
    """Central gain (3-2): sustained pain sensitises (woolf2011); safety, sleep and movement settle it."""
    safety = (1.0 - s.distress) * (1.0 + p.gain_recovery_from_activity * min(activity, 1.0))
    gain = s.gain + p.gain_rise * max(pain - p.gain_threshold, 0.0) / NRS_MAX * (p.gain_max - s.gain)
    return clip(gain - p.gain_recovery * safety * (s.gain - 1.0), 1.0, p.gain_max)


@register_jitable(inline="always")
def distress_after(
    p: Params, d: Derived, s: State, u: DayInput, pain: float, context: float, comfort: float
) -> tuple[float, float]:
    """Input 3 (3-1): distress follows its causes; coping skills (CBT, sleep care) and comfort lower
    it (finan2013). Returns (coping, distress)."""
    coping = s.coping * d.coping_keep + p.cbt_effect * u.cbt + p.sleep_care_effect * u.sleep_care
    distress_target = p.distress_base + p.distress_from_pain * pain / NRS_MAX + p.distress_from_context * context
    distress_target = distress_target - p.coping_distress_relief * coping - p.distress_relief_by_comfort * comfort
    return coping, clip(s.distress + p.distress_rate * (distress_target - s.distress), 0.0, 1.0)


@register_jitable(inline="always")
def inhibition_after(p: Params, s: State) -> float:
    """Descending inhibition (3-2): weakened by distress, strengthened by conditioning (ossipov2010,
    naugle2012)."""
    target = p.inhibition_base * (1.0 - p.inhibition_stress_loss * s.distress)
    target = target + p.inhibition_from_conditioning * min(s.conditioning, 1.0)
    return clip(s.inhibition + p.inhibition_rate * (target - s.inhibition), 0.0, p.inhibition_max)


@register_jitable(inline="always")
def body_map_after(p: Params, s: State, u: DayInput, activity: float) -> float:
    """Body map (3-1, 5): kept sharp by use, sharpened by neuro-training and, less, by graded
    exercise (moseley2008, bagg2022)."""
    use = p.body_map_rest_share + (1.0 - p.body_map_rest_share) * min(activity, 1.0)
    precision = s.body_map_precision + p.body_map_use_rate * (p.body_map_ceiling * use - s.body_map_precision)
    train = u.neuro_training + p.exercise_body_map_share * u.graded_exercise
    return clip(precision + p.body_map_training * train * (1.0 - precision), p.body_map_precision_min, 1.0)


@register_jitable(inline="always")
def spread_of(p: Params, gain: float, pain: float) -> float:
    """How far pain reaches beyond the low back, 0-1 (woolf2011)."""
    reach = p.spread_per_gain * (gain - 1.0) * pain / p.spread_reference_pain
    return reach / (1.0 + reach)


@register_jitable(inline="always")
def step(
    s: State, p: Params, d: Derived, u: DayInput, z_tissue: float, z_context: float, u_flare: float
) -> tuple[State, Outputs]:
    """Advance one person by one day. ``z_*`` are this person's standard-normal draws for the day and
    ``u_flare`` a uniform one."""
    flare, injury, fluctuation, tissue = tissue_input(p, d, s, z_tissue, u_flare)
    context = life_context(p, z_context)
    pressure, relief_given, threat, comfort = massage(p, d, s, u)
    gentle = u.gentle_manual + u.nerve_stretch
    exercise = u.graded_exercise + u.neuro_training
    sessions = (pressure > 0.0) + gentle + exercise + u.education + u.cbt + u.sleep_care + u.sham
    massage_relief = s.massage_relief + relief_given
    expectation = expectation_after(p, s, sessions)
    danger, margin, prior_mean, weight_on_prior, pain = judge(
        p,
        tissue,
        s.guarding,
        s.gain,
        s.inhibition,
        s.body_map_precision,
        massage_relief,
        s.threat_prior,
        s.distress,
        context,
        expectation,
    )
    usual_activity, activity = activity_of(p, s.threat_prior, pain, exercise)
    threat_prior = learn_threat_prior(
        p, s, danger, margin, prior_mean, weight_on_prior, activity, u.education, gentle, exercise, comfort, threat
    )
    coping, distress = distress_after(p, d, s, u, pain, context, comfort)
    conditioning = s.conditioning + p.conditioning_rate * (activity - s.conditioning)
    # The pressure the person has come to expect is forgotten when the adaptive massage stops (4-2).
    chosen_pressure = pressure if u.adaptive_massage > 0.0 else s.chosen_pressure * d.chosen_pressure_keep
    new = State(
        tissue=tissue,
        flare=flare,
        injury=injury,
        fluctuation=fluctuation,
        guarding=guarding_after(p, s, danger, threat, comfort, gentle),
        gain=gain_after(p, s, pain, activity),
        inhibition=inhibition_after(p, s),
        body_map_precision=body_map_after(p, s, u, activity),
        threat_prior=threat_prior,
        distress=distress,
        tolerance=tolerance_after(p, d, s, pressure),
        massage_relief=massage_relief * d.relief_keep,
        conditioning=clip(conditioning, 0.0, p.conditioning_max),
        coping=coping,
        expectation=expectation * d.expectation_keep,
        chosen_pressure=chosen_pressure,
    )
    out = Outputs(
        pain=pain,
        movement_restriction=clip(1.0 - usual_activity * (1.0 - p.activity_loss_from_pain * pain / NRS_MAX), 0.0, 1.0),
        spread=spread_of(p, s.gain, pain),
        activity=activity,
        context_pressure=context,
        pressure=pressure,
        relief=relief_given,
    )
    return new, out


@register_jitable(inline="always")
def initial_state(p: Params) -> State:
    """The state a person starts the warm-up from."""
    return State(
        tissue=p.tissue_drive + p.injury_size,
        flare=0.0,
        injury=p.injury_size,
        fluctuation=0.0,
        guarding=p.guarding_from_danger * p.threat_prior_init,
        gain=p.gain_init,
        inhibition=p.inhibition_base,
        body_map_precision=p.body_map_precision_init,
        threat_prior=p.threat_prior_init,
        distress=p.distress_base,
        tolerance=0.0,
        massage_relief=0.0,
        conditioning=p.conditioning_init,
        coping=0.0,
        expectation=0.0,
        chosen_pressure=0.0,
    )
