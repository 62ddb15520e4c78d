"""``simulate``: one person or a million, under a plan, from the same compiled step."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from yotsu.model import _kernel
from yotsu.model._draws import STREAM_OBSERVATION
from yotsu.model._noise import person_keys
from yotsu.model._step import State
from yotsu.model.observe import STATE_READ, measure_all
from yotsu.model.parameters import ParameterError, PersonParams
from yotsu.model.plans import Plan, get_plan
from yotsu.model.profiles import get_profile

SERIES: tuple[str, ...] = _kernel.SERIES
#: Series a person would look at first (the CLI's figure and the README's JSON contract).
MAIN_SERIES: tuple[str, ...] = (
    "pain",
    "guarding",
    "gain",
    "inhibition",
    "body_map_precision",
    "threat_prior",
    "distress",
    "tolerance",
    "movement_restriction",
    "spread",
)
DEFAULT_WARMUP_DAYS = 730
MAX_RECORD_BYTES = 2 * 1024**3


class SimulationError(ValueError):
    """Arguments to ``simulate`` that cannot be run."""


@dataclass(frozen=True)
class SimulationResult:
    """Trajectories of ``n`` persons: ``series[name]`` has shape ``(len(days), n)``."""

    params: PersonParams
    plan: Plan
    days: NDArray[np.int64]
    series: dict[str, NDArray[np.float64]]
    final_state: NDArray[np.float64]
    seed: int
    person_ids: NDArray[np.int64]
    profile: str | None = None
    warmup_days: int = DEFAULT_WARMUP_DAYS
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.params.n

    def profile_title(self, lang: str = "en") -> str:
        """The profile's title in ``lang``, or a neutral label for a custom person."""
        if self.profile is None:
            return "custom person" if lang == "en" else "カスタムの人"
        return get_profile(self.profile).title(lang)

    def at_day(self, name: str, day: int) -> NDArray[np.float64]:
        """``series[name]`` on ``day`` for every person (the day must have been recorded)."""
        idx = np.flatnonzero(self.days == day)
        if idx.size == 0:
            raise SimulationError(f"day {day} was not recorded; recorded days run {self.days[0]}..{self.days[-1]}")
        row: NDArray[np.float64] = self.series[name][int(idx[0])]
        return row

    def mean(self, name: str) -> NDArray[np.float64]:
        """Mean over persons of ``series[name]`` on each recorded day."""
        means: NDArray[np.float64] = self.series[name].mean(axis=1)
        return means

    def sessions(self, person: int = 0) -> list[dict[str, Any]]:
        """Person ``person``'s sessions: day, kind, dose, and for massage the pressure and relief."""
        rows: list[dict[str, Any]] = []
        day_index = {int(d): k for k, d in enumerate(self.days)}
        for day, spec in self.plan.schedule():
            if day not in day_index:
                continue
            row: dict[str, Any] = {"day": day, "kind": spec.kind, "dose": spec.dose}
            if spec.kind == "massage":
                k = day_index[day]
                row["pressure"] = (
                    round(float(self.series["pressure"][k, person]), 4) if "pressure" in self.series else None
                )
                row["relief"] = round(float(self.series["relief"][k, person]), 4) if "relief" in self.series else None
                row["adaptive"] = spec.pressure == "adaptive"
            rows.append(row)
        return rows

    def observations(self, person: int = 0, day: int | None = None) -> dict[str, Any] | None:
        """What a clinic would measure on ``day`` (default: the last recorded): two-point discrimination
        (mm), left/right judgement accuracy and time (s), repositioning error (degrees) and CSI, from
        the observation models (``yotsu.model.observe``), with noise drawn from (seed, person id).
        None if the series they read were not recorded."""
        if any(name not in self.series for name in STATE_READ) or self.days.size == 0:
            return None
        day = int(self.days[-1]) if day is None else day
        state = {name: self.at_day(name, day)[person : person + 1] for name in STATE_READ}
        seq = np.random.SeedSequence([self.seed, STREAM_OBSERVATION, 2, int(self.person_ids[person])])
        measured = measure_all(state, np.random.default_rng(seq))
        return {"day": day, **{k: v[0].item() for k, v in measured.items()}}

    def to_json(self, person: int = 0, digits: int = 4) -> dict[str, Any]:
        """The README's machine-readable contract for one person."""
        obs = self.observations(person)
        return {
            "profile": self.profile,
            "plan": self.plan.name,
            "seed": self.seed,
            "warmup_days": self.warmup_days,
            "days": [int(d) for d in self.days],
            "series": {k: [round(float(x), digits) for x in v[:, person]] for k, v in self.series.items()},
            "sessions": self.sessions(person),
            "observations": None
            if obs is None
            else {k: round(v, digits) if isinstance(v, float) else v for k, v in obs.items()},
        }


def resolve_params(
    params: PersonParams | Mapping[str, ArrayLike] | str | None, n: int | None
) -> tuple[PersonParams, str | None]:
    """Parameters from a profile name, a mapping of values, or a :class:`PersonParams`."""
    profile_name = None
    if params is None:
        params = PersonParams.from_values({}, n=n or 1)
    elif isinstance(params, str):
        profile_name = params
        params = get_profile(params).params(n=n or 1)
    elif not isinstance(params, PersonParams):
        params = PersonParams.from_values(params, n=n)
    if n is not None and params.n != n:
        if params.n != 1:
            raise ParameterError(f"n = {n} but the parameters describe {params.n} persons")
        params = PersonParams(np.repeat(params.matrix, n, axis=0))
    return params, profile_name


def simulate(
    params: PersonParams | Mapping[str, ArrayLike] | str | None = None,
    plan: str | Plan = "none",
    days: int = 182,
    n: int | None = None,
    seed: int = 0,
    *,
    record_days: Sequence[int] | NDArray[np.int64] | None = None,
    series: Sequence[str] | None = None,
    warmup_days: int = DEFAULT_WARMUP_DAYS,
    person_ids: ArrayLike | None = None,
    chunk_persons: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate persons day by day under a plan.

    Parameters
    ----------
    params : profile name, mapping of parameter values (scalars or arrays of shape ``(n,)``),
        :class:`PersonParams`, or None for the defaults.
    plan : a named plan, a path to a plan YAML file, or a :class:`Plan`.
    days : days to simulate after the warm-up (day 0 is the first day of the plan).
    n : number of persons (parameters of one person are repeated; each person has own noise).
    seed : every random draw flows from it; person ``i``'s days depend only on (seed, id, params).
    record_days : days to keep (default: all); large cohorts should keep few.
    series : names to keep (default: all of ``SERIES``).
    warmup_days : days of natural history before day 0, which bring each person from their
        profile's starting values to their own chronic steady state.
    person_ids : identities of the persons (default ``0..n-1``); the same id and seed give the
        same noise whatever else is simulated beside it.
    chunk_persons, progress : run persons in chunks of this size and call ``progress(done, n)``
        after each (results are identical to one chunk).

    Examples
    --------
    >>> r = simulate("typical", "none", days=28, n=2, seed=1)
    >>> r.series["pain"].shape
    (28, 2)
    """
    pp, profile_name = resolve_params(params, n)
    the_plan = get_plan(plan)
    if days < 1:
        raise SimulationError(f"days must be at least 1, got {days}")
    if warmup_days < 0:
        raise SimulationError(f"warmup_days must be 0 or more, got {warmup_days}")
    names = tuple(series) if series is not None else SERIES
    unknown = [s for s in names if s not in SERIES]
    if unknown:
        raise SimulationError(f"unknown series {', '.join(unknown)}; known: {', '.join(SERIES)}")
    rec = np.arange(days) if record_days is None else np.unique(np.asarray(record_days, dtype=np.int64))
    if rec.size and (rec[0] < 0 or rec[-1] >= days):
        raise SimulationError(f"record_days must lie in 0..{days - 1}")
    nbytes = rec.size * len(names) * pp.n * 8
    if nbytes > MAX_RECORD_BYTES:
        raise SimulationError(
            f"recording {len(names)} series on {rec.size} days for {pp.n} persons needs {nbytes / 2**30:.1f} GiB; "
            "pass fewer record_days or series"
        )
    ids = np.arange(pp.n, dtype=np.int64) if person_ids is None else np.asarray(person_ids, dtype=np.int64)
    if ids.shape != (pp.n,):
        raise SimulationError(f"person_ids must have shape ({pp.n},), got {ids.shape}")
    keys = person_keys(seed, ids)
    P = np.ascontiguousarray(pp.matrix.T)  # the kernel reads persons contiguously per parameter
    S = np.zeros((len(State._fields), pp.n))
    ser_idx = np.array([SERIES.index(s) for s in names], dtype=np.int64)
    warm_inputs = np.zeros((warmup_days, _kernel.N_INPUTS))
    no_rec = np.full(warmup_days, -1, dtype=np.int64)
    rec_row = np.full(days, -1, dtype=np.int64)
    rec_row[rec] = np.arange(rec.size)
    plan_inputs = the_plan.day_inputs(days)
    out = np.empty((rec.size, len(names), pp.n))
    # Persons in chunks, so long runs can report progress; results do not depend on the chunking
    # because each person's noise depends only on (seed, person id, day).
    step = pp.n if chunk_persons is None else max(1, chunk_persons)
    for lo in range(0, pp.n, step):
        hi = min(pp.n, lo + step)
        Pc, Sc, kc = np.ascontiguousarray(P[:, lo:hi]), np.zeros((S.shape[0], hi - lo)), keys[lo:hi]
        oc = np.empty((rec.size, len(names), hi - lo))
        _kernel.run_kernel(Pc, Sc, kc, warm_inputs, -warmup_days, no_rec, ser_idx, oc[:1], True)
        _kernel.run_kernel(Pc, Sc, kc, plan_inputs, 0, rec_row, ser_idx, oc, False)
        S[:, lo:hi] = Sc
        out[:, :, lo:hi] = oc
        if progress is not None:
            progress(hi, pp.n)
    return SimulationResult(
        params=pp,
        plan=the_plan,
        days=rec,
        series={name: out[:, j, :] for j, name in enumerate(names)},
        final_state=np.ascontiguousarray(S.T),
        seed=seed,
        person_ids=ids,
        profile=profile_name,
        warmup_days=warmup_days,
    )
