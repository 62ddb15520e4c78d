"""The real ``yotsu assess`` and ``yotsu track`` in a subprocess: JSON contract, red flags, resuming, reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import yotsu.pathway

EXAMPLES = Path(yotsu.pathway.__file__).parent / "data" / "examples"
ROUTES = {"emergency", "urgent", "routine_medical", "out_of_scope", "in_scope"}
TOP_KEYS = {"route", "reasons", "scores", "risk_group", "profile", "explanation", "plan"}
FLAG_QUESTIONS = 22  # 18 yes/no red flags + 4 features of inflammatory back pain (data/red_flags.yaml)


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yotsu.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def assess_json(*args: str, stdin: str | None = None, cwd: Path | None = None) -> dict[str, Any]:
    proc = run("assess", *args, "--json", "--n", "40", "--days", "28", stdin=stdin, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)  # the whole of stdout is ONE JSON object
    return data


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return assess_json("--answers", str(EXAMPLES / "answers-example.yaml"))


def test_assess_json_carries_the_documented_keys(example: dict[str, Any]) -> None:
    assert set(example) >= TOP_KEYS
    assert example["route"] in ROUTES and example["route"] == "in_scope"
    assert [r["code"] for r in example["reasons"]] == ["in_scope"]


def test_scores_give_total_subscales_and_category_per_instrument(example: dict[str, Any]) -> None:
    scores = example["scores"]
    assert set(scores) == {"nrs_pain", "start_back", "csi_a", "tsk11", "phq4"}
    # by hand from the example file: STarT Back 6 (psychosocial q5+q6+q9 = 3) -> medium;
    # CSI nine 2s and sixteen 1s = 34 (below the 40 cut-off); PHQ-4 1+1+1+0 = 3, mild (3-5)
    assert scores["start_back"]["total"] == 6 and scores["start_back"]["subscales"] == {"psychosocial": 3}
    assert scores["start_back"]["category"] == "medium"
    assert scores["csi_a"]["total"] == 34 and scores["csi_a"]["category"] == "negative"
    assert scores["phq4"]["total"] == 3 and scores["phq4"]["category"] == "mild"
    assert scores["tsk11"]["total"] == 29 and scores["tsk11"]["category"] is None
    assert example["risk_group"] == "medium"


def test_profile_lists_each_parameter_with_its_source(example: dict[str, Any]) -> None:
    params = example["profile"]["parameters"]
    assert params["gain_init"]["sources"] == ["csi_a.total"]
    assert params["context_pressure"]["sources"] == ["life_pressure"]
    assert set(params["distress_base"]["sources"]) == {"phq4.total", "sleep_quality", "start_back.psychosocial"}
    assert all(p["sd"] > 0 and p["level"] for p in params.values())
    assert example["profile"]["population_prior"] == []  # the example answers everything that is mapped


def test_explanation_ranks_dangers_and_safeties_with_their_effect_on_pain(example: dict[str, Any]) -> None:
    ex = example["explanation"]
    effects = [d["pain_reduction_nrs"]["mean"] for d in ex["dangers"]]
    assert effects and effects == sorted(effects, reverse=True)
    assert all(d["evidence"]["level"] in {"established", "reported", "clinical_impression"} for d in ex["dangers"])
    assert {s["kind"] for s in ex["safeties"]} <= {"release", "in_place"}
    assert "not a diagnosis" in ex["disclaimer"]["en"] and "診断" in ex["disclaimer"]["ja"]
    assert ex["courses"][0]["plan"] == "your-plan"


def test_plan_is_the_stratified_plan_with_a_comfortable_massage(example: dict[str, Any]) -> None:
    plan = example["plan"]
    assert plan["risk_group"] == "medium" and plan["weeks"] == 12
    kinds = {s["kind"] for s in plan["sessions"]}
    assert {"education", "graded_exercise", "neuro_training", "massage", "sleep_care"} <= kinds  # sleep 4 <= 4
    assert {s["dose"] for s in plan["sessions"] if s["kind"] == "massage"} == {3.0}
    assert {a["id"] for a in plan["advised_against"]} >= {"traction", "tens"}


def test_a_red_flag_ends_the_pathway_with_route_and_reasons_and_no_plan() -> None:
    data = assess_json("--answers", str(EXAMPLES / "answers-red-flag.yaml"))
    assert data["route"] == "emergency"
    assert [r["code"] for r in data["reasons"]] == ["saddle_numbness"]
    assert data["reasons"][0]["condition"] == "cauda_equina"
    for key in ("plan", "profile", "explanation", "scores", "risk_group"):
        assert data[key] is None


def test_out_of_scope_also_ends_without_a_plan(tmp_path: Path) -> None:
    answers = yaml.safe_load((EXAMPLES / "answers-example.yaml").read_text(encoding="utf-8"))
    answers["triage"]["pain_duration_weeks"] = 4
    answers["triage"]["age_years"] = 40  # under 50: recent pain is out of scope, not a red flag
    path = tmp_path / "recent.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    data = assess_json("--answers", str(path))
    assert data["route"] == "out_of_scope" and data["plan"] is None
    assert [r["code"] for r in data["reasons"]] == ["too_recent"]


def _example_with(tmp_path: Path, **triage: object) -> Path:
    answers = yaml.safe_load((EXAMPLES / "answers-example.yaml").read_text(encoding="utf-8"))
    answers["triage"].update(triage)
    answers["triage"] = {k: v for k, v in answers["triage"].items() if v is not None}
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("triage", "flag"),
    [
        ({"long_term_steroids": True}, "long_term_steroids"),
        ({"minor_trauma": True, "age_years": 74}, "minor_trauma"),
        ({"age_years": 58, "pain_duration_weeks": 5}, "age_over_50_new_pain"),
    ],
)
def test_answers_file_refers_on_a_split_factor_or_an_age_factor(
    tmp_path: Path, triage: dict[str, object], flag: str
) -> None:
    data = assess_json("--answers", str(_example_with(tmp_path, **triage)))
    assert data["route"] == "urgent" and [r["code"] for r in data["reasons"]] == [flag]
    assert data["plan"] is None


def test_answers_file_without_age_is_an_error_naming_age_years(tmp_path: Path) -> None:
    proc = run("assess", "--answers", str(_example_with(tmp_path, age_years=None)), "--json")
    assert proc.returncode != 0 and "age_years" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_instruments_leave_the_population_prior_visible(tmp_path: Path) -> None:
    answers = yaml.safe_load((EXAMPLES / "answers-example.yaml").read_text(encoding="utf-8"))
    answers["instruments"] = {"start_back": answers["instruments"]["start_back"]}
    answers["questions"] = {}
    answers["body_map"] = {}
    path = tmp_path / "few.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    data = assess_json("--answers", str(path))
    params = data["profile"]["parameters"]
    assert params["gain_init"]["source"] == "population prior"
    assert params["tissue_drive"]["source"] == "population prior"
    assert params["threat_prior_init"]["sources"] == ["start_back.psychosocial"]
    assert "gain_init" in data["profile"]["population_prior"]


def test_an_answer_out_of_range_is_an_error_naming_the_item(tmp_path: Path) -> None:
    answers = yaml.safe_load((EXAMPLES / "answers-example.yaml").read_text(encoding="utf-8"))
    answers["instruments"]["phq4"]["q2"] = 7
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    proc = run("assess", "--answers", str(path), "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "q2" in proc.stderr and "phq4" in proc.stderr


def test_report_is_written_as_html_with_embedded_figures_and_markdown(tmp_path: Path) -> None:
    args = ("--answers", str(EXAMPLES / "answers-example.yaml"), "--n", "40", "--days", "28", "--lang", "ja")
    proc = run("assess", *args, "--out", str(tmp_path / "report"))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 2
    assert "診断ではありません" in html and "中リスク" in html
    assert "## あなたのプラン" in md and "](course.png)" in md
    assert (tmp_path / "report" / "course.png").stat().st_size > 1000


# Interactive session, driven through stdin. Answers, in the order asked: every red-flag question
# (1 = yes, 2 = no), weeks of pain, examined by a doctor, serious cause found; then per instrument
# "answer now?" (STarT Back is never skippable) and its items; sleep, life pressure, body map, massage.
AGE_AND_WEEKS = "40\n30\n"
NO_FLAGS = "2\n" * FLAG_QUESTIONS
SCOPE = "1\n2\n"
NRS = "1\n6\n"
START_BACK = "1\n0\n1\n1\n1\n1\n0\n0\n3\n"  # medium risk (total 6, psychosocial 3)
SKIP_REST = "2\n" * 7  # csi_a, tsk11, pcs, phq4, pseq2, peg3, rmdq
ENDING = "4\n7\n2\n0\n"  # sleep 4, life pressure 7, no body-map results, no massage


def test_interactive_session_saves_as_it_goes_and_resumes(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    first = run("assess", "--save", str(saved), stdin=AGE_AND_WEEKS + NO_FLAGS + SCOPE + "x\n" + NRS)  # "x" is re-asked
    assert first.returncode == 1  # input ended before the end: saved, not failed
    assert "--resume" in first.stderr
    state = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert len(state["triage"]) == FLAG_QUESTIONS + 4  # age, weeks, flags, examined, finding
    assert state["instruments"] == {"nrs_pain": {"q1": 6}} and state["finished"] is False

    again = run("assess", "--save", str(saved), stdin="")
    assert again.returncode == 2 and "--resume" in again.stderr  # never overwrites a saved session

    data = assess_json("--resume", str(saved), stdin=START_BACK + SKIP_REST + ENDING)
    assert data["route"] == "in_scope" and data["risk_group"] == "medium"
    assert data["scores"]["nrs_pain"]["total"] == 6  # answered in the first sitting
    assert data["profile"]["parameters"]["context_pressure"]["sources"] == ["life_pressure"]
    state = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert state["finished"] is True and set(state["skipped"]) == {
        "csi_a",
        "tsk11",
        "pcs",
        "phq4",
        "pseq2",
        "peg3",
        "rmdq",
    }


def test_interactive_red_flag_ends_before_the_scope_questions(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    data = assess_json("--save", str(saved), "--lang", "ja", stdin=AGE_AND_WEEKS + "1\n" + "2\n" * (FLAG_QUESTIONS - 1))
    assert data["route"] == "emergency" and data["plan"] is None
    state = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert state["triage"]["age_years"] == 40
    assert "examined_by_doctor" not in state["triage"] and state["finished"] is True


def _diary(tmp_path: Path, rows: list[str]) -> Path:
    header = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags"
    path = tmp_path / "diary.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _days(first_pain: int, last_pain: int) -> list[str]:
    return [f"2025-03-{d:02d},{first_pain if d <= 7 else last_pain},5,5,30,,,,," for d in range(1, 22)]


def test_track_raises_the_escalation_alert_on_rising_pressure_and_shrinking_relief(tmp_path: Path) -> None:
    sessions = [f"2025-03-{2 + 3 * k:02d},,,,,massage,{4 + k},{6 - k * 0.5},{3 - k * 0.4},," for k in range(6)]
    proc = run("track", str(_diary(tmp_path, _days(6, 6) + sessions)), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [a["kind"] for a in data["alerts"]] == ["escalation"]
    assert data["escalation"]["alert"] is True and data["escalation"]["pressure_slope"] == pytest.approx(1.0)
    assert data["mcid_reached"]["nrs_pain"] is False


def test_track_reports_the_mcid_reached_and_no_alert_on_steady_gentle_care(tmp_path: Path) -> None:
    sessions = [f"2025-03-{2 + 3 * k:02d},,,,,massage,3,4,2,," for k in range(6)]
    proc = run("track", str(_diary(tmp_path, _days(7, 4) + sessions)), "--json")
    data = json.loads(proc.stdout)
    assert data["alerts"] == [] and data["escalation"]["alert"] is False
    assert data["mcid_reached"]["nrs_pain"] is True  # 7 -> 4: 3 points, at least 2 (and 43% >= 30%)
    assert data["outcomes"]["nrs_pain"]["improvement"] == pytest.approx(3.0)
    text = run("track", str(tmp_path / "diary.csv"), "--lang", "ja")
    assert "注意事項はありません" in text.stdout


def test_track_puts_a_red_flag_reported_in_the_diary_first(tmp_path: Path) -> None:
    rows = [*_days(6, 6)[:-1], "2025-03-21,6,5,5,30,,,,,fever"]
    data = json.loads(run("track", str(_diary(tmp_path, rows)), "--json").stdout)
    assert data["alerts"][0]["kind"] == "red_flag" and data["alerts"][0]["route"] == "urgent"
    assert data["red_flags"]["reasons"] == ["fever"]
