"""Plans as data: sessions by day with kind and dose, and the adaptive massage policy.

A plan file (YAML) a user can write::

    name: my-plan
    title: {en: "...", ja: "..."}
    description: {en: "...", ja: "..."}
    evidence: [who2023]
    level: established
    sessions:
      - {kind: education, start_day: 0, every_days: 7, count: 4}
      - {kind: massage, pressure: 3, days: [0, 7, 14]}
      - {kind: massage, pressure: adaptive, start_day: 0, every_days: 7, count: 12}
      - {kind: graded_exercise, weeks: 12, per_week: 2, dose: 1.0}

``pressure`` is 0-10 perceived intensity (3 comfortable, 7 strong) or ``adaptive``: the person
chooses it each session, pressing "until it feels like it worked" — until the felt pressure gives
``wanted_relief`` (danger units; default the person's own ``relief_target``), never lighter than last
time, and never harder than ``max_pressure`` (default 10)::

      - {kind: massage, pressure: adaptive, wanted_relief: 3.0, max_pressure: 8, weeks: 12, per_week: 1}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._datafiles import load_file, load_folder, lookup
from yotsu.model._step import DayInput

SessionKind = Literal[
    "massage",
    "gentle_manual",
    "nerve_stretch",
    "neuro_training",
    "graded_exercise",
    "education",
    "cbt",
    "sleep_care",
    "sham",
]
SESSION_KINDS: tuple[str, ...] = SessionKind.__args__  # type: ignore[attr-defined]


class PlanError(ValueError):
    """A plan that cannot be read or used."""


#: The longest schedule a plan may have, in days (100 years): a plan past it is a typo, and
#: ``count: 1000000000`` or ``weeks: 2147483648`` must fail at once instead of filling memory.
MAX_SCHEDULE_DAYS = 36_500


class SessionSpec(BaseModel):
    """One kind of session and when it happens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SessionKind
    dose: float = Field(1.0, gt=0.0, le=3.0, description="sessions' worth per occurrence")
    pressure: float | Literal["adaptive"] | None = None
    wanted_relief: float | None = Field(None, gt=0.0, le=8.0, description="adaptive: relief pressed for")
    max_pressure: float | None = Field(None, gt=0.0, le=10.0, description="adaptive: hardest pressure used")
    days: tuple[int, ...] | None = Field(None, max_length=MAX_SCHEDULE_DAYS)
    start_day: int = Field(0, ge=0, le=MAX_SCHEDULE_DAYS)
    every_days: int | None = Field(None, ge=1, le=MAX_SCHEDULE_DAYS)
    count: int | None = Field(None, ge=1, le=MAX_SCHEDULE_DAYS)
    weeks: int | None = Field(None, ge=1, le=MAX_SCHEDULE_DAYS // 7)
    per_week: int | None = Field(None, ge=1, le=7)

    @model_validator(mode="after")
    def _check(self) -> SessionSpec:
        if self.kind == "massage":
            if self.pressure is None:
                raise ValueError("a massage session needs `pressure`: 0-10 perceived intensity, or `adaptive`")
            if isinstance(self.pressure, float) and not 0.0 < self.pressure <= 10.0:
                raise ValueError(f"massage pressure {self.pressure} is outside (0, 10]")
        elif self.pressure is not None:
            raise ValueError(f"`pressure` applies to massage only, not to {self.kind}")
        if self.pressure != "adaptive" and (self.wanted_relief is not None or self.max_pressure is not None):
            raise ValueError("`wanted_relief` and `max_pressure` belong to `pressure: adaptive` only")
        forms = [self.days is not None, self.every_days is not None, self.weeks is not None]
        if sum(forms) != 1:
            raise ValueError(
                "give exactly one schedule: `days`, or `every_days` with `count`, or `weeks` with `per_week`"
            )
        if self.every_days is not None and self.count is None:
            raise ValueError("`every_days` needs `count` (how many sessions)")
        if self.weeks is not None and self.per_week is None:
            raise ValueError("`weeks` needs `per_week`")
        if self.days is not None and any(d < 0 for d in self.days):
            raise ValueError("session days must be 0 or later")
        last = self._last_day()
        if last > MAX_SCHEDULE_DAYS:
            raise ValueError(f"the schedule ends on day {last:,}; plans may last at most {MAX_SCHEDULE_DAYS:,} days")
        return self

    def _last_day(self) -> int:
        if self.days is not None:
            return max(self.days, default=0)
        if self.every_days is not None:
            return self.start_day + self.every_days * ((self.count or 1) - 1)
        return self.start_day + 7 * (self.weeks or 0)

    def session_days(self) -> list[int]:
        if self.days is not None:
            return sorted(set(self.days))
        if self.every_days is not None:
            assert self.count is not None
            return [self.start_day + k * self.every_days for k in range(self.count)]
        assert self.weeks is not None and self.per_week is not None
        offsets = sorted({round(k * 7 / self.per_week) for k in range(self.per_week)})
        return [self.start_day + 7 * w + o for w in range(self.weeks) for o in offsets]


class Plan(BaseModel):
    """A named plan of care: sessions over time. Plans are data; see the module docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    description: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    sessions: tuple[SessionSpec, ...] = ()

    @model_validator(mode="after")
    def _keys(self) -> Plan:
        check_keys(self.evidence, f"plan {self.name}")
        return self

    def schedule(self) -> list[tuple[int, SessionSpec]]:
        """Every (day, session) of the plan, in day order."""
        return sorted(((d, s) for s in self.sessions for d in s.session_days()), key=lambda x: x[0])

    def last_day(self) -> int:
        sched = self.schedule()
        return sched[-1][0] if sched else -1

    def day_inputs(self, days: int) -> NDArray[np.float64]:
        """The ``(days, n_inputs)`` array the kernel reads; sessions after ``days`` are ignored."""
        col = {name: j for j, name in enumerate(DayInput._fields)}
        out = np.zeros((days, len(DayInput._fields)))
        for day, s in self.schedule():
            if day >= days:
                continue
            if s.kind == "massage":
                if s.pressure == "adaptive":
                    out[day, col["adaptive_massage"]] = 1.0
                    out[day, col["wanted_relief"]] = s.wanted_relief or 0.0
                    out[day, col["max_pressure"]] = s.max_pressure or 0.0
                else:
                    out[day, col["massage_pressure"]] = float(s.pressure)  # type: ignore[arg-type]
            else:
                out[day, col[s.kind]] += s.dose
        return out


@cache
def named_plans() -> dict[str, Plan]:
    """The plans shipped with Yotsu, by name."""
    return load_folder("plans", Plan, "plan", PlanError)


def load_plan_file(path: str | Path) -> Plan:
    """Read and validate a plan file; errors name the file and the field."""
    return load_file(path, Plan, "plan", PlanError)


def get_plan(plan: str | Path | Plan) -> Plan:
    """A plan by name (shipped), by path to a YAML file, or as given."""
    if isinstance(plan, Plan):
        return plan
    return lookup(plan, named_plans(), Plan, "plan", PlanError)
