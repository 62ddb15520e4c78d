"""One scoring engine for every instrument, following each file's published rules exactly."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from yotsu.i18n import LocalText
from yotsu.pathway.instruments.catalogue import instrument as get_instrument
from yotsu.pathway.instruments.errors import AnswerOutOfRangeError, TooManyMissingError, UnknownItemError
from yotsu.pathway.instruments.schema import Band, Condition, Instrument, Item, ScoreDef, ScoreMethod

Answers = Mapping[str, int | None]


class Category(BaseModel):
    """A named category a score (or a classification) falls in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: LocalText


class ScoreValue(BaseModel):
    """One computed score: its value, declared range and band."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: LocalText
    value: float
    range: tuple[float, float]
    category: Category | None = None


class InstrumentResult(BaseModel):
    """A scored completion: every score (total first), the classification, and what was missing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument: str
    answers: dict[str, int | None]
    scores: dict[str, ScoreValue]
    classification: Category | None = None
    missing: tuple[str, ...] = ()

    @property
    def total(self) -> ScoreValue:
        return next(iter(self.scores.values()))

    def subscales(self) -> dict[str, ScoreValue]:
        return dict(list(self.scores.items())[1:])


def score(instrument: Instrument | str, answers: Answers) -> InstrumentResult:
    """Score ``answers`` (item id -> response value, ``None`` = unanswered) by the instrument's rules.

    Raises :class:`UnknownItemError`, :class:`AnswerOutOfRangeError` or :class:`TooManyMissingError`;
    nothing is scored silently.

    >>> score("phq4", {"q1": 1, "q2": 2, "q3": 0, "q4": 1}).total.value
    4.0
    """
    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    points = _item_points(inst, answers)
    missing = tuple(i.id for i in inst.items if points[i.id] is None)
    if len(missing) > inst.missing.max_missing:
        raise TooManyMissingError(
            instrument=inst.id,
            count=len(missing),
            missing=", ".join(missing),
            max_missing=inst.missing.max_missing,
        )
    values = {s.id: _combine(inst, s, points) for s in inst.scores}
    scores = {
        s.id: ScoreValue(id=s.id, name=s.name, value=values[s.id], range=s.range, category=_band(s, values[s.id]))
        for s in inst.scores
    }
    return InstrumentResult(
        instrument=inst.id,
        answers={i.id: answers.get(i.id) for i in inst.items},
        scores=scores,
        classification=_classify(inst, values),
        missing=missing,
    )


def _item_points(inst: Instrument, answers: Answers) -> dict[str, float | None]:
    for key in answers:
        inst.item(key)  # raises UnknownItemError naming the allowed items
    out: dict[str, float | None] = {}
    for item in inst.items:
        value = answers.get(item.id)
        if value is None:
            out[item.id] = None
            continue
        allowed = inst.allowed_answers(item.id)
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise AnswerOutOfRangeError(
                instrument=inst.id, item=item.id, value=value, allowed=", ".join(map(str, allowed))
            )
        out[item.id] = float(item_points(inst, item, value))
    return out


def item_points(inst: Instrument, item: Item, value: int) -> int:
    pts = item.score_map[value] if item.score_map is not None else value
    if item.reverse:
        lo, hi = item_point_range(inst, item)
        pts = lo + hi - pts
    return pts


def item_point_range(inst: Instrument, item: Item) -> tuple[int, int]:
    """The lowest and highest points an item can give."""
    values = inst.allowed_answers(item.id)
    pts = [item.score_map[v] for v in values] if item.score_map is not None else list(values)
    return min(pts), max(pts)


def _combine(inst: Instrument, sdef: ScoreDef, points: Mapping[str, float | None]) -> float:
    ids = sdef.items or tuple(i.id for i in inst.items)
    answered = [i for i in ids if points[i] is not None]
    total = sum(points[i] or 0.0 for i in answered)
    if sdef.method is ScoreMethod.MEAN:
        return total / len(answered)
    if sdef.method is ScoreMethod.PERCENT:
        maximum = sum(item_point_range(inst, inst.item(i))[1] for i in answered)
        return total / maximum * 100.0
    if len(answered) < len(ids):  # prorate a sum over the answered items (only where the file allows)
        return total * len(ids) / len(answered)
    return total


def _band(sdef: ScoreDef, value: float) -> Category | None:
    chosen: Band | None = None
    for band in sdef.bands:
        if value >= band.min:
            chosen = band
    return Category(id=chosen.id, label=chosen.label) if chosen else None


def _holds(cond: Condition, values: Mapping[str, float]) -> bool:
    v = values[cond.score]
    return (cond.min is None or v >= cond.min) and (cond.max is None or v <= cond.max)


def _classify(inst: Instrument, values: Mapping[str, float]) -> Category | None:
    if inst.classification is None:
        return None
    for rule in inst.classification.rules:
        if all(_holds(c, values) for c in rule.when):
            return Category(id=rule.category, label=rule.label)
    return None


__all__ = ["Answers", "Category", "InstrumentResult", "ScoreValue", "UnknownItemError", "score"]
