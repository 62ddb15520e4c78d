"""Turn the browser's trial records into a session: accuracy and median response time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from statistics import median

from yotsu.pathway.bodymap import LeftRightTrunkJudgement
from yotsu_web.bodymap.figure import STIMULI

MIN_RT_MS, MAX_RT_MS = 1.0, 60_000.0


class TrialDataError(ValueError):
    """Trial records that did not come from the task as served."""


@dataclass(frozen=True)
class Trial:
    stimulus: int
    response: str
    rt_ms: float

    @property
    def correct(self) -> bool:
        return STIMULI[self.stimulus].side == self.response


def parse_trials(raw: str) -> list[Trial]:
    """``[{"s": stimulus index, "r": "left"|"right", "rt": milliseconds}, ...]`` as posted by task.js."""
    try:
        rows = json.loads(raw)
        trials = [Trial(int(r["s"]), str(r["r"]), float(r["rt"])) for r in rows]
    except (ValueError, TypeError, KeyError) as exc:
        raise TrialDataError(str(exc)) from exc
    for t in trials:
        if not 0 <= t.stimulus < len(STIMULI) or t.response not in {"left", "right"}:
            raise TrialDataError(f"unknown stimulus or response {t}")
        if not MIN_RT_MS <= t.rt_ms <= MAX_RT_MS:
            raise TrialDataError(f"response time {t.rt_ms} ms is outside {MIN_RT_MS}-{MAX_RT_MS}")
    return trials


def judgement(trials: list[Trial]) -> LeftRightTrunkJudgement:
    """The pathway's record of the session (it refuses fewer trials than it can judge)."""
    if not trials:
        raise TrialDataError("no trials")
    return LeftRightTrunkJudgement(
        accuracy=sum(t.correct for t in trials) / len(trials),
        median_rt_ms=median(t.rt_ms for t in trials),
        n_trials=len(trials),
    )
