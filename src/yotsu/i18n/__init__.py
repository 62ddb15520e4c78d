"""Japanese and English for everything the library shows a person.

Two mechanisms, one rule (every string exists in both languages):
- messages in code go through gettext catalogues (``locale/<lang>/LC_MESSAGES/yotsu.po``), read
  with Babel at run time so no compile step is needed; ``gettext(msgid, lang)``;
- texts in data files (parameter meanings, plan and profile descriptions) are :class:`LocalText`
  values with both ``en`` and ``ja`` required by the schema.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from babel.messages.pofile import read_po
from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")


class UnsupportedLanguageError(ValueError):
    """A language code Yotsu has no texts for."""


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if supported, else raise an error naming the allowed codes."""
    if lang not in LANGS:
        raise UnsupportedLanguageError(f"language {lang!r} is not supported; use one of: {', '.join(LANGS)}")
    return lang


class LocalText(BaseModel):
    """A text in English and Japanese; both are required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def __call__(self, lang: str = "en") -> str:
        return str(getattr(self, check_lang(lang)))


@cache
def _catalogue(lang: str) -> dict[str, str]:
    path = resources.files("yotsu.i18n") / "locale" / lang / "LC_MESSAGES" / "yotsu.po"
    with path.open("rb") as fh:
        cat = read_po(fh)
    return {str(m.id): str(m.string) for m in cat if m.id and m.string}


def gettext(msgid: str, lang: str = "en", **fmt: object) -> str:
    """``msgid`` (the English text) in ``lang``, formatted with ``fmt``.

    A message missing from the Japanese catalogue is an error in tests (see
    ``tests/test_i18n.py``); at run time it falls back to English rather than failing a clinic.

    >>> gettext("Pain", "ja")
    '痛み'
    """
    text = msgid if check_lang(lang) == "en" else _catalogue(lang).get(msgid, msgid)
    return text.format(**fmt) if fmt else text


def catalogue_ids(lang: str = "ja") -> set[str]:
    """The message ids the ``lang`` catalogue translates."""
    return set(_catalogue(check_lang(lang)))


__all__ = ["LANGS", "Lang", "LocalText", "UnsupportedLanguageError", "catalogue_ids", "check_lang", "gettext"]
