"""Issue 10, item 7: every constant of the daily step is a named parameter or a documented scale."""

from __future__ import annotations

import ast
from pathlib import Path

import yotsu.model._step as step_module
from yotsu.model import parameter_table
from yotsu.model._step import Params

# Literals that are mathematics, not model constants: identity and zero, the midpoint and span of
# the smooth step 1 -> 0 in ``activity_of``, and the 2 of a half-life.
MATHEMATICAL = {0.0, 1.0}
ALLOWED_IN = {("activity_of", 0.5), ("decay", 2.0)}


def _numeric_literals_in_functions() -> list[tuple[str, float, int]]:
    tree = ast.parse(Path(step_module.__file__).read_text(encoding="utf-8"))
    found = []
    for fn in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, int | float)
                and not isinstance(node.value, bool)
            ):
                value = float(node.value)
                if value not in MATHEMATICAL and (fn.name, value) not in ALLOWED_IN:
                    found.append((fn.name, value, node.lineno))
    return found


def test_the_daily_step_has_no_unnamed_number():
    assert _numeric_literals_in_functions() == []


def test_the_check_finds_an_unnamed_number(tmp_path, monkeypatch):
    # The check itself can fail: a step with a bare coefficient in it is caught.
    source = Path(step_module.__file__).read_text(encoding="utf-8")
    bad = source.replace("p.guarding_ease_by_comfort * (comfort", "0.3 * (comfort", 1)
    assert bad != source
    copy = tmp_path / "_step.py"
    copy.write_text(bad, encoding="utf-8")
    monkeypatch.setattr(step_module, "__file__", str(copy))
    assert [(name, value) for name, value, _ in _numeric_literals_in_functions()] == [("guarding_after", 0.3)]


def test_every_step_parameter_has_range_unit_meaning_and_evidence():
    table = parameter_table()
    assert tuple(table) == Params._fields
    for spec in table.values():
        lo, hi = spec.range
        assert lo < hi, spec.name
        assert spec.unit.strip(), spec.name
        assert spec.meaning.en.strip() and spec.meaning.ja.strip(), spec.name
        assert spec.evidence, spec.name
