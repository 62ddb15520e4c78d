"""docs/pathway.md cannot drift: its mapping table, JSON keys and command options match the code."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from yotsu.cli._pathway import pathway_app
from yotsu.pathway.assess import assess, load_answers
from yotsu.pathway.profile import profile_mapping

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "pathway.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "src" / "yotsu" / "pathway" / "data" / "examples"


def test_the_mapping_table_lists_every_mapping_as_shipped() -> None:
    for m in profile_mapping().mappings:
        points = ", ".join(f"{a:g}→{b:g}" for a, b in m.points)
        row = (
            f"| `{m.parameter}` | `{m.input}` | {points} | {m.sd:g} | {', '.join(m.evidence.citations)} "
            f"| {m.evidence.level.value} |"
        )
        assert row in DOC


def test_every_key_of_the_assess_json_is_documented() -> None:
    data = assess(load_answers(EXAMPLES / "answers-example.yaml"), n=20, days=14).to_json()
    for key in data:
        assert f"| `{key}` |" in DOC
    for key in data["explanation"]:
        assert f"`{key}`" in DOC


@pytest.mark.parametrize("command", ["assess", "track"])
def test_every_option_of_the_commands_is_documented(command: str) -> None:
    click_app = typer.main.get_command(pathway_app)
    cmd = click_app.commands[command]  # type: ignore[attr-defined]
    for param in cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in DOC or f"{opt} " in DOC, opt
