"""The pathway's public API is pinned, and every message it can show exists in Japanese."""

from __future__ import annotations

import doctest

import pytest

import yotsu.pathway as pathway
from yotsu.i18n import catalogue_ids
from yotsu.pathway import PathwayError, detect_escalation, next_level
from yotsu.pathway.exercises import PainResponse


def all_error_classes(cls: type[PathwayError] = PathwayError) -> list[type[PathwayError]]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *all_error_classes(sub)]
    return out


def test_public_api_is_exactly_the_documented_names() -> None:
    assert sorted(pathway.__all__) == pathway.__all__
    assert all(hasattr(pathway, name) for name in pathway.__all__)
    assert {"triage", "score", "build_plan", "detect_escalation", "estimate_body_map_precision"} <= set(pathway.__all__)


@pytest.mark.parametrize("error", all_error_classes(), ids=lambda c: c.__name__)
def test_every_error_message_has_a_japanese_translation(error: type[PathwayError]) -> None:
    if error.template != "{detail}":
        assert error.template in catalogue_ids("ja")


def test_generated_advice_is_translated() -> None:
    assert detect_escalation([]).message.ja != detect_escalation([]).message.en
    calm = PainResponse(before=3, during_max=3, next_morning=3)
    decision = next_level("hip_hinge", 1, [calm, calm])
    assert decision.reason.ja != decision.reason.en


@pytest.mark.parametrize(
    "module",
    ["triage", "instruments.catalogue", "instruments.scoring", "bodymap", "tracking", "plan"],
)
def test_docstring_examples_run(module: str) -> None:
    mod = __import__(f"yotsu.pathway.{module}", fromlist=["_"])
    failures, tried = doctest.testmod(mod)
    assert tried > 0 and failures == 0
