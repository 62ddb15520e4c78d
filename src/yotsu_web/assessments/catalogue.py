"""What the patient can fill in: the pathway's instruments, with text shipped or loaded by the clinic."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from yotsu.pathway.instruments import Instrument, ItemTexts, ItemTextUnavailableError, instruments, item_text
from yotsu_web.assessments.models import InstrumentText
from yotsu_web.clinics.models import Clinic


def clinic_texts(clinic: Clinic, instrument_id: str) -> ItemTexts | None:
    row = InstrumentText.objects.filter(clinic=clinic, instrument=instrument_id).first()
    return _parsed(row) if row is not None else None


@lru_cache(maxsize=256)
def _parse(pk: int, source_yaml: str) -> ItemTexts:
    return InstrumentText(pk=pk, source_yaml=source_yaml).item_texts()


def _parsed(row: InstrumentText) -> ItemTexts:
    """The row's texts, parsed once per content (parsing writes a file and reads YAML: every portal load
    used to do it for every questionnaire)."""
    return _parse(row.pk, row.source_yaml)


@dataclass(frozen=True)
class Offer:
    instrument: Instrument
    texts: ItemTexts | None
    readable: bool  # every item has text in the language asked for


_UNSET: Any = object()


def offer(clinic: Clinic, inst: Instrument, lang: str, texts: ItemTexts | None = _UNSET) -> Offer:
    texts = clinic_texts(clinic, inst.id) if texts is _UNSET else texts
    try:
        for item in inst.items:
            item_text(inst, item.id, lang, texts)
    except ItemTextUnavailableError:
        return Offer(inst, texts, readable=False)
    return Offer(inst, texts, readable=True)


def offers(clinic: Clinic, lang: str) -> list[Offer]:
    """Every instrument with the clinic's texts (one query for all of them)."""
    rows = {row.instrument: row for row in InstrumentText.objects.filter(clinic=clinic).order_by("-pk")}
    out = []
    for inst in instruments().values():
        row = rows.get(inst.id)
        out.append(offer(clinic, inst, lang, _parsed(row) if row is not None else None))
    return out
