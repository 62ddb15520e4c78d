"""The real ``yotsu`` CLI given bad files and values: exit 2, one clear error on stderr, no traceback.

CLI start-up is slow (about 2 s), so the cases run in batches: one subprocess imports the CLI once and
runs every case through the same Typer application ``yotsu`` runs (``standalone_mode``, so exit codes
and messages are what a user sees); two cases also go through ``python -m yotsu.cli`` itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "src" / "yotsu" / "pathway" / "data" / "examples" / "answers-example.yaml").read_text("utf-8")
HEADER = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags\n"
PLAN = """name: my-plan
title: {en: "Mine", ja: "私の"}
description: {en: "A plan", ja: "計画"}
evidence: [KEY]
level: established
sessions:
  - SESSION
"""

DRIVER = """
import contextlib, io, json, sys, traceback
from yotsu.cli._app import app
out = {}
for name, args in json.loads(sys.stdin.read()).items():
    err, std, code, escaped = io.StringIO(), io.StringIO(), None, None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        try:
            app(args=args, prog_name="yotsu", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            escaped = "".join(traceback.format_exception(exc))
    out[name] = {"code": code, "stderr": err.getvalue(), "escaped": escaped}
print(json.dumps(out))
"""


def _env() -> dict[str, str]:
    return {
        "COLUMNS": "200", "PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "PYTHONPATH": str(ROOT / "src"),
        "NUMBA_NUM_THREADS": os.environ.get("NUMBA_NUM_THREADS", "1"),
    }  # fmt: skip


def _plan(key: str = "who2023", session: str = "{kind: education, days: [0]}") -> str:
    return PLAN.replace("KEY", key).replace("SESSION", session)


def _example(old: str, new: str) -> str:
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


#: name: (file name, content (str = UTF-8, bytes as given), args with {f} for the file, what stderr says)
CASES: dict[str, tuple[str, str | bytes, list[str], str]] = {
    "plan in Shift-JIS": ("sjis.yaml", _plan().encode("cp932"), ["simulate", "--plan", "{f}"], r"Shift-JIS (CP932)"),
    "plan key twice": ("dup.yaml", _plan(session="{kind: education, days: [0], days: [1]}"),
                       ["simulate", "--plan", "{f}"], "the key 'days' is given twice"),
    "plan NaN pressure": ("nan.yaml", _plan(session="{kind: massage, pressure: .nan, days: [0]}"),
                          ["simulate", "--plan", "{f}"], "nan is not a finite number"),
    "plan count 1e9": ("count.yaml", _plan(session="{kind: education, every_days: 1, count: 1000000000}"),
                       ["simulate", "--plan", "{f}"], "sessions.0.count: Input should be less than or equal to 36500"),
    "plan weeks 2**31": ("weeks.yaml", _plan(session="{kind: education, weeks: 2147483648, per_week: 2}"),
                         ["simulate", "--plan", "{f}"], "sessions.0.weeks: Input should be less than or equal to"),
    "plan unknown citation": ("cite.yaml", _plan(key="nosuch2099"), ["simulate", "--plan", "{f}"],
                              "unknown citation key"),
    "plan deep": ("deep.yaml", "a: " + "[" * 50 + "]" * 50, ["simulate", "--plan", "{f}"], "nested too deeply"),
    "plan huge int": ("big.yaml", _plan(session="{kind: education, days: [99999999999999999999999]}"),
                      ["simulate", "--plan", "{f}"], "the integer is too large"),
    "plan missing": ("-", "", ["simulate", "--plan", "{f}/nope.yaml"], "No such file or directory"),
    "param NaN": ("-", "", ["simulate", "--param", "relief_target=nan"], "'nan' is not a finite number"),
    "param full-width": ("-", "", ["simulate", "--param", "relief_target=１０"], "ASCII digits 0-9"),
    "seed negative": ("-", "", ["simulate", "--seed", "-1"], "Invalid value for '--seed'"),
    "simulate n huge": ("-", "", ["simulate", "--n", "1000000000000"], "Invalid value for '--n'"),
    "trial n huge": ("-", "", ["trial", "natural-history", "--n", "100000000000"], "Invalid value for '--n'"),
    "trial bootstrap huge": ("-", "", ["trial", "natural-history", "--bootstrap", "10000000000"],
                             "Invalid value for '--bootstrap'"),
    "trial in Shift-JIS": ("trial.yaml", "name: 試験\n".encode("cp932"), ["trial", "{f}"], "Shift-JIS (CP932)"),
    "answers NaN weeks": ("a.yaml", _example("pain_duration_weeks: 30", "pain_duration_weeks: .nan"),
                          ["assess", "--json", "--answers", "{f}"], "nan is not a finite number"),
    "answers 1e999 weeks": ("a.yaml", _example("pain_duration_weeks: 30", "pain_duration_weeks: 1e999"),
                            ["assess", "--json", "--answers", "{f}"], "inf is not a finite number"),
    "answers key twice": ("a.yaml", _example("triage:\n", "triage:\n  saddle_numbness: true\n"),
                          ["assess", "--json", "--answers", "{f}"], "'saddle_numbness' is given twice"),
    "answers yes": ("a.yaml", _example("saddle_numbness: false", "saddle_numbness: yes"),
                    ["assess", "--json", "--answers", "{f}"], "triage.saddle_numbness"),
    "answers impossible date": ("a.yaml", "lang: 2025-02-30\n", ["assess", "--json", "--answers", "{f}"],
                                "'2025-02-30' is not a real date"),
    "answers not UTF-8": ("a.yaml", b"\x00\x01\xff", ["assess", "--json", "--answers", "{f}"], "not UTF-8"),
    "answers a directory": ("-", "", ["assess", "--json", "--answers", "{f}"], "Is a directory"),
    "diary full-width": ("d.csv", HEADER + "2025-03-01,１０,,,,,,,,\n", ["track", "{f}"], "full-width"),
    "diary Arabic digit": ("d.csv", HEADER + "2025-03-01,٣,,,,,,,,\n", ["track", "{f}"], "other-script digits"),
    "diary date twice": ("d.csv", HEADER + "2025-03-01,5,,,,,,,,\n2025-03-01,6,,,,,,,,\n", ["track", "{f}"],
                         "one daily row per date"),
    "diary impossible date": ("d.csv", HEADER + "2025-02-30,5,,,,,,,,\n", ["track", "{f}"], "not a real date"),
    "diary future date": ("d.csv", HEADER + "2999-01-01,5,,,,,,,,\n", ["track", "{f}"], "outside the dates"),
    "diary huge cell": ("d.csv", HEADER + "2025-03-01,5,,,,,,,," + "x" * 300_000 + "\n", ["track", "{f}"],
                        "a cell is over the 1,000 characters allowed"),
    "diary unknown flag": ("d.csv", HEADER + "2025-03-01,5,,,,,,,,headache\n", ["track", "{f}"],
                           "'headache' is not a red-flag id"),
    "diary NUL": ("d.csv", HEADER + "2025-03-01,5\x00,,,,,,,,\n", ["track", "{f}"], "NUL character"),
}  # fmt: skip


def _write(tmp_path: Path, name: str, file: str, content: str | bytes) -> str:
    if file == "-":
        return str(tmp_path)
    folder = tmp_path / name.replace(" ", "_")
    folder.mkdir()
    path = folder / file
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("bad_input")
    cases = {}
    for name, (file, content, args, _) in CASES.items():
        where = _write(tmp, name, file, content)
        cases[name] = [a.replace("{f}", where) for a in args]
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER], input=json.dumps(cases), capture_output=True, text=True, timeout=300,
        env=_env(),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out: dict[str, dict[str, object]] = json.loads(proc.stdout)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_file_or_value_gives_exit_2_and_a_clear_message(results: dict[str, dict[str, object]], name: str) -> None:
    result = results[name]
    assert result["escaped"] is None, result["escaped"]
    stderr = str(result["stderr"])
    assert result["code"] == 2, stderr
    assert "Traceback" not in stderr
    assert CASES[name][3] in stderr, stderr
    if stderr.startswith("error:"):  # our own errors: one line, whatever the terminal width
        assert stderr.count("\n") == 1, stderr


def test_the_real_entry_point_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(_example("pain_duration_weeks: 30", "pain_duration_weeks: .nan"), encoding="utf-8")
    diary = tmp_path / "diary.csv"
    diary.write_bytes((HEADER + "2025-03-01,5,,,,,,,,\n# 痛い\n").encode("cp932"))
    for args, expected in ((["assess", "--answers", str(answers)], "nan is not a finite number"),
                           (["track", str(diary)], "Shift-JIS (CP932)")):  # fmt: skip
        env = _env() | {"COLUMNS": "60"}  # narrow: the message must not wrap
        proc = subprocess.run([sys.executable, "-m", "yotsu.cli", *args], capture_output=True, text=True, timeout=120,
                              env=env)  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stdout == ""
        assert proc.stderr.startswith("error:") and proc.stderr.count("\n") == 1 and expected in proc.stderr
