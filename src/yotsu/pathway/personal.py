"""The personal model: fit the mechanism to one person's diary, and forecast their course under each plan.

What is fitted is a reduced state-space form of the model (``MODEL-REVIEW.md``, "Personal model"), reduced as
far as a diary can identify it:

- the **slow level**: the brain's general danger level (threat prior, sensitisation and body-map blur together),
  a random walk that moves over weeks. A diary of pain alone cannot split it into tissue input, gain and
  inhibition, or tell the learned prior from the uncertainty margin: that is said, not guessed
  (:data:`NOT_IDENTIFIABLE`);
- the **flare**: ups and downs that fade over days (AR(1));
- **covariates**: poorer sleep and more stress than a reference press the brake (``finan2013``, ``alsaadi2014``);
- **massage**: relief right after a session that fades with a half-life, shrinks as pressure adds up
  (tolerance), and strong sessions that raise the slow level (escalation) — the article's mechanism;
- **active care** (exercise, neuro-training, education, CBT, gentle manual work, sleep care): the population's
  effect per kind from the evidence, scaled by the person's own response;
- the **observation**: the day's 0-10 rating with reporting noise (Gaussian; the rating's floor and ceiling
  are not modelled in the likelihood, and forecasts are clipped to 0-10). Logged relief ratings and durations
  are observations of the massage terms.

Inference: the exact marginal likelihood by a Kalman filter (``_personal_filter``), the posterior mode by
L-BFGS-B, and a Laplace approximation around it (``method="laplace"``, the default). Two alternatives are
kept and measured against it by ``benchmarks/bench_personal.py``: the Laplace proposal corrected by importance
sampling (``"laplace_is"``) and ensemble MCMC with emcee (``"emcee"``, the reference, 20x slower). On 200
simulated persons the default's 80% intervals held the truth 0.767 of the time (laplace_is 0.755, emcee on
40 persons 0.750), at 0.5 s a fit: as calibrated as the reference, so the simplest is the default. Priors are the
population's (``data/personal.yaml``), so a new patient starts there and moves with their own data; with
fewer than ``min_pain_days`` recorded pain days the answer is the population's, labelled as such.
Red flags stop everything: no forecast is made while one is open. This is a model estimate, never a diagnosis.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field
from scipy import optimize
from threadpoolctl import threadpool_limits

from yotsu.i18n import LocalText, gettext
from yotsu.model import Plan, get_plan
from yotsu.pathway._common import Evidence, PathwayError, load_model, package_data
from yotsu.pathway._personal_filter import kalman_loglik
from yotsu.pathway.diary import DayEntry, Diary, Session
from yotsu.pathway.explain import Explanation

Method = Literal["laplace", "laplace_is", "emcee"]
DEFAULT_PLANS: tuple[str, ...] = ("none", "comfortable-massage-weekly", "strong-massage-weekly", "clinic-approach")
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


class PersonalModelError(PathwayError, ValueError):
    """A personal fit that cannot be made as asked."""

    template = "personal model: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Prior(_Frozen):
    """One fitted parameter: its prior on the fitting scale, its range, unit, meaning and evidence."""

    transform: Literal["log", "logit", "identity"]
    prior_mean: float
    prior_sd: float = Field(gt=0)
    range: tuple[float, float]
    unit: str
    meaning: LocalText
    evidence: Evidence


class ActiveCare(_Frozen):
    """The population's effect of one kind of active care: full effect (NRS points) and sessions to half of it."""

    full_effect: float = Field(ge=0, le=5)
    half_sessions: float = Field(gt=0, le=100)
    evidence: Evidence


class Constant(_Frozen):
    """A named constant of the observation or decision rules."""

    value: float
    unit: str
    meaning: str
    evidence: Evidence


class PersonalSpec(_Frozen):
    parameters: dict[str, Prior]
    active_care: dict[str, ActiveCare]
    constants: dict[str, Constant]


@cache
def spec() -> PersonalSpec:
    """The personal model's parameters, active-care effects and constants (``data/personal.yaml``)."""
    return load_model(package_data("yotsu.pathway", "personal.yaml"), PersonalSpec)


def constant(name: str) -> float:
    return spec().constants[name].value


PARAMETERS: tuple[str, ...] = (
    "slow_drift_sd",
    "flare_persistence",
    "flare_sd",
    "report_sd",
    "sleep_effect",
    "stress_effect",
    "massage_relief",
    "relief_half_life",
    "relief_tolerance",
    "escalation",
    "active_care_response",
)

#: What a diary cannot tell apart, stated rather than guessed.
NOT_IDENTIFIABLE: tuple[LocalText, ...] = (
    LocalText(
        en="From pain ratings alone the slow level cannot be split into tissue input, the nervous system's gain "
        "(sensitisation) and the brain's own pain inhibition; questionnaires (CSI) and in-clinic tests help.",
        ja="痛みの記録だけでは、ゆっくりした痛みの水準を「体からの信号」「神経の感度（感作）」「脳の痛みを抑える力」に"
        "分けることはできません。質問票（CSI）や院内の検査が手がかりになります。",
    ),
    LocalText(
        en="How blurred the body map is needs the body-map tasks (left/right judgement, two-point discrimination).",
        ja="ボディマップのぼやけ具合は、ボディマップの課題（左右判断・二点識別）で調べる必要があります。",
    ),
    LocalText(
        en="Whether pain comes from a learned expectation of danger or from uncertainty needs the fear and "
        "catastrophising questionnaires (TSK, PCS) or expectation ratings.",
        ja="痛みが「危険だという思い込み（学習）」から来るのか「不確かさ」から来るのかは、恐怖や破局的思考の"
        "質問票（TSK・PCS）や期待の評価が必要です。",
    ),
)


# -- transforms --------------------------------------------------------------------------------------------
def _to_natural(prior: Prior, u: NDArray[np.float64] | float) -> Any:
    if prior.transform == "log":
        return np.exp(u)
    if prior.transform == "logit":
        return 1.0 / (1.0 + np.exp(-np.asarray(u)))
    return u


def _to_fit(prior: Prior, x: float) -> float:
    if prior.transform == "log":
        return math.log(x)
    if prior.transform == "logit":
        return math.log(x / (1.0 - x))
    return x


def _bounds() -> list[tuple[float, float]]:
    priors = spec().parameters
    return [(_to_fit(priors[p], priors[p].range[0]), _to_fit(priors[p], priors[p].range[1])) for p in PARAMETERS]


def _prior_arrays() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    priors = spec().parameters
    return (
        np.array([priors[p].prior_mean for p in PARAMETERS]),
        np.array([priors[p].prior_sd for p in PARAMETERS]),
    )


def natural(u: NDArray[np.float64]) -> dict[str, float]:
    """Parameters on their natural scale from a vector on the fitting scale."""
    priors = spec().parameters
    return {p: float(_to_natural(priors[p], u[i])) for i, p in enumerate(PARAMETERS)}


# -- the diary as arrays --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _SessionArrays:
    """Sessions as arrays: day index, kind, pressure (massage) and dose."""

    day: NDArray[np.float64]
    kind: tuple[str, ...]
    pressure: NDArray[np.float64]

    def of_kind(self, kind: str) -> NDArray[np.bool_]:
        return np.array([k == kind for k in self.kind], dtype=bool)

    def extended(self, day: Sequence[float], kind: Sequence[str], pressure: Sequence[float]) -> _SessionArrays:
        return _SessionArrays(
            np.concatenate([self.day, np.asarray(day, float)]),
            self.kind + tuple(kind),
            np.concatenate([self.pressure, np.asarray(pressure, float)]),
        )


@dataclass(frozen=True)
class DiaryArrays:
    """A diary as daily arrays from its first day (day 0) to ``as_of`` (the last day, inclusive)."""

    start: dt.date
    pain: NDArray[np.float64]
    sleep: NDArray[np.float64]
    stress: NDArray[np.float64]
    sessions: _SessionArrays
    logged_relief: tuple[tuple[int, float], ...]  # (index among massage sessions, relief 0-10)
    logged_relief_days: tuple[tuple[int, float], ...]

    @property
    def days(self) -> int:
        return int(self.pain.shape[0])

    @property
    def pain_days(self) -> int:
        return int(np.sum(~np.isnan(self.pain)))


def diary_arrays(diary: Diary, as_of: dt.date | None = None) -> DiaryArrays:
    """Daily arrays of pain, sleep and stress (NaN = not recorded) and the sessions, up to ``as_of``."""
    dates = [d.date for d in diary.days] + [s.date for s in diary.sessions]
    if not dates:
        raise PersonalModelError(detail="the diary has no days and no sessions")
    start = min(dates)
    end = as_of or max(dates)
    if end < start:
        raise PersonalModelError(detail=f"as_of {end} is before the diary's first day {start}")
    n = (end - start).days + 1
    pain, sleep, stress = (np.full(n, np.nan) for _ in range(3))
    for day in diary.days:
        i = (day.date - start).days
        if i >= n:
            continue
        for arr, value in ((pain, day.pain_nrs), (sleep, day.sleep_quality), (stress, day.stress)):
            if value is not None:
                arr[i] = value
    kept = [s for s in diary.sessions if (s.date - start).days < n]
    unknown = constant("unknown_pressure")
    sessions = _SessionArrays(
        np.array([(s.date - start).days for s in kept], dtype=float),
        tuple(str(s.kind) for s in kept),
        np.array([s.pressure if s.pressure is not None else unknown for s in kept], dtype=float),
    )
    massage = [s for s in kept if s.kind == "massage"]
    relief = tuple((j, float(s.relief)) for j, s in enumerate(massage) if s.relief is not None)
    relief_days = tuple((j, float(s.relief_days)) for j, s in enumerate(massage) if s.relief_days is not None)
    return DiaryArrays(start, pain, sleep, stress, sessions, relief, relief_days)


def _filled(values: NDArray[np.float64], reference: float) -> NDArray[np.float64]:
    """Missing covariate days take the person's own mean (the reference if never recorded)."""
    seen = values[~np.isnan(values)]
    fill = float(seen.mean()) if seen.size else reference
    return np.where(np.isnan(values), fill, values)


# -- the mean path: covariates and care -------------------------------------------------------------------
@dataclass(frozen=True)
class _Terms:
    """The mean path's terms per day (NRS points; relief and active care are reductions)."""

    sleep: NDArray[np.float64]
    stress: NDArray[np.float64]
    relief: NDArray[np.float64]
    escalation: NDArray[np.float64]
    active: NDArray[np.float64]
    massage_relief_each: NDArray[np.float64]  # the relief of each massage session right after it

    @property
    def total(self) -> NDArray[np.float64]:
        return self.sleep + self.stress - self.relief + self.escalation - self.active


def _terms(
    theta: dict[str, float],
    n_days: int,
    sleep: NDArray[np.float64],
    stress: NDArray[np.float64],
    sessions: _SessionArrays,
) -> _Terms:
    t = np.arange(n_days, dtype=float)
    sleep_term = theta["sleep_effect"] * (constant("sleep_reference") - sleep)
    stress_term = theta["stress_effect"] * (stress - constant("stress_reference"))
    is_massage = sessions.of_kind("massage")
    m_day, m_pressure = sessions.day[is_massage], sessions.pressure[is_massage]
    # Tolerance: each session's relief shrinks with the pressure of the sessions before it (yotsu_article).
    pressure_before = np.concatenate([[0.0], np.cumsum(m_pressure)[:-1]]) if m_day.size else np.zeros(0)
    each = theta["massage_relief"] * np.exp(-theta["relief_tolerance"] * pressure_before / 10.0)
    relief = np.zeros(n_days)
    escalation = np.zeros(n_days)
    if m_day.size:
        lag = t[:, None] - m_day[None, :]
        decay = np.where(lag >= 0, np.exp2(-np.maximum(lag, 0.0) / theta["relief_half_life"]), 0.0)
        relief = decay @ each
        strong = (m_pressure >= constant("strong_pressure")).astype(float)
        # Escalation from the day after a strong session: the brain reads it as a threat (yotsu_article).
        escalation = theta["escalation"] * ((lag > 0).astype(float) @ strong)
    active = np.zeros(n_days)
    for kind, care in spec().active_care.items():
        mask = sessions.of_kind(kind)
        if not mask.any():
            continue
        done = (t[:, None] > sessions.day[mask][None, :]).sum(axis=1)
        active += care.full_effect * (1.0 - np.exp2(-done / care.half_sessions))
    active *= theta["active_care_response"]
    return _Terms(sleep_term, stress_term, relief, escalation, active, each)


# -- the posterior ---------------------------------------------------------------------------------------
class _Posterior:
    """The log posterior of one diary, on the fitting scale."""

    def __init__(self, arrays: DiaryArrays, prior_means: Mapping[str, float] | None = None) -> None:
        self.a = arrays
        self.sleep = _filled(arrays.sleep, constant("sleep_reference"))
        self.stress = _filled(arrays.stress, constant("stress_reference"))
        self.mean, self.sd = _prior_arrays()
        priors = spec().parameters
        for name, value in (prior_means or {}).items():
            if name not in priors:
                raise PersonalModelError(detail=f"prior for {name!r}: the parameters are {', '.join(PARAMETERS)}")
            lo, hi = priors[name].range
            if not (math.isfinite(value) and lo <= value <= hi):
                raise PersonalModelError(detail=f"prior for {name} = {value} is outside its range {lo}-{hi}")
            self.mean[PARAMETERS.index(name)] = _to_fit(priors[name], value)
        seen = arrays.pain[~np.isnan(arrays.pain)]
        first = seen[: min(7, seen.size)]
        self.slow0 = float(first.mean()) if seen.size else constant("population_pain")
        self.relief_sd = constant("logged_relief_sd")
        self.relief_days_sd = constant("logged_relief_days_log_sd")

    def terms(self, theta: dict[str, float]) -> _Terms:
        return _terms(theta, self.a.days, self.sleep, self.stress, self.a.sessions)

    def filtered(self, u: NDArray[np.float64]) -> tuple[float, tuple[float, float, float, float, float], _Terms]:
        theta = natural(u)
        terms = self.terms(theta)
        out = kalman_loglik(
            self.a.pain - terms.total,
            theta["slow_drift_sd"],
            theta["flare_persistence"],
            theta["flare_sd"],
            theta["report_sd"],
            self.slow0 - float(terms.total[0]),
            constant("initial_level_sd"),
            constant("rounding_variance"),
        )
        return float(out[0]), (out[1], out[2], out[3], out[4], out[5]), terms

    def log_prior(self, u: NDArray[np.float64]) -> float:
        z = (u - self.mean) / self.sd
        return float(-0.5 * np.sum(z * z))

    def log_likelihood(self, u: NDArray[np.float64]) -> float:
        """The diary's pain (Kalman marginal) plus the logged relief ratings and durations."""
        loglik, _, terms = self.filtered(u)
        each = terms.massage_relief_each
        for j, relief in self.a.logged_relief:
            loglik -= 0.5 * ((relief - each[j]) / self.relief_sd) ** 2
        if self.a.logged_relief_days:
            half_life = float(natural(u)["relief_half_life"])
            for _, days in self.a.logged_relief_days:
                z = (math.log(max(days, 0.25)) - math.log(2.0 * half_life)) / self.relief_days_sd
                loglik -= 0.5 * z * z
        return loglik

    def __call__(self, u: NDArray[np.float64]) -> float:
        value = self.log_prior(u) + self.log_likelihood(u)
        return value if math.isfinite(value) else -1e300


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """The fit's matrices are tiny: BLAS threads only contend (measured 1.5 s -> 0.9 s per fit under load)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _mode(post: _Posterior) -> NDArray[np.float64]:
    bounds = _bounds()
    lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    start = np.clip(post.mean, lo + 1e-6, hi - 1e-6)
    result = optimize.minimize(lambda u: -post(u), start, method="L-BFGS-B", bounds=bounds)
    return np.asarray(result.x, dtype=float)


def _hessian(f: Any, u: NDArray[np.float64], step: float = 1e-3) -> NDArray[np.float64]:
    n = u.size
    h = np.zeros((n, n))
    f0 = f(u)
    e = np.eye(n) * step
    for i in range(n):
        h[i, i] = (f(u + e[i]) - 2 * f0 + f(u - e[i])) / step**2
        for j in range(i + 1, n):
            h[i, j] = h[j, i] = (f(u + e[i] + e[j]) - f(u + e[i] - e[j]) - f(u - e[i] + e[j]) + f(u - e[i] - e[j])) / (
                4 * step**2
            )
    return h


def _laplace_cov(post: _Posterior, mode: NDArray[np.float64]) -> NDArray[np.float64]:
    precision = -_hessian(post, mode)
    values, vectors = np.linalg.eigh((precision + precision.T) / 2)
    # A direction the data do not curve (or a mode on a bound) keeps at least the prior's precision.
    values = np.maximum(values, 1.0 / float(np.max(post.sd)) ** 2)
    cov = (vectors / values) @ vectors.T
    return np.asarray(cov, dtype=float)


def _draws(
    post: _Posterior, method: Method, n: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Posterior draws on the fitting scale, and the mode."""
    mode = _mode(post)
    cov = _laplace_cov(post, mode)
    bounds = np.array(_bounds())
    if method == "laplace":
        draws = rng.multivariate_normal(mode, cov, size=n)
        return np.clip(draws, bounds[:, 0], bounds[:, 1]), mode
    if method == "emcee":
        return _emcee_draws(post, mode, cov, bounds, n, rng), mode
    # Importance sampling from a widened Laplace proposal (Student t, 5 df), with truncated weights.
    df, k = 5.0, mode.size
    chol = np.linalg.cholesky(cov * 1.3)
    z = rng.standard_normal((n * 2, k))
    scale = np.sqrt(df / rng.chisquare(df, size=(n * 2, 1)))
    proposal = mode + (z * scale) @ chol.T
    proposal = np.clip(proposal, bounds[:, 0], bounds[:, 1])
    inv = np.linalg.inv(chol @ chol.T)
    dev = proposal - mode
    log_q = -0.5 * (df + k) * np.log1p(np.einsum("ij,jk,ik->i", dev, inv, dev) / df)
    log_p = np.array([post(u) for u in proposal])
    log_w = log_p - log_q
    w = np.exp(log_w - log_w.max())
    w = np.minimum(w, w.mean() * math.sqrt(w.size))  # truncated importance sampling (Ionides 2008)
    w /= w.sum()
    idx = rng.choice(w.size, size=n, p=w)
    return proposal[idx], mode


def _emcee_draws(
    post: _Posterior,
    mode: NDArray[np.float64],
    cov: NDArray[np.float64],
    bounds: NDArray[np.float64],
    n: int,
    rng: np.random.Generator,
    steps: int = 1500,
    burn: int = 500,
) -> NDArray[np.float64]:
    """The reference: affine-invariant ensemble MCMC (emcee, Foreman-Mackey 2013) started around the mode."""
    try:
        import emcee
    except ImportError:  # pragma: no cover - emcee comes with the pathway extra
        raise PersonalModelError(
            detail="method 'emcee' needs the emcee package (pip install 'yotsu[pathway]')"
        ) from None
    k = mode.size
    walkers = max(32, 2 * k + 2)

    def log_prob(u: NDArray[np.float64]) -> float:
        if np.any(u < bounds[:, 0]) or np.any(u > bounds[:, 1]):
            return -np.inf
        return post(u)

    start = np.clip(rng.multivariate_normal(mode, cov * 0.25, size=walkers), bounds[:, 0] + 1e-9, bounds[:, 1] - 1e-9)
    sampler = emcee.EnsembleSampler(walkers, k, log_prob)
    state = np.random.RandomState(int(rng.integers(2**31))).get_state()  # emcee's own generator, seeded from ours
    sampler.run_mcmc(start, steps, rstate0=state, progress=False)
    chain = sampler.get_chain(discard=burn, flat=True)
    return np.asarray(chain[rng.choice(chain.shape[0], size=n, replace=False)], dtype=float)


# -- results ---------------------------------------------------------------------------------------------
class Interval(_Frozen):
    median: float
    low: float  # 10th percentile
    high: float  # 90th percentile


def _interval(values: NDArray[np.float64]) -> Interval:
    lo, med, hi = np.quantile(values, [0.1, 0.5, 0.9])
    return Interval(median=round(float(med), 3), low=round(float(lo), 3), high=round(float(hi), 3))


class Forecast(_Frozen):
    """One plan's forecast: weekly mean pain over 12 weeks with 50% and 80% bands."""

    plan: str
    title: LocalText
    weeks: tuple[int, ...]
    median: tuple[float, ...]
    band50: tuple[tuple[float, float], ...]
    band80: tuple[tuple[float, float], ...]
    p_improvement: float = Field(ge=0, le=1)


class Driver(_Frozen):
    """One thing that presses (positive) or eases (negative) the person's pain, in NRS points."""

    id: str
    label: LocalText
    points: Interval
    evidence: Evidence


class MassageResponse(_Frozen):
    sessions: int
    relief_first: Interval  # NRS points just after the first logged session
    relief_now: Interval  # just after the next session, given the pressure so far
    half_life_days: Interval
    ratio_now_to_first: Interval
    trend: Literal["shrinking", "steady", "unclear"]


class Informed(_Frozen):
    parameter: str
    meaning: LocalText
    unit: str
    prior: Interval
    posterior: Interval
    width_ratio: float  # posterior SD / prior SD on the fitting scale
    informed: bool
    evidence: Evidence


class NOf1(_Frozen):
    """A suggestion: two blocks of two weeks would tell these two plans apart for this person."""

    plans: tuple[str, str]
    expected_difference: float  # NRS points between the blocks' mean pain
    signal_to_noise: float
    text: LocalText


class PersonalFit(_Frozen):
    """What the personal model says about one diary. A model estimate, never a diagnosis."""

    source: Literal["diary", "population"]
    as_of: dt.date
    pain_days: int
    method: str
    red_flag: bool
    message: LocalText
    forecasts: tuple[Forecast, ...]
    baseline_pain: float
    drivers: tuple[Driver, ...]
    massage: MassageResponse | None
    informed: tuple[Informed, ...]
    not_identifiable: tuple[LocalText, ...]
    n_of_1: NOf1 | None
    disclaimer: LocalText

    def to_json(self) -> dict[str, Any]:
        """The JSON contract (README, "The personal model")."""
        return self.model_dump(mode="json")


def _both(msgid: str, **fmt: object) -> LocalText:
    return LocalText(en=gettext(msgid, "en", **fmt), ja=gettext(msgid, "ja", **fmt))


# -- forecasting ------------------------------------------------------------------------------------------
def _plan_sessions(
    plan_name: str | Plan, horizon: int, start: int, last_pressure: float
) -> tuple[list[float], list[str], list[float]]:
    plan = get_plan(plan_name)
    days: list[float] = []
    kinds: list[str] = []
    pressures: list[float] = []
    pressure = max(last_pressure, constant("unknown_pressure"))
    for day, session in plan.schedule():
        if day >= horizon:
            continue
        if session.pressure == "adaptive":  # pressing harder each time, up to the session's cap
            pressure = min(session.max_pressure or 10.0, pressure + 0.5)
            p = pressure
        else:
            p = float(session.pressure) if session.pressure is not None else 0.0
        days.append(float(start + day))
        kinds.append(session.kind)
        pressures.append(p)
    return days, kinds, pressures


def _simulate_forward(
    post: _Posterior,
    draws: NDArray[np.float64],
    states: NDArray[np.float64],
    sessions: _SessionArrays,
    horizon: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Daily pain (draws x horizon days) after the diary's last day, with process and reporting noise."""
    n_days = post.a.days + horizon
    recent = slice(max(0, post.a.days - 28), post.a.days)
    sleep = np.concatenate([post.sleep, np.full(horizon, post.sleep[recent].mean())])
    stress = np.concatenate([post.stress, np.full(horizon, post.stress[recent].mean())])
    out = np.empty((draws.shape[0], horizon))
    for i, u in enumerate(draws):
        theta = natural(u)
        total = _terms(theta, n_days, sleep, stress, sessions).total
        slow, flare = states[i, 0], states[i, 1]
        shocks = rng.standard_normal((horizon, 3))
        for h in range(horizon):
            slow += theta["slow_drift_sd"] * shocks[h, 0]
            flare = theta["flare_persistence"] * flare + theta["flare_sd"] * shocks[h, 1]
            out[i, h] = slow + flare + total[post.a.days + h] + theta["report_sd"] * shocks[h, 2]
    return np.clip(np.round(out), 0.0, 10.0)  # ratings are whole numbers on 0-10


def _states(post: _Posterior, draws: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.float64]:
    """(slow, flare) on the diary's last day for each draw, from the filter at that draw's parameters."""
    states = np.empty((draws.shape[0], 2))
    for i, u in enumerate(draws):
        _, (m0, m1, p00, p01, p11), _ = post.filtered(u)
        cov = np.array([[p00, p01], [p01, p11]])
        states[i] = rng.multivariate_normal([m0, m1], cov + np.eye(2) * 1e-9)
    return states


def _forecast(
    post: _Posterior,
    draws: NDArray[np.float64],
    states: NDArray[np.float64],
    plans: Sequence[str | Plan],
    baseline: float,
    rng: np.random.Generator,
) -> tuple[tuple[Forecast, ...], dict[str, NDArray[np.float64]]]:
    horizon = int(constant("forecast_days"))
    m = post.a.sessions.of_kind("massage")
    last_pressure = float(post.a.sessions.pressure[m][-1]) if m.any() else constant("unknown_pressure")
    forecasts, weekly_by_plan = [], {}
    for given in plans:
        plan = get_plan(given)
        name = plan.name
        extra = _plan_sessions(plan, horizon, post.a.days, last_pressure)
        daily = _simulate_forward(post, draws, states, post.a.sessions.extended(*extra), horizon, rng)
        weekly = daily.reshape(draws.shape[0], horizon // 7, 7).mean(axis=2)
        weekly_by_plan[name] = weekly
        q = np.quantile(weekly, QUANTILES, axis=0).round(2)
        week12 = weekly[:, -1]
        improved = (week12 <= baseline * (1 - constant("improvement_fraction"))) | (
            week12 <= baseline - constant("improvement_points")
        )
        forecasts.append(
            Forecast(
                plan=name,
                title=plan.title,
                weeks=tuple(range(1, horizon // 7 + 1)),
                median=tuple(float(x) for x in q[2]),
                band50=tuple((float(a), float(b)) for a, b in zip(q[1], q[3], strict=True)),
                band80=tuple((float(a), float(b)) for a, b in zip(q[0], q[4], strict=True)),
                p_improvement=round(float(improved.mean()), 3),
            )
        )
    return tuple(forecasts), weekly_by_plan


# -- summaries --------------------------------------------------------------------------------------------
_DRIVER_TEXT = {
    "danger_level": (
        "Your brain's general danger level (what the diary cannot split further)",
        ("kongsted2016", "tabor2017"),
        "reported",
    ),
    "sleep": ("Poor sleep", ("finan2013", "alsaadi2014"), "reported"),
    "stress": ("Stress", ("yotsu_article", "vlaeyen2016"), "clinical_impression"),
    "strong_massage": ("Strong massage building up the alarm", ("yotsu_article", "hodges2011"), "clinical_impression"),
    "massage_relief": ("Relief from massage (lasts a short time)", ("furlan2015",), "reported"),
    "active_care": ("Exercise, education and other active care", ("who2023", "hayden2021cochrane"), "established"),
    "flares": ("Day-to-day flares (typical size)", ("kongsted2016",), "reported"),
}


def _drivers(post: _Posterior, draws: NDArray[np.float64], states: NDArray[np.float64]) -> tuple[Driver, ...]:
    recent = slice(max(0, post.a.days - 28), post.a.days)
    values: dict[str, list[float]] = {k: [] for k in _DRIVER_TEXT}
    has_massage = bool(post.a.sessions.of_kind("massage").any())
    has_active = any(k in spec().active_care for k in post.a.sessions.kind)
    for i, u in enumerate(draws):
        theta = natural(u)
        terms = post.terms(theta)
        values["danger_level"].append(float(states[i, 0]))
        values["sleep"].append(float(terms.sleep[recent].mean()))
        values["stress"].append(float(terms.stress[recent].mean()))
        values["strong_massage"].append(float(terms.escalation[-1]))
        values["massage_relief"].append(-float(terms.relief[recent].mean()))
        values["active_care"].append(-float(terms.active[-1]))
        values["flares"].append(theta["flare_sd"] / math.sqrt(max(1 - theta["flare_persistence"] ** 2, 1e-6)))
    shown = [k for k in _DRIVER_TEXT if (has_massage or "massage" not in k) and (has_active or k != "active_care")]
    drivers = [
        Driver(
            id=k,
            label=_both(_DRIVER_TEXT[k][0]),
            points=_interval(np.array(values[k])),
            evidence=Evidence(citations=_DRIVER_TEXT[k][1], level=_DRIVER_TEXT[k][2]),
        )
        for k in shown
    ]
    return tuple(sorted(drivers, key=lambda d: -abs(d.points.median)))


def _massage(post: _Posterior, draws: NDArray[np.float64]) -> MassageResponse | None:
    m = post.a.sessions.of_kind("massage")
    n = int(m.sum())
    if n < constant("min_massage_sessions"):
        return None
    total_pressure = float(post.a.sessions.pressure[m].sum())
    theta = [natural(u) for u in draws]
    first = np.array([t["massage_relief"] for t in theta])
    ratio = np.array([math.exp(-t["relief_tolerance"] * total_pressure / 10.0) for t in theta])
    half = np.array([t["relief_half_life"] for t in theta])
    r = _interval(ratio)
    threshold = 0.85
    trend: Literal["shrinking", "steady", "unclear"] = (
        "shrinking" if r.high < threshold else "steady" if r.low > threshold else "unclear"
    )
    return MassageResponse(
        sessions=n,
        relief_first=_interval(first),
        relief_now=_interval(first * ratio),
        half_life_days=_interval(half),
        ratio_now_to_first=r,
        trend=trend,
    )


def _informed(post: _Posterior, draws: NDArray[np.float64], from_diary: bool) -> tuple[Informed, ...]:
    priors = spec().parameters
    mean, sd = post.mean, post.sd
    rng = np.random.default_rng(0)
    prior_draws = rng.normal(mean, sd, size=(2000, mean.size))
    out = []
    for i, p in enumerate(PARAMETERS):
        ratio = float(np.std(draws[:, i]) / sd[i]) if from_diary else 1.0
        out.append(
            Informed(
                parameter=p,
                meaning=priors[p].meaning,
                unit=priors[p].unit,
                prior=_interval(np.asarray(_to_natural(priors[p], prior_draws[:, i]))),
                posterior=_interval(np.asarray(_to_natural(priors[p], draws[:, i]))),
                width_ratio=round(ratio, 3),
                informed=from_diary and ratio < constant("informed_ratio"),
                evidence=priors[p].evidence,
            )
        )
    return tuple(out)


N_OF_1_TEXT = (
    "Two blocks of two weeks, first {a} then {b}, would likely show whether they differ for you "
    "(expected difference {diff} points)."
)


def _n_of_1(
    post: _Posterior,
    draws: NDArray[np.float64],
    weekly: dict[str, NDArray[np.float64]],
    titles: dict[str, LocalText],
) -> NOf1 | None:
    """Two blocks of two weeks: worth it when the plans differ within two weeks by more than the noise."""
    names = list(weekly)
    if len(names) < 2:
        return None
    theta = [natural(u) for u in draws]
    phi = float(np.median([t["flare_persistence"] for t in theta]))
    day_var = float(
        np.median(
            [t["flare_sd"] ** 2 / max(1 - t["flare_persistence"] ** 2, 1e-6) + t["report_sd"] ** 2 for t in theta]
        )
    )
    drift_var = float(np.median([t["slow_drift_sd"] ** 2 for t in theta])) * 14
    n_eff = 14 * (1 - phi) / (1 + phi)
    se = math.sqrt(2 * day_var / max(n_eff, 1.0) + drift_var)
    best: NOf1 | None = None
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            diff = float(np.median(weekly[a][:, 1] - weekly[b][:, 1]))  # week 2: what a two-week block shows
            overlap = np.median(weekly[a][:, -1]) - np.median(weekly[b][:, -1])
            snr = abs(diff) / se
            undecided = abs(overlap) < np.quantile(weekly[a][:, -1], 0.9) - np.quantile(weekly[a][:, -1], 0.1)
            if snr >= 2.0 and undecided and (best is None or snr > best.signal_to_noise):
                text = {
                    lang: gettext(N_OF_1_TEXT, lang, a=titles[a](lang), b=titles[b](lang), diff=f"{abs(diff):.1f}")
                    for lang in ("en", "ja")
                }
                best = NOf1(
                    plans=(a, b),
                    expected_difference=round(abs(diff), 2),
                    signal_to_noise=round(snr, 2),
                    text=LocalText(**text),
                )
    return best


def _baseline(pain: NDArray[np.float64], fallback: float) -> float:
    seen = pain[~np.isnan(pain)]
    if not seen.size:
        return fallback
    last7 = pain[-7:][~np.isnan(pain[-7:])]
    return float(last7.mean() if last7.size else seen[-7:].mean())


# -- the public function ----------------------------------------------------------------------------------
def fit_diary(
    diary: Diary,
    plans: Sequence[str | Plan] = DEFAULT_PLANS,
    *,
    as_of: dt.date | None = None,
    red_flag: bool | None = None,
    baseline_pain: float | None = None,
    method: Method = "laplace",
    draws: int = 400,
    seed: int = 0,
    prior_means: Mapping[str, float] | None = None,
) -> PersonalFit:
    """Fit the personal model to ``diary`` and forecast 12 weeks under each of ``plans``.

    ``plans`` are shipped plan names or :class:`yotsu.model.Plan` values (e.g. the person's own plan).
    ``red_flag`` (default: any red flag reported in the diary) stops the forecasts: the person sees a doctor
    first. ``baseline_pain`` (e.g. the questionnaire's 0-10 rating) is used when the diary has no pain days.
    With fewer than ``min_pain_days`` pain days the answer is the population's (``source="population"``).
    ``prior_means`` moves a parameter's prior median (natural scale) before the diary is seen, e.g. from the
    questionnaires and tests by :func:`priors_from_explanation`; the prior's width is kept.

    >>> from yotsu.pathway.personal import simulate_diary, prior_draw
    >>> import numpy as np
    >>> diary = simulate_diary(prior_draw(np.random.default_rng(1)), days=60, rng=np.random.default_rng(2))
    >>> fit = fit_diary(diary, plans=["none"], draws=100)
    >>> fit.source, len(fit.forecasts[0].median)
    ('diary', 12)
    """
    if method not in ("laplace", "laplace_is", "emcee"):
        raise PersonalModelError(detail=f"method {method!r} is not one of: laplace, laplace_is, emcee")
    if not 20 <= draws <= 20_000:
        raise PersonalModelError(detail=f"draws={draws} is outside 20-20000")
    for name in plans:
        get_plan(name)  # raises PlanError naming the plans there are
    arrays = diary_arrays(diary, as_of)
    flagged = bool(diary.red_flags) if red_flag is None else red_flag
    as_of_date = arrays.start + dt.timedelta(days=arrays.days - 1)
    rng = np.random.default_rng(seed)
    post = _Posterior(arrays, prior_means)
    from_diary = arrays.pain_days >= constant("min_pain_days")
    fallback = baseline_pain if baseline_pain is not None else constant("population_pain")
    if flagged:
        return PersonalFit(
            source="diary" if from_diary else "population",
            as_of=as_of_date,
            pain_days=arrays.pain_days,
            method=method,
            red_flag=True,
            message=_both("A warning sign was reported. Please see a doctor first; no forecast is made until then."),
            forecasts=(),
            baseline_pain=_baseline(arrays.pain, fallback),
            drivers=(),
            massage=None,
            informed=(),
            not_identifiable=NOT_IDENTIFIABLE,
            n_of_1=None,
            disclaimer=_both("Model estimate, not a diagnosis."),
        )
    if from_diary:
        with _one_blas_thread():
            samples, _ = _draws(post, method, draws, rng)
        message = _both("From your diary so far ({days} days with a pain rating).", days=arrays.pain_days)
    else:
        if arrays.pain_days == 0:
            post.slow0 = fallback
        bounds = np.array(_bounds())
        samples = np.clip(rng.normal(post.mean, post.sd, size=(draws, post.mean.size)), bounds[:, 0], bounds[:, 1])
        message = _both(
            "Your diary is still too short to say much about you ({days} of {needed} days with a pain rating), "
            "so this is the answer for people in general.",
            days=arrays.pain_days,
            needed=int(constant("min_pain_days")),
        )
    baseline = _baseline(arrays.pain, fallback)
    states = _states(post, samples, rng)
    forecasts, weekly = _forecast(post, samples, states, plans, baseline, rng)
    return PersonalFit(
        source="diary" if from_diary else "population",
        as_of=as_of_date,
        pain_days=arrays.pain_days,
        method=method if from_diary else "prior",
        red_flag=False,
        message=message,
        forecasts=forecasts,
        baseline_pain=round(baseline, 2),
        drivers=_drivers(post, samples, states),
        massage=_massage(post, samples) if from_diary else None,
        informed=_informed(post, samples, from_diary),
        not_identifiable=NOT_IDENTIFIABLE,
        n_of_1=_n_of_1(post, samples, weekly, {f.plan: f.title for f in forecasts}) if from_diary else None,
        disclaimer=_both("Model estimate, not a diagnosis."),
    )


#: How far the questionnaire-based explanation may move the prior of the response to active care.
ACTIVE_CARE_PRIOR_LIMITS = (0.25, 4.0)


def priors_from_explanation(person: Explanation, population: Explanation) -> dict[str, float]:
    """Prior medians for the personal fit from the questionnaires and tests, through the full model.

    The person's explanation (their profile from questionnaires and in-clinic tests) and the population's
    give each the full model's course under ``clinic-approach`` and under ``none``; the ratio of the two
    12-week differences moves the prior of ``active_care_response`` (limited to 0.25-4; the diary then
    updates it). Empty when either explanation lacks those courses or the population's difference is small.
    Level: clinical_impression (the full model's response to a profile, not a measured response).
    """

    def effect(e: Explanation) -> float | None:
        courses = {c.plan: c for c in e.courses}
        if "none" not in courses or "clinic-approach" not in courses:
            return None
        none, care = courses["none"], courses["clinic-approach"]
        week = none.weeks.index(12) if 12 in none.weeks else -1
        return none.median[week] - care.median[week]

    mine, everyone = effect(person), effect(population)
    if mine is None or everyone is None or everyone < 0.1:
        return {}
    lo, hi = ACTIVE_CARE_PRIOR_LIMITS
    return {"active_care_response": float(min(hi, max(lo, mine / everyone)))}


def posterior_draws(
    diary: Diary, method: Method = "laplace", draws: int = 400, seed: int = 0
) -> dict[str, NDArray[np.float64]]:
    """Posterior draws of every parameter on its natural scale (for validation and research)."""
    post = _Posterior(diary_arrays(diary))
    with _one_blas_thread():
        samples, _ = _draws(post, method, draws, np.random.default_rng(seed))
    priors = spec().parameters
    return {p: np.asarray(_to_natural(priors[p], samples[:, i])) for i, p in enumerate(PARAMETERS)}


# -- simulated diaries (validation) -----------------------------------------------------------------------
def prior_draw(rng: np.random.Generator) -> dict[str, float]:
    """One person's parameters drawn from the population prior (natural scale)."""
    mean, sd = _prior_arrays()
    bounds = np.array(_bounds())
    return natural(np.clip(rng.normal(mean, sd), bounds[:, 0], bounds[:, 1]))


def simulate_course(
    theta: dict[str, float],
    days: int = 180,
    rng: np.random.Generator | None = None,
    *,
    start: dt.date = dt.date(2025, 1, 1),
    level: float = 6.0,
    missing: float = 0.15,
    massage_every: int | None = 7,
    exercise_per_week: int = 1,
    log_relief: bool = True,
) -> tuple[Diary, NDArray[np.float64]]:
    """A diary simulated from the personal model with known parameters, with missing days as real diaries have,
    and every day's rating (recorded or not): the truth a forecast of weekly means is checked against.

    Missing days come as scattered days (``missing``) and one gap of one to two weeks; ratings are rounded
    to whole points and kept within 0-10; massage pressure varies between 3 and 8.
    """
    rng = rng or np.random.default_rng()
    sleep = np.clip(np.round(rng.normal(6, 1.5, days)), 0, 10)
    stress = np.clip(np.round(rng.normal(5, 1.8, days)), 0, 10)
    s_day: list[float] = []
    s_kind: list[str] = []
    s_pressure: list[float] = []
    for d in range(days):
        if massage_every and d % massage_every == 3:
            s_day.append(float(d))
            s_kind.append("massage")
            s_pressure.append(float(rng.integers(3, 9)))
        if exercise_per_week and d % 7 in {round(k * 7 / exercise_per_week) for k in range(exercise_per_week)}:
            s_day.append(float(d))
            s_kind.append("graded_exercise")
            s_pressure.append(0.0)
    sessions = _SessionArrays(np.array(s_day), tuple(s_kind), np.array(s_pressure))
    terms = _terms(theta, days, sleep, stress, sessions)
    slow, flare = level, 0.0
    pain = np.empty(days)
    for d in range(days):
        if d:
            slow += theta["slow_drift_sd"] * rng.standard_normal()
        flare = theta["flare_persistence"] * flare + theta["flare_sd"] * rng.standard_normal()
        pain[d] = slow + flare + terms.total[d] + theta["report_sd"] * rng.standard_normal()
    pain = np.clip(np.round(pain), 0, 10)
    absent = rng.random(days) < missing
    gap_start, gap_len = int(rng.integers(0, max(days - 14, 1))), int(rng.integers(7, 15))
    absent[gap_start : gap_start + gap_len] = True
    absent[:3] = False
    entries = tuple(
        DayEntry(
            date=start + dt.timedelta(days=d),
            pain_nrs=float(pain[d]),
            sleep_quality=float(sleep[d]),
            stress=float(stress[d]),
        )
        for d in range(days)
        if not absent[d]
    )
    each = terms.massage_relief_each
    logged = []
    j = 0
    for day, k, p in zip(s_day, s_kind, s_pressure, strict=True):
        relief = relief_days = None
        if k == "massage":
            if log_relief:
                relief = float(np.clip(round(each[j] + rng.normal(0, 1.0)), 0, 10))
                relief_days = float(
                    np.clip(round(2 * theta["relief_half_life"] * math.exp(rng.normal(0, 0.5)), 1), 0, 60)
                )
            j += 1
        logged.append(
            Session(
                date=start + dt.timedelta(days=int(day)),
                kind=k,
                pressure=p if k == "massage" else None,
                relief=relief,
                relief_days=relief_days,
            )
        )
    return Diary(days=entries, sessions=tuple(logged)), pain


def simulate_diary(
    theta: dict[str, float], days: int = 180, rng: np.random.Generator | None = None, **options: Any
) -> Diary:
    """A diary simulated from the personal model with known parameters (:func:`simulate_course` without the
    ratings of the days left out)."""
    return simulate_course(theta, days, rng, **options)[0]
