"""The schema every instrument data file follows (one YAML file per questionnaire in ``data/``)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from yotsu.i18n import Lang, LocalText
from yotsu.pathway._common import Evidence, Identifier
from yotsu.pathway.instruments.errors import UnknownItemError

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
LoincCode = Annotated[str, StringConstraints(pattern=r"^\d{1,7}-\d$")]
Text = dict[Lang, Annotated[str, StringConstraints(min_length=1)]]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResponseOption(_Frozen):
    """One answer a person may give; ``label`` only in the languages whose text Yotsu may ship."""

    value: int
    label: Text = {}


class Item(_Frozen):
    """One question. ``score_map`` turns an answer into item points; ``reverse`` flips them."""

    id: ItemId
    response_set: Identifier
    text: Text = {}
    score_map: dict[int, int] | None = None
    reverse: bool = False


class Band(_Frozen):
    """A published category of one score; a value belongs to the last band whose ``min`` it reaches."""

    id: Identifier
    label: LocalText
    min: float
    max: float


class Mcid(_Frozen):
    """Minimal clinically important change: ``absolute`` points, or ``relative`` share of baseline."""

    absolute: float = Field(gt=0)
    relative: float | None = Field(default=None, gt=0, lt=1)
    better: Literal["lower", "higher"]
    evidence: Evidence


class ScoreMethod(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    PERCENT = "percent"  # sum of item points / maximum of the answered items x 100 (ODI)


class ScoreDef(_Frozen):
    """A total or subscale: which items, how combined, its declared range, bands and codes."""

    id: Identifier
    name: LocalText
    items: tuple[ItemId, ...] | None = None  # None: every item
    method: ScoreMethod = ScoreMethod.SUM
    range: tuple[float, float]
    bands: tuple[Band, ...] = ()
    loinc: LoincCode | None = None
    mcid: Mcid | None = None

    @model_validator(mode="after")
    def _bands_tile_the_range(self) -> ScoreDef:
        if self.range[0] >= self.range[1]:
            raise ValueError(f"score {self.id}: range must be [min, max] with min < max")
        if self.bands:
            if self.bands[0].min != self.range[0] or self.bands[-1].max != self.range[1]:
                raise ValueError(f"score {self.id}: bands must start at {self.range[0]} and end at {self.range[1]}")
            for lower, upper in zip(self.bands, self.bands[1:], strict=False):
                if not lower.max < upper.min:
                    raise ValueError(f"score {self.id}: band {upper.id} must start above {lower.id}")
        return self


class Condition(_Frozen):
    score: Identifier
    min: float | None = None
    max: float | None = None


class Rule(_Frozen):
    category: Identifier
    label: LocalText
    when: tuple[Condition, ...] = ()


class Classification(_Frozen):
    """A classification across scores (e.g. STarT Back risk group): the first rule that holds wins."""

    id: Identifier
    name: LocalText
    rules: tuple[Rule, ...] = Field(min_length=1)
    evidence: Evidence


class MissingRule(_Frozen):
    """How many items may be unanswered; a sum with missing items is prorated, a mean and a percent
    use the answered items only."""

    max_missing: int = Field(default=0, ge=0)
    source: str


class LicenceStatus(StrEnum):
    PUBLIC = "public"
    FREE_NO_PERMISSION = "free_no_permission"
    NON_COMMERCIAL_FREE = "non_commercial_free"
    UNCONFIRMED = "unconfirmed"
    PROPRIETARY = "proprietary"


class Licence(_Frozen):
    """What the owner allows; ``item_text`` lists the languages whose item text Yotsu ships.

    ``source`` names what was read to decide, ``checked`` the date it was read; text ships only in
    languages whose licence was confirmed from a readable source (the rest comes from the clinic)."""

    status: LicenceStatus
    holder: str
    item_text: tuple[Lang, ...] = ()
    notice: LocalText | None = None
    decision: str = Field(min_length=1)
    source: str = Field(min_length=1)
    checked: dt.date


class Instrument(_Frozen):
    """A questionnaire as data: items, responses, scoring, categories, MCID, languages, licence."""

    id: Identifier
    name: LocalText
    short_name: str
    recall: Text = {}
    versions: dict[Lang, str]  # the citation key of each validated language version
    response_sets: dict[Identifier, tuple[ResponseOption, ...]]
    items: tuple[Item, ...] = Field(min_length=1)
    scores: tuple[ScoreDef, ...] = Field(min_length=1)  # the first is the total
    classification: Classification | None = None
    missing: MissingRule
    licence: Licence
    loinc_panel: LoincCode | None = None
    evidence: Evidence
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        shipped = set(self.licence.item_text)
        if not set(self.recall) <= shipped:
            raise ValueError(f"recall text may only be given in the licensed languages {sorted(shipped)}")
        for item in self.items:
            values = {o.value for o in self.response_sets.get(item.response_set, ())}
            if not values:
                raise ValueError(f"item {item.id}: unknown response set {item.response_set!r}")
            if item.score_map is not None and set(item.score_map) != values:
                raise ValueError(f"item {item.id}: score_map must map exactly the answers {sorted(values)}")
            if set(item.text) != shipped:
                raise ValueError(
                    f"item {item.id}: text must be given in exactly the licensed languages {sorted(shipped)}"
                )
        for name, options in self.response_sets.items():
            if any(set(o.label) != shipped for o in options):
                raise ValueError(f"response set {name}: labels must be in exactly {sorted(shipped)}")
        score_ids = {s.id for s in self.scores}
        for score in self.scores:
            unknown = set(score.items or ()) - set(ids)
            if unknown:
                raise ValueError(f"score {score.id}: unknown items {sorted(unknown)}")
            if self.missing.max_missing >= len(score.items or ids):
                raise ValueError(f"score {score.id}: max_missing would allow every item to be missing")
        if self.classification:
            for rule in self.classification.rules:
                for cond in rule.when:
                    if cond.score not in score_ids:
                        raise ValueError(f"classification rule {rule.category}: unknown score {cond.score}")
        return self

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownItemError(instrument=self.id, item=item_id, allowed=", ".join(i.id for i in self.items))

    def allowed_answers(self, item_id: str) -> tuple[int, ...]:
        return tuple(o.value for o in self.response_sets[self.item(item_id).response_set])

    @property
    def total(self) -> ScoreDef:
        return self.scores[0]
