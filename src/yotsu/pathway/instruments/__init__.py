"""Questionnaires as data: one schema, one YAML file per instrument, one scoring engine, FHIR export.

Licences decide what ships (instruments.md): item text only where the owner allows it; otherwise the
scoring ships and the clinic loads its licensed text with :func:`load_item_texts`.
"""

from yotsu.pathway.instruments.catalogue import instrument, instruments, load_instrument
from yotsu.pathway.instruments.errors import (
    AnswerOutOfRangeError,
    ClinicTextError,
    InstrumentError,
    ItemTextUnavailableError,
    TooManyMissingError,
    UnknownInstrumentError,
    UnknownItemError,
)
from yotsu.pathway.instruments.fhir import (
    FhirImportError,
    from_questionnaire_response,
    to_observations,
    to_questionnaire,
    to_questionnaire_response,
)
from yotsu.pathway.instruments.schema import Instrument, LicenceStatus
from yotsu.pathway.instruments.scoring import Category, InstrumentResult, ScoreValue, score
from yotsu.pathway.instruments.texts import ItemTexts, item_text, load_item_texts, option_label

__all__ = [
    "AnswerOutOfRangeError",
    "Category",
    "ClinicTextError",
    "FhirImportError",
    "Instrument",
    "InstrumentError",
    "InstrumentResult",
    "ItemTextUnavailableError",
    "ItemTexts",
    "LicenceStatus",
    "ScoreValue",
    "TooManyMissingError",
    "UnknownInstrumentError",
    "UnknownItemError",
    "from_questionnaire_response",
    "instrument",
    "instruments",
    "item_text",
    "load_instrument",
    "load_item_texts",
    "option_label",
    "score",
    "to_observations",
    "to_questionnaire",
    "to_questionnaire_response",
]
