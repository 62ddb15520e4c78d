"""Scores computed by hand from the published rules (the arithmetic is written in each test)."""

from __future__ import annotations

import pytest

from yotsu.pathway.instruments import (
    AnswerOutOfRangeError,
    TooManyMissingError,
    UnknownInstrumentError,
    UnknownItemError,
    score,
)


def q(*values: int | None, prefix: str = "q") -> dict[str, int | None]:
    return {f"{prefix}{i}": v for i, v in enumerate(values, start=1)}


def test_nrs_is_the_value_itself() -> None:
    assert score("nrs_pain", {"q1": 7}).total.value == 7


def test_peg_is_the_mean_of_three() -> None:
    # (6 + 4 + 5) / 3 = 5.0
    assert score("peg3", {"p": 6, "e": 4, "g": 5}).total.value == pytest.approx(5.0)
    # (7 + 8 + 8) / 3 = 7.666...
    assert score("peg3", {"p": 7, "e": 8, "g": 8}).total.value == pytest.approx(23 / 3)


def test_start_back_high_risk_when_psychosocial_reaches_four() -> None:
    # items 1-8 agree=1: 1,0,1,1,1,1,0,1; item 9 "very much" (3) counts 1
    # total = 1+0+1+1+1+1+0+1+1 = 7; psychosocial = q5..q9 = 1+1+0+1+1 = 4 -> high
    result = score("start_back", q(1, 0, 1, 1, 1, 1, 0, 1, 3))
    assert result.total.value == 7
    assert result.scores["psychosocial"].value == 4
    assert result.classification is not None and result.classification.id == "high"


def test_start_back_medium_risk() -> None:
    # 1+1+1+1 + 1+0+0+1 + ("moderately" (2) counts 0) = 6; psychosocial = 1+0+0+1+0 = 2 -> medium
    result = score("start_back", q(1, 1, 1, 1, 1, 0, 0, 1, 2))
    assert (result.total.value, result.scores["psychosocial"].value) == (6, 2)
    assert result.classification is not None and result.classification.id == "medium"


def test_start_back_low_risk_at_three() -> None:
    # 1+1+0+0+0+0+0+0 + ("extremely" (4) counts 1) = 3 -> low, whatever the subscale (here 1)
    result = score("start_back", q(1, 1, 0, 0, 0, 0, 0, 0, 4))
    assert result.total.value == 3
    assert result.classification is not None and result.classification.id == "low"


def test_csi_severity_bands_at_their_edges() -> None:
    # all 25 items "sometimes" (2): 25 x 2 = 50 -> severe (50-59), screen positive (>= 40)
    result = score("csi_a", q(*[2] * 25))
    assert result.total.value == 50
    assert result.total.category is not None and result.total.category.id == "severe"
    # ten items "always" (4), fifteen "never" (0): 40 -> moderate, screen positive
    forty = score("csi_a", q(*([4] * 10 + [0] * 15)))
    assert forty.total.category is not None and forty.total.category.id == "moderate"
    assert forty.classification is not None and forty.classification.id == "positive"
    # 9 x 4 + 1 x 3 = 39 -> mild, screen negative
    below = score("csi_a", q(*([4] * 9 + [3] + [0] * 15)))
    assert below.total.value == 39
    assert below.total.category is not None and below.total.category.id == "mild"
    assert below.classification is not None and below.classification.id == "negative"


def test_rmdq_counts_yes_answers() -> None:
    # 9 statements marked yes, 15 no -> 9
    result = score("rmdq", q(*([1] * 9 + [0] * 15)))
    assert result.total.value == 9
    assert result.total.category is not None and result.total.category.id == "not_recovered"
    recovered = score("rmdq", q(*([1] * 2 + [0] * 22)))
    assert recovered.total.category is not None and recovered.total.category.id == "recovered"


def test_phq4_total_and_construct_subscales() -> None:
    # anxiety q1+q2 = 2+1 = 3 (positive); depression q3+q4 = 1+1 = 2 (negative); total 5 -> mild (3-5)
    result = score("phq4", q(2, 1, 1, 1))
    assert result.total.value == 5
    assert result.total.category is not None and result.total.category.id == "mild"
    anxiety, depression = result.scores["anxiety"], result.scores["depression"]
    assert (anxiety.value, depression.value) == (3, 2)
    assert anxiety.category is not None and anxiety.category.id == "positive"
    assert depression.category is not None and depression.category.id == "negative"


def test_pcs_total_and_three_subscales() -> None:
    answers = q(3, 3, 2, 2, 2, 1, 1, 4, 4, 3, 3, 2, 0)
    result = score("pcs", answers)
    # rumination q8-q11 = 4+4+3+3 = 14; magnification q6,q7,q13 = 1+1+0 = 2;
    # helplessness q1-q5,q12 = 3+3+2+2+2+2 = 14; total = 14+2+14 = 30 -> clinically relevant (>= 30)
    assert result.scores["rumination"].value == 14
    assert result.scores["magnification"].value == 2
    assert result.scores["helplessness"].value == 14
    assert result.total.value == 30
    assert result.total.category is not None and result.total.category.id == "clinically_relevant"


def test_tsk11_sums_the_eleven_kept_items_without_reversal() -> None:
    kept = [1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17]
    values = [2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]
    # 2+3+4+1+2+3+4+1+2+3+4 = 29
    assert score("tsk11", {f"q{k}": v for k, v in zip(kept, values, strict=True)}).total.value == 29
    with pytest.raises(UnknownItemError, match=r"q4"):
        score("tsk11", {"q4": 2})  # a removed TSK-17 item


def test_pseq2_sums_items_5_and_9() -> None:
    assert score("pseq2", {"q5": 4, "q9": 5}).total.value == 9


def test_odi_percent_of_the_answered_maximum() -> None:
    sections = [1, 2, 3, 4, 5, 0, 1, 2, 3, 4]
    # sum 25 of a possible 10 x 5 = 50 -> 50 %, severe (41-60)
    full = score("odi", q(*sections, prefix="s"))
    assert full.total.value == pytest.approx(50.0)
    assert full.total.category is not None and full.total.category.id == "severe"
    # section 10 missing: sum 21 of 9 x 5 = 45 -> 46.67 %
    one_missing = score("odi", q(*sections[:9], None, prefix="s"))
    assert one_missing.total.value == pytest.approx(21 / 45 * 100)
    assert one_missing.missing == ("s10",)


def test_odi_refuses_two_missing_sections() -> None:
    with pytest.raises(TooManyMissingError, match=r"s9, s10.*at most 1"):
        score("odi", q(1, 2, 3, 4, 5, 0, 1, 2, None, None, prefix="s"))


def test_out_of_range_answer_names_item_and_allowed_values() -> None:
    with pytest.raises(AnswerOutOfRangeError, match=r"item 'q3' has answer 4.*0, 1, 2, 3"):
        score("phq4", q(0, 1, 4, 1))


def test_boolean_is_not_a_number_answer() -> None:
    with pytest.raises(AnswerOutOfRangeError, match=r"q1"):
        score("rmdq", {**q(*([0] * 24)), "q1": True})


def test_unknown_item_names_the_allowed_items() -> None:
    with pytest.raises(UnknownItemError, match=r"'q5'.*q1, q2, q3, q4"):
        score("phq4", {**q(0, 0, 0, 0), "q5": 1})


def test_missing_item_is_never_scored_silently() -> None:
    with pytest.raises(TooManyMissingError, match=r"q2"):
        score("phq4", {"q1": 1, "q3": 1, "q4": 1})


def test_unknown_instrument_lists_the_available_ones() -> None:
    with pytest.raises(UnknownInstrumentError, match=r"rmdq"):
        score("joabpeq", {})


def test_errors_are_available_in_japanese() -> None:
    with pytest.raises(AnswerOutOfRangeError) as info:
        score("phq4", q(0, 1, 4, 1))
    message = info.value.localized("ja")
    assert "q3" in message and "許容" in message
