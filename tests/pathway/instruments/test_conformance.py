"""One conformance test for every instrument file: adding a file adds its checks."""

from __future__ import annotations

import itertools
from importlib import resources

import pytest

from yotsu.evidence import registry
from yotsu.i18n import LANGS
from yotsu.pathway._common import load_model
from yotsu.pathway.instruments import (
    Instrument,
    ItemTextUnavailableError,
    LicenceStatus,
    from_questionnaire_response,
    instruments,
    item_text,
    score,
    to_questionnaire,
    to_questionnaire_response,
)
from yotsu.pathway.instruments.scoring import item_point_range

FILES = sorted(p.name for p in (resources.files("yotsu.pathway.instruments") / "data").iterdir())
ALL = sorted(instruments())


def extreme_answers(inst: Instrument, highest: bool) -> dict[str, int | None]:
    """The answer giving each item its highest (or lowest) points."""
    out: dict[str, int | None] = {}
    for item in inst.items:
        values = inst.allowed_answers(item.id)
        out[item.id] = max(
            values, key=lambda v: (_pts(inst, item.id, v), v) if highest else (-_pts(inst, item.id, v), -v)
        )
    return out


def _pts(inst: Instrument, item_id: str, value: int) -> float:
    item = inst.item(item_id)
    return item.score_map[value] if item.score_map else value


def test_every_data_file_is_an_instrument() -> None:
    assert [f.removesuffix(".yaml") for f in FILES if f.endswith(".yaml")] == ALL
    assert {"nrs_pain", "peg3", "start_back", "csi_a", "rmdq", "phq4", "pcs", "tsk11", "pseq2", "odi"} <= set(ALL)


@pytest.mark.parametrize("name", FILES)
def test_file_validates_against_the_schema(name: str) -> None:
    inst = load_model(resources.files("yotsu.pathway.instruments") / "data" / name, Instrument)
    assert inst.id == name.removesuffix(".yaml")


@pytest.mark.parametrize("inst_id", ALL)
def test_citation_keys_resolve(inst_id: str) -> None:
    inst = instruments()[inst_id]
    keys = list(inst.evidence.citations) + list(inst.versions.values())
    keys += [k for s in inst.scores if s.mcid for k in s.mcid.evidence.citations]
    if inst.classification:
        keys += list(inst.classification.evidence.citations)
    assert keys and all(k in registry() for k in keys)


@pytest.mark.parametrize("inst_id", ALL)
def test_japanese_and_english_present(inst_id: str) -> None:
    inst = instruments()[inst_id]
    texts = [inst.name] + [s.name for s in inst.scores] + [b.label for s in inst.scores for b in s.bands]
    if inst.classification:
        texts += [inst.classification.name] + [r.label for r in inst.classification.rules]
    if inst.licence.notice:
        texts.append(inst.licence.notice)
    for text, lang in itertools.product(texts, LANGS):
        assert text(lang).strip()


@pytest.mark.parametrize("inst_id", ALL)
def test_item_text_ships_only_in_licensed_languages(inst_id: str) -> None:
    inst = instruments()[inst_id]
    if inst.licence.status in (LicenceStatus.UNCONFIRMED, LicenceStatus.PROPRIETARY):
        assert inst.licence.item_text == ()
    if inst.licence.status is LicenceStatus.NON_COMMERCIAL_FREE:
        assert inst.licence.notice is not None  # Keele: the copyright and funding statement stays with the tool
    for item, lang in itertools.product(inst.items, LANGS):
        if lang in inst.licence.item_text:
            assert item_text(inst, item.id, lang).strip()
        else:
            with pytest.raises(ItemTextUnavailableError, match=item.id):
                item_text(inst, item.id, lang)


@pytest.mark.parametrize("inst_id", ALL)
def test_declared_ranges_are_reached_by_the_extreme_answers(inst_id: str) -> None:
    inst = instruments()[inst_id]
    low, high = score(inst, extreme_answers(inst, False)), score(inst, extreme_answers(inst, True))
    for sdef in inst.scores:
        assert low.scores[sdef.id].value == pytest.approx(sdef.range[0])
        assert high.scores[sdef.id].value == pytest.approx(sdef.range[1])


@pytest.mark.parametrize("inst_id", ALL)
def test_every_integer_score_falls_in_exactly_one_band(inst_id: str) -> None:
    for sdef in instruments()[inst_id].scores:
        for value in range(int(sdef.range[0]), int(sdef.range[1]) + 1):
            if sdef.bands:
                assert sum(b.min <= value <= b.max for b in sdef.bands) == 1, (sdef.id, value)


@pytest.mark.parametrize("inst_id", ALL)
def test_item_points_are_non_negative_integers_in_a_small_range(inst_id: str) -> None:
    inst = instruments()[inst_id]
    for item in inst.items:
        lo, hi = item_point_range(inst, item)
        assert 0 <= lo < hi <= 10


@pytest.mark.parametrize("inst_id", ALL)
def test_fhir_round_trip_of_extreme_answers(inst_id: str) -> None:
    inst = instruments()[inst_id]
    for lang in LANGS:
        questionnaire = to_questionnaire(inst, lang)
        assert [i.linkId for i in questionnaire.item] == [i.id for i in inst.items]
    for highest in (False, True):
        answers = extreme_answers(inst, highest)
        response = to_questionnaire_response(inst, answers)
        back = from_questionnaire_response(response.model_dump_json())
        assert back == score(inst, answers)
