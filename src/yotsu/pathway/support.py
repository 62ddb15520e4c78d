"""Support: instrument categories that warrant a supportive message and a word to the practitioner.

The triggers and the Japanese support lines are data (``data/support.yaml``; kroenke2009 for the PHQ-4
severe band, mhlw_mamorouyo for the lines). This is not a diagnosis: it tells a person where help is and
tells their practitioner to get in touch.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from yotsu.i18n import LocalText
from yotsu.pathway._common import Evidence, Identifier, load_model, package_data
from yotsu.pathway.instruments import InstrumentResult


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Trigger(_Frozen):
    instrument: Identifier
    score: Identifier
    band: Identifier


class SupportLine(_Frozen):
    name: LocalText
    number: str
    hours: LocalText


class SupportRules(_Frozen):
    triggers: tuple[Trigger, ...] = Field(min_length=1)
    message: LocalText
    lines: tuple[SupportLine, ...] = Field(min_length=1)
    source: LocalText
    evidence: Evidence


@cache
def support_rules() -> SupportRules:
    return load_model(package_data("yotsu.pathway", "support.yaml"), SupportRules)


def support_needed(result: InstrumentResult) -> SupportRules | None:
    """The supportive message and lines when ``result`` falls in a category that warrants them.

    >>> from yotsu.pathway import score
    >>> support_needed(score("phq4", {"q1": 3, "q2": 3, "q3": 2, "q4": 2})) is not None
    True
    >>> support_needed(score("phq4", {"q1": 1, "q2": 0, "q3": 0, "q4": 0})) is None
    True
    """
    rules = support_rules()
    for trigger in rules.triggers:
        if trigger.instrument != result.instrument or trigger.score not in result.scores:
            continue
        category = result.scores[trigger.score].category
        if category is not None and category.id == trigger.band:
            return rules
    return None


__all__ = ["SupportLine", "SupportRules", "Trigger", "support_needed", "support_rules"]
