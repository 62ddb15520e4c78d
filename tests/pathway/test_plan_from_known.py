"""The plan is built from what is known: STarT Back, else the practitioner's group, else a labelled default."""

from __future__ import annotations

from yotsu.pathway import score
from yotsu.pathway.plan import DEFAULT_RISK_GROUP, PlanBasis, build_plan, plan_from_known


def test_start_back_decides_when_answered_even_against_a_chosen_group() -> None:
    answers = {f"q{i}": 1 for i in range(1, 9)} | {"q9": 4}
    result = score("start_back", answers)
    known = plan_from_known(result, chosen_risk_group="low")
    assert known.basis is PlanBasis.START_BACK and known.plan.risk_group == result.classification.id  # type: ignore[union-attr]


def test_the_practitioners_group_decides_without_start_back() -> None:
    known = plan_from_known(chosen_risk_group="high")
    assert known.basis is PlanBasis.PRACTITIONER and known.plan == build_plan("high")


def test_without_anything_known_the_default_is_labelled_as_such_in_both_languages() -> None:
    known = plan_from_known()
    assert known.basis is PlanBasis.DEFAULT and known.plan.risk_group is DEFAULT_RISK_GROUP
    assert "STarT Back" in known.label.ja and "STarT Back" in known.label.en
