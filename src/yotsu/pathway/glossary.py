"""Glossary: each technical word of the pathway and the everyday word patients see instead.

The terms are data (``data/glossary.yaml``). ``forbidden`` ones never appear on a patient page (the web
app's plain-words test reads them from here); ``explained`` ones may, and the glossary page explains them.

>>> glossary()["population_prior"].plain.ja
'平均的な人の値'
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yotsu.i18n import LocalText
from yotsu.pathway._common import load_model, package_data


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Term(_Frozen):
    technical: LocalText
    plain: LocalText
    meaning: LocalText
    also: dict[str, tuple[str, ...]] = {}  # lang -> other forms of the technical word
    patient_pages: Literal["forbidden", "explained"]


class Glossary(_Frozen):
    terms: dict[str, Term] = Field(min_length=1)


@cache
def glossary() -> dict[str, Term]:
    """The shipped glossary, by term id, validated on load."""
    return load_model(package_data("yotsu.pathway", "glossary.yaml"), Glossary).terms


def forbidden_on_patient_pages(lang: str) -> tuple[str, ...]:
    """The technical words (in ``lang``, with their other forms) that a patient page must not show."""
    out: list[str] = []
    for t in glossary().values():
        if t.patient_pages == "forbidden":
            out += [t.technical(lang), *t.also.get(lang, ())]
    return tuple(dict.fromkeys(out))


__all__ = ["Glossary", "Term", "forbidden_on_patient_pages", "glossary"]
