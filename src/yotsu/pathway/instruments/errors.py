"""Errors of the instrument engine: each names the instrument, the item and what is allowed."""

from __future__ import annotations

from yotsu.pathway._common import PathwayError


class InstrumentError(PathwayError, ValueError):
    """Base of every questionnaire scoring or loading error."""


class UnknownInstrumentError(InstrumentError, KeyError):
    """An instrument id that Yotsu does not ship."""

    template = "unknown instrument {instrument!r}; available instruments: {allowed}"

    def __str__(self) -> str:
        return self.localized("en")


class UnknownItemError(InstrumentError, KeyError):
    """An answer for an item the instrument does not have."""

    template = "{instrument}: unknown item {item!r}; the items are: {allowed}"

    def __str__(self) -> str:
        return self.localized("en")


class AnswerOutOfRangeError(InstrumentError):
    """An answer that is not one of the item's response values."""

    template = "{instrument}: item {item!r} has answer {value!r}, which is not allowed; allowed answers: {allowed}"


class TooManyMissingError(InstrumentError):
    """More unanswered items than the instrument's published missing-item rule allows."""

    template = (
        "{instrument}: {count} item(s) unanswered ({missing}); at most {max_missing} may be missing, "
        "so the score cannot be computed. Please complete the missing items."
    )


class ItemTextUnavailableError(InstrumentError):
    """Item text that Yotsu may not ship and no clinic-supplied text file provides."""

    template = (
        "{instrument}: no {lang} text for item {item!r}. Its licence does not allow Yotsu to ship it; "
        "load your licensed copy with load_item_texts()."
    )


class ClinicTextError(InstrumentError):
    """A clinic-supplied item text file that does not match its instrument."""

    template = "item text file {file}: {detail}"
