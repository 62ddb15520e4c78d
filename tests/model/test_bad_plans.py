"""Plan and trial files a user writes: an unbounded schedule, an unknown citation or a Shift-JIS file fails at once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from yotsu.model.plans import MAX_SCHEDULE_DAYS, PlanError, get_plan
from yotsu.model.trials import TrialError, get_trial

PLAN = """name: my-plan
title: {{en: "Mine", ja: "私の"}}
description: {{en: "A plan", ja: "計画"}}
evidence: [{key}]
level: established
sessions:
  - {session}
"""


def _plan(tmp_path: Path, session: str, key: str = "who2023") -> Path:
    path = tmp_path / "my-plan.yaml"
    path.write_text(PLAN.format(session=session, key=key), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ("{kind: education, start_day: 0, every_days: 7, count: 1000000000}", "count"),
        ("{kind: graded_exercise, weeks: 2147483648, per_week: 2}", "weeks"),
        ("{kind: education, start_day: 0, every_days: 100, count: 400}", "plans may last at most 36,500 days"),
        ("{kind: education, days: [0, 99999999]}", "plans may last at most 36,500 days"),
        ("{kind: massage, pressure: .nan, days: [0]}", "not a finite number"),
        ("{kind: education, days: [0], days: [1]}", "'days' is given twice"),
    ],
)
def test_an_unbounded_or_odd_schedule_fails_at_once(tmp_path: Path, session: str, expected: str) -> None:
    with pytest.raises(PlanError, match=expected):
        get_plan(_plan(tmp_path, session))


def test_the_longest_schedule_allowed_still_loads(tmp_path: Path) -> None:
    plan = get_plan(_plan(tmp_path, f"{{kind: education, start_day: 0, every_days: 1, count: {MAX_SCHEDULE_DAYS}}}"))
    assert plan.last_day() == MAX_SCHEDULE_DAYS - 1


def test_an_unknown_citation_key_is_a_plan_error(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="nosuchkey2099"):
        get_plan(_plan(tmp_path, "{kind: education, days: [0]}", key="nosuchkey2099"))


def test_a_shift_jis_plan_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "my-plan.yaml"
    path.write_bytes(PLAN.format(session="{kind: education, days: [0]}", key="who2023").encode("cp932"))
    with pytest.raises(PlanError, match=r"Shift-JIS \(CP932\)"):
        get_plan(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"follow_up_weeks": [2147483648]}, "follow-up weeks may go up to week 5,214"),
        ({"n": 10**12}, "n: Input should be less than or equal to 10000000"),
        ({"seed": -1}, "seed: Input should be greater than or equal to 0"),
    ],
)
def test_an_unbounded_trial_spec_fails_at_once(tmp_path: Path, change: dict[str, object], expected: str) -> None:
    shipped = Path(str(resources.files("yotsu.model") / "data" / "trials" / "natural-history.yaml"))
    path = tmp_path / "natural-history.yaml"
    path.write_text(yaml.safe_dump(yaml.safe_load(shipped.read_text(encoding="utf-8")) | change), encoding="utf-8")
    with pytest.raises(TrialError, match=expected):
        get_trial(path)
