"""Every string in code and templates is in the Japanese catalogue, translated and compiled.

Runs Django's makemessages into a scratch copy of the package, so it needs gettext.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import yotsu_web

PACKAGE = Path(yotsu_web.__file__).parent
CATALOGUE = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {str(m.id) for m in read_po(handle) if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is not installed (apt-get install -y gettext); the catalogue cannot be checked")
    scratch = tmp_path_factory.mktemp("i18n") / "yotsu_web"
    shutil.copytree(PACKAGE, scratch, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (scratch / "locale").mkdir()
    subprocess.run(
        ["django-admin", "makemessages", "-l", "ja", "--no-location", "--no-obsolete"],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    return scratch / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_every_marked_string_is_in_the_catalogue(extracted: Path) -> None:
    assert ids(extracted) - ids(CATALOGUE) == set()


def test_catalogue_has_no_stale_strings(extracted: Path) -> None:
    assert ids(CATALOGUE) - ids(extracted) == set()


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    with CATALOGUE.open("rb") as handle:
        source = {str(m.id): m.string for m in read_po(handle) if m.id}
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = {str(m.id): m.string for m in read_mo(handle) if m.id}
    assert compiled == source, "run: cd src/yotsu_web && django-admin compilemessages"


def test_msgfmt_accepts_the_catalogue() -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
