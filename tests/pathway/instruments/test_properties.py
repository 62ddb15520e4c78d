"""Properties of the scoring engine over generated answers: bounds, monotonicity, reverse items."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yotsu.pathway.instruments import Instrument, instruments, load_instrument, score

ALL = sorted(instruments())
FIXTURE = Path(__file__).parent / "fixture_reverse.yaml"


def complete_answers(inst: Instrument) -> st.SearchStrategy[dict[str, int | None]]:
    return st.fixed_dictionaries({i.id: st.sampled_from(inst.allowed_answers(i.id)) for i in inst.items})


@st.composite
def instrument_and_answers(draw: st.DrawFn) -> tuple[Instrument, dict[str, int | None]]:
    inst = instruments()[draw(st.sampled_from(ALL))]
    return inst, draw(complete_answers(inst))


@given(case=instrument_and_answers())
def test_every_score_stays_within_its_declared_range(case: tuple[Instrument, dict]) -> None:
    inst, answers = case
    result = score(inst, answers)
    for sdef in inst.scores:
        lo, hi = sdef.range
        assert lo <= result.scores[sdef.id].value <= hi
    if inst.classification:
        assert result.classification is not None


@given(case=instrument_and_answers(), data=st.data())
def test_raising_one_answer_never_lowers_a_score(case: tuple[Instrument, dict], data: st.DataObject) -> None:
    inst, answers = case
    item = data.draw(st.sampled_from(inst.items))
    higher = [v for v in inst.allowed_answers(item.id) if v > answers[item.id]]
    if not higher:
        return
    before = score(inst, answers)
    after = score(inst, {**answers, item.id: data.draw(st.sampled_from(higher))})
    for sid, value in after.scores.items():
        assert value.value >= before.scores[sid].value


def test_reverse_fixture_loads() -> None:
    inst = load_instrument(FIXTURE)
    assert [i.reverse for i in inst.items] == [False, True, False]


@given(a=st.integers(0, 4), r=st.integers(0, 4), c=st.integers(0, 4))
def test_reverse_item_counts_from_the_top(a: int, r: int, c: int) -> None:
    inst = load_instrument(FIXTURE)
    # fixture: q1 + (4 - q2) + q3, each answered 0..4
    assert score(inst, {"q1": a, "q2": r, "q3": c}).total.value == a + (4 - r) + c


@given(a=st.integers(0, 4), r=st.integers(0, 3))
def test_raising_a_reverse_item_lowers_the_score(a: int, r: int) -> None:
    inst = load_instrument(FIXTURE)
    low = score(inst, {"q1": a, "q2": r, "q3": 2}).total.value
    high = score(inst, {"q1": a, "q2": r + 1, "q3": 2}).total.value
    assert high == low - 1


def test_prorated_sum_with_one_allowed_missing_item() -> None:
    inst = load_instrument(FIXTURE)
    # q1 = 3, q2 reversed 1 -> 3, q3 missing: (3 + 3) x 3 answered-of-2 = 6 x 3 / 2 = 9
    result = score(inst, {"q1": 3, "q2": 1, "q3": None})
    assert result.total.value == pytest.approx(9.0)
