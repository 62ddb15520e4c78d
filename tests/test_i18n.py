"""Every message the library shows exists in Japanese (gettext catalogue) as well as English."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import yotsu
from yotsu.i18n import catalogue_ids, gettext
from yotsu.model.figures import SERIES_LABELS

SRC = Path(yotsu.__file__).parent


def _msgids() -> set[str]:
    ids: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "gettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                ids.add(node.args[0].value)
    return ids | set(SERIES_LABELS.values())


def test_the_scan_finds_the_messages():
    assert "Model output, not a diagnosis." in _msgids()


@pytest.mark.parametrize("msgid", sorted(_msgids()))
def test_message_has_a_japanese_translation(msgid):
    assert msgid in catalogue_ids("ja")
    assert gettext(msgid, "ja") != msgid


def test_formatting_works_in_both_languages():
    assert gettext("week {w}", "ja", w=3) == "3週目"
    assert gettext("week {w}", "en", w=3) == "week 3"


def test_unknown_language_is_refused_with_the_allowed_codes():
    with pytest.raises(ValueError, match="en, ja"):
        gettext("Pain", "fr")
