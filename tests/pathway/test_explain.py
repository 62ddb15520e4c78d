"""Explain: factors ranked by how much pain would fall if resolved, over parameter draws; courses per plan."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import yotsu
from yotsu.i18n import catalogue_ids
from yotsu.model.factors import factors
from yotsu.pathway import build_plan
from yotsu.pathway.explain import (
    COMPARISON_PLANS,
    PERSONAL_PLAN,
    ExplainError,
    Explanation,
    answered_variance,
    explain,
    model_plan,
)
from yotsu.pathway.figures import course_figure, factor_figure
from yotsu.pathway.profile import Measurement, build_profile, profile_mapping

N = 100  # persons drawn from each profile: small, the machine is shared


def _explain(inputs: dict[str, Measurement], plan: str | None = None, seed: int = 3) -> Explanation:
    return explain(build_profile(inputs), build_plan(plan) if plan else None, n=N, seed=seed, days=28)


@pytest.fixture(scope="module")
def sensitised() -> Explanation:
    return _explain({"csi_a.total": Measurement(value=75)}, plan="high")


@pytest.fixture(scope="module")
def not_sensitised() -> Explanation:
    return _explain({"csi_a.total": Measurement(value=10)})


def rank_of(ex: Explanation, factor: str) -> int:
    return next(f.rank for f in ex.ranking if f.factor == factor)


def test_high_csi_ranks_sensitisation_above_low_csi(sensitised: Explanation, not_sensitised: Explanation) -> None:
    assert rank_of(sensitised, "sensitisation") < rank_of(not_sensitised, "sensitisation")
    high = next(f for f in sensitised.ranking if f.factor == "sensitisation")
    low = next(f for f in not_sensitised.ranking if f.factor == "sensitisation")
    assert high.pain_reduction_nrs.mean > low.pain_reduction_nrs.mean
    assert high.role == "danger" and high.profile_sources == ("csi_a.total",)


def test_a_blurred_body_map_ranks_blur_first_and_a_sharp_one_makes_it_a_safety() -> None:
    blurred = _explain({"body_map.precision": Measurement(value=0.15, sd=0.05)})
    sharp = _explain({"body_map.precision": Measurement(value=1.0, sd=0.05)})
    assert rank_of(blurred, "body_map_blur") == 1
    assert blurred.dangers[0].factor == "body_map_blur"
    assert next(f.role for f in sharp.ranking if f.factor == "body_map_blur") == "safety"
    assert rank_of(sharp, "body_map_blur") > rank_of(blurred, "body_map_blur")


def test_ranking_covers_every_factor_once_in_order_of_mean_relief(sensitised: Explanation) -> None:
    assert Counter(f.factor for f in sensitised.ranking) == Counter(list(factors()))
    means = [f.pain_reduction_nrs.mean for f in sensitised.ranking]
    assert means == sorted(means, reverse=True)
    assert [f.rank for f in sensitised.ranking] == list(range(1, len(factors()) + 1))


def test_dangers_and_safeties_carry_evidence_levels_and_both_languages(sensitised: Explanation) -> None:
    assert sensitised.dangers
    for f in sensitised.ranking:
        assert f.evidence.level == factors()[f.factor].level
        assert f.text.en and f.text.ja and f.text.en != f.text.ja
    kinds = {s.factor: s.kind for s in sensitised.safeties}
    assert all(kinds[d.factor] == "release" for d in sensitised.dangers)
    assert all(s.evidence.citations for s in sensitised.safeties)


def test_uncertainty_is_a_band_over_parameter_draws_not_one_line(sensitised: Explanation) -> None:
    for f in sensitised.dangers:
        band = f.pain_reduction_nrs
        assert band.low < band.mean < band.high
    for course in sensitised.courses:
        assert all(lo <= med <= hi for lo, med, hi in zip(course.low, course.median, course.high, strict=True))
        assert any(hi - lo > 0.5 for lo, hi in zip(course.low, course.high, strict=True))


def test_no_parameter_uncertainty_means_a_narrower_band() -> None:
    wide = build_profile({})
    narrow = wide.model_copy(
        update={"parameters": {k: p.model_copy(update={"sd": 1e-9}) for k, p in wide.parameters.items()}}
    )
    w = explain(wide, n=N, seed=1, days=14, plans=["none"]).baseline_pain_nrs
    n = explain(narrow, n=N, seed=1, days=14, plans=["none"]).baseline_pain_nrs
    assert (n.high - n.low) < (w.high - w.low)


def test_courses_cover_the_personal_plan_and_the_comparison_plans(
    sensitised: Explanation, not_sensitised: Explanation
) -> None:
    assert [c.plan for c in sensitised.courses] == [PERSONAL_PLAN, *COMPARISON_PLANS]
    assert [c.plan for c in not_sensitised.courses] == list(COMPARISON_PLANS)  # no plan given
    assert all(len(c.weeks) == 4 for c in sensitised.courses)  # 28 days


def test_the_pathway_plan_becomes_the_same_sessions_in_the_model() -> None:
    care = build_plan("medium", weeks=4, sleep_problem=True, massage_pressure=3)
    plan = model_plan(care)
    got = sorted(
        (spec.kind, day, float(spec.pressure) if spec.kind == "massage" else spec.dose)  # type: ignore[arg-type]
        for day, spec in plan.schedule()
    )
    assert got == sorted(care.as_schedule())
    assert ("massage", 0, 3.0) in got  # a comfortable massage keeps its pressure


def test_every_explanation_says_it_is_a_model_estimate_not_a_diagnosis(sensitised: Explanation) -> None:
    assert "not a diagnosis" in sensitised.disclaimer.en
    assert "診断ではありません" in sensitised.disclaimer.ja


def test_explain_refuses_a_course_shorter_than_a_week_and_unknown_plans() -> None:
    with pytest.raises(ExplainError, match="days"):
        explain(build_profile({}), n=10, days=3)
    with pytest.raises(ExplainError, match="unknown plan"):
        explain(build_profile({}), n=10, days=7, plans=["cupping"])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figures_return_figures_with_text_in_the_language(sensitised: Explanation, lang: str) -> None:
    course, bars = course_figure(sensitised, lang), factor_figure(sensitised, lang)
    assert isinstance(course, Figure) and isinstance(bars, Figure)
    ax = course.axes[0]
    assert len(ax.lines) == len(sensitised.courses) and len(ax.collections) == len(sensitised.courses)
    title = ax.get_title()
    assert ("週" in ax.get_xlabel()) == (lang == "ja") and title
    labels = [t.get_text() for t in bars.axes[0].get_yticklabels()]
    assert labels[-1] == sensitised.ranking[0].title(lang)  # largest at the top


def test_every_both_message_in_the_pathway_faces_has_a_japanese_entry() -> None:
    # tests/test_i18n.py scans _() and gettext(); both() builds a text in the two languages the same way
    root = Path(yotsu.__file__).parent
    ids = set()
    for path in [*root.glob("pathway/*.py"), *root.glob("cli/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "both"
                and isinstance(node.args[0], ast.Constant)
            ):
                ids.add(node.args[0].value)
    assert "Model estimate, not a diagnosis." in ids
    assert ids <= catalogue_ids("ja")


def _spread(ex: Explanation) -> float:
    """The explanation's combined band width: baseline pain and every factor's relief."""
    bands = [ex.baseline_pain_nrs, *(f.pain_reduction_nrs for f in ex.ranking)]
    return sum(b.high - b.low for b in bands)


def test_sharpeners_rank_only_unanswered_shipped_questionnaires(sensitised: Explanation) -> None:
    listed = [s.instrument for s in sensitised.sharpen]
    assert "csi_a" not in listed  # answered
    assert listed and len(listed) == len(set(listed))
    shrinks = [s.shrink for s in sensitised.sharpen]
    assert shrinks == sorted(shrinks, reverse=True)
    assert all(0 <= s <= 1 for s in shrinks)
    assert all(s.title.ja and s.title.en for s in sensitised.sharpen)


def test_answering_a_questionnaire_replaces_the_population_prior_by_its_mapping_sd() -> None:
    mapping = profile_mapping()
    blank = build_profile({})
    after = answered_variance(blank, "csi_a", mapping)
    sds = {m.parameter: m.sd for m in mapping.mappings if m.input == "csi_a.total"}
    assert after == pytest.approx({p: sd**2 for p, sd in sds.items()})
    # answered already: combining a second input can only narrow it further
    known = build_profile({"tsk11.total": Measurement(value=30)})
    for p, var in answered_variance(known, "pcs", mapping).items():
        assert var < known.parameters[p].sd ** 2


def test_answering_the_top_sharpener_narrows_the_explanation_more_than_the_last() -> None:
    blank = _explain({}, seed=5)
    top, last = blank.sharpen[0], blank.sharpen[-1]
    assert top.shrink > last.shrink
    assert blank.sharpest(k=1) == [top]
    assert blank.sharpest(answerable={last.instrument}, floor=0) == [last]
    mid = {
        k: Measurement(value=sum(spec.range) / 2)
        for k, spec in profile_mapping().inputs.items()
        if k.startswith(top.instrument + ".")
    }
    answered = _explain(mid, seed=5)
    assert top.instrument not in [s.instrument for s in answered.sharpen]
    assert _spread(answered) < _spread(blank)
