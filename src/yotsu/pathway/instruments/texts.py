"""Item text a clinic supplies from its own licensed copy, for instruments Yotsu may not ship text for.

File format (YAML), one file per instrument and any subset of languages::

    instrument: csi_a                 # the instrument id
    source: CSI-J, licensed copy from ...   # where the clinic's text comes from (required)
    languages: [ja]                   # languages this file provides
    recall: {ja: ...}                 # optional instructions shown above the items
    items:                            # every item, in every listed language
      q1: {ja: ...}
      q2: {ja: ...}
    options:                          # optional answer labels, by response set and value
      frequency:
        0: {ja: ...}

Loading checks the file against the instrument: unknown or missing items, unknown response values and
missing languages are errors naming the item.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yotsu.i18n import Lang, check_lang
from yotsu.pathway._common import PathwayDataError, load_model
from yotsu.pathway.instruments.catalogue import instrument as get_instrument
from yotsu.pathway.instruments.errors import ClinicTextError, ItemTextUnavailableError
from yotsu.pathway.instruments.schema import Instrument, Text


class ItemTexts(BaseModel):
    """Clinic-supplied text for one instrument (see the module docstring for the file format)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument: str
    source: str = Field(min_length=1)
    languages: tuple[Lang, ...] = Field(min_length=1)
    recall: Text = {}
    items: dict[str, Text]
    options: dict[str, dict[int, Text]] = {}


def load_item_texts(path: str | Path) -> ItemTexts:
    """Load and check a clinic's item text file against its instrument."""
    path = Path(path)
    try:
        texts = load_model(path, ItemTexts)
    except PathwayDataError as exc:
        raise ClinicTextError(file=path.name, detail=exc.facts.get("detail", str(exc))) from exc
    _check(texts, get_instrument(texts.instrument), path.name)
    return texts


def _check(texts: ItemTexts, inst: Instrument, file: str) -> None:
    ids = [i.id for i in inst.items]
    unknown = sorted(set(texts.items) - set(ids))
    if unknown:
        raise ClinicTextError(file=file, detail=f"unknown items {unknown}; {inst.id} has {', '.join(ids)}")
    for item_id in ids:
        have = set(texts.items.get(item_id, {}))
        lacking = [lang for lang in texts.languages if lang not in have]
        if lacking:
            raise ClinicTextError(file=file, detail=f"item {item_id!r} has no text in {', '.join(lacking)}")
    for set_name, labels in texts.options.items():
        if set_name not in inst.response_sets:
            raise ClinicTextError(file=file, detail=f"unknown response set {set_name!r}")
        values = {o.value for o in inst.response_sets[set_name]}
        if set(labels) - values:
            raise ClinicTextError(file=file, detail=f"response set {set_name!r} has values {sorted(values)} only")


def item_text(inst: Instrument, item_id: str, lang: str, clinic: ItemTexts | None = None) -> str:
    """The text of an item in ``lang``: shipped if the licence allows, else from the clinic's file."""
    lang = check_lang(lang)
    shipped = inst.item(item_id).text.get(lang)
    if shipped:
        return shipped
    if clinic is not None and clinic.instrument == inst.id and lang in clinic.items.get(item_id, {}):
        return clinic.items[item_id][lang]
    raise ItemTextUnavailableError(instrument=inst.id, item=item_id, lang=lang)


def option_label(inst: Instrument, response_set: str, value: int, lang: str, clinic: ItemTexts | None = None) -> str:
    """An answer's label in ``lang``; falls back to the number itself when no licensed label exists."""
    lang = check_lang(lang)
    for option in inst.response_sets[response_set]:
        if option.value == value and lang in option.label:
            return option.label[lang]
    if clinic is not None and clinic.instrument == inst.id:
        label = clinic.options.get(response_set, {}).get(value, {}).get(lang)
        if label:
            return label
    return str(value)
