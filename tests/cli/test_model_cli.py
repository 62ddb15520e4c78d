"""The real ``yotsu`` CLI in a subprocess: contracts, figures, listings and clear errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from yotsu.evidence import registry
from yotsu.model import MAIN_SERIES, named_plans, named_profiles

ROOT = Path(__file__).resolve().parents[2]


def yotsu(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "yotsu.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_simulate_json_follows_the_documented_contract():
    out = json.loads(
        yotsu("simulate", "--profile", "sensitised", "--plan", "strong-massage-weekly", "--days", "30", "--json").stdout
    )
    assert out["profile"] == "sensitised" and out["plan"] == "strong-massage-weekly"
    assert out["days"] == list(range(30))
    assert set(MAIN_SERIES) <= set(out["series"])
    assert all(len(v) == 30 for v in out["series"].values())
    massages = [s for s in out["sessions"] if s["kind"] == "massage"]
    assert [s["day"] for s in massages] == [0, 7, 14, 21, 28]
    assert all(s["pressure"] == 7.0 and s["relief"] > 0 for s in massages)


def test_readme_documents_the_json_contract_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", readme, re.S).group(1))
    real = json.loads(
        yotsu(
            "simulate", "--profile", "sensitised", "--plan", "adaptive-massage-weekly", "--days", "3", "--json"
        ).stdout
    )
    assert set(example) == set(real)
    assert set(example["series"]) == set(real["series"])
    assert set(example["sessions"][0]) == set(real["sessions"][0])


def test_simulate_writes_a_figure(tmp_path):
    fig = tmp_path / "pain.png"
    proc = yotsu(
        "simulate",
        "--profile",
        "sensitised",
        "--plan",
        "strong-massage-weekly",
        "--days",
        "180",
        "--out",
        str(fig),
        "--lang",
        "ja",
    )
    assert fig.stat().st_size > 20_000
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "診断ではありません" in proc.stdout


def test_demo_writes_the_figure_and_the_table(tmp_path):
    proc = yotsu("demo", "--out", str(tmp_path), "--n", "20")
    assert (tmp_path / "demo.png").stat().st_size > 50_000
    rows = (tmp_path / "demo.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 5
    assert "clinic-approach" in (tmp_path / "demo.csv").read_text(encoding="utf-8")
    assert "not a diagnosis" in proc.stdout


@pytest.mark.parametrize(("command", "names"), [("profiles", named_profiles), ("plans", named_plans)])
def test_listings_name_every_shipped_item(command, names):
    out = yotsu(command).stdout
    for name in names():
        assert name in out


def test_evidence_lists_every_citation_with_its_level():
    out = yotsu("evidence").stdout
    for key in registry():
        assert key in out
    assert "clinical impression" in out and "established" in out


def test_evidence_in_japanese_shows_japanese_level_names():
    assert "臨床的印象" in yotsu("evidence", "--level", "clinical_impression", "--lang", "ja").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "--profile", "grumpy"], "unknown profile 'grumpy'"),
        (["simulate", "--plan", "acupuncture"], "unknown plan 'acupuncture'"),
        (["simulate", "--param", "gain_init=9"], "gain_init = 9 is outside its plausible range [1, 4]"),
        (["simulate", "--param", "gain_init"], "NAME=VALUE"),
        (["simulate", "--lang", "fr"], "use one of: en, ja"),
        (["evidence", "--level", "anecdote"], "established, reported, clinical_impression"),
    ],
)
def test_bad_input_exits_2_with_a_message_naming_the_problem(args, message):
    proc = yotsu(*args, check=False)
    assert proc.returncode == 2
    assert message in " ".join((proc.stderr + proc.stdout).split())
