"""What the patient can fill in: the pathway's instruments, with text shipped or loaded by the clinic."""

from __future__ import annotations

from dataclasses import dataclass

from yotsu.pathway.instruments import Instrument, ItemTexts, ItemTextUnavailableError, instruments, item_text
from yotsu_web.assessments.models import InstrumentText
from yotsu_web.clinics.models import Clinic


def clinic_texts(clinic: Clinic, instrument_id: str) -> ItemTexts | None:
    row = InstrumentText.objects.filter(clinic=clinic, instrument=instrument_id).first()
    return row.item_texts() if row is not None else None


@dataclass(frozen=True)
class Offer:
    instrument: Instrument
    texts: ItemTexts | None
    readable: bool  # every item has text in the language asked for


def offer(clinic: Clinic, inst: Instrument, lang: str) -> Offer:
    texts = clinic_texts(clinic, inst.id)
    try:
        for item in inst.items:
            item_text(inst, item.id, lang, texts)
    except ItemTextUnavailableError:
        return Offer(inst, texts, readable=False)
    return Offer(inst, texts, readable=True)


def offers(clinic: Clinic, lang: str) -> list[Offer]:
    return [offer(clinic, inst, lang) for inst in instruments().values()]
