"""Turn the browser's trial records into a session: accuracy and median response time."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from yotsu._strict import StrictInputError, parse_json
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


def parse_trials(raw: str, max_trials: int | None = None) -> list[Trial]:
    """``[{"s": stimulus index, "r": "left"|"right", "rt": milliseconds}, ...]`` as posted by task.js;
    at most ``max_trials`` (the number served). Read with the strict JSON reader (no NaN, no key twice)."""
    try:
        rows = parse_json(raw, "trials")
    except StrictInputError as exc:
        raise TrialDataError(str(exc)) from exc
    if not isinstance(rows, list):
        raise TrialDataError("trials must be a JSON list")
    if max_trials is not None and len(rows) > max_trials:
        raise TrialDataError(f"{len(rows)} trials posted; the task serves {max_trials}")
    trials = []
    for r in rows:
        if not isinstance(r, dict) or set(r) != {"s", "r", "rt"}:
            raise TrialDataError(f"each trial is {{'s', 'r', 'rt'}}, not {str(r)[:60]}")
        s, rt = r["s"], r["rt"]
        if isinstance(s, bool) or not isinstance(s, int) or isinstance(rt, bool) or not isinstance(rt, int | float):
            raise TrialDataError(f"stimulus must be an integer and rt a number, not {str(r)[:60]}")
        trials.append(Trial(s, str(r["r"]), float(rt)))
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
