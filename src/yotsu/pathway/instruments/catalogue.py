"""The instruments Yotsu ships: one validated YAML file per questionnaire in ``data/``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from yotsu.pathway._common import PathwayDataError, load_model
from yotsu.pathway.instruments.errors import UnknownInstrumentError
from yotsu.pathway.instruments.schema import Instrument


@cache
def instruments() -> dict[str, Instrument]:
    """Every shipped instrument, keyed by id; each file is validated on load."""
    out: dict[str, Instrument] = {}
    folder = resources.files("yotsu.pathway.instruments") / "data"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            inst = load_model(entry, Instrument)
            if inst.id != entry.name.removesuffix(".yaml"):
                raise PathwayDataError(file=entry.name, detail=f"id {inst.id!r} must match the file name")
            out[inst.id] = inst
    return out


def instrument(instrument_id: str) -> Instrument:
    """The instrument with ``instrument_id``; a clear error lists the available ones.

    >>> instrument("rmdq").total.range
    (0.0, 24.0)
    """
    try:
        return instruments()[instrument_id]
    except KeyError:
        raise UnknownInstrumentError(instrument=instrument_id, allowed=", ".join(instruments())) from None


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate an instrument file that is not shipped (e.g. a clinic's own)."""
    return load_model(Path(path), Instrument)
