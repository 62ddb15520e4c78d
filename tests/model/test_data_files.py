"""One conformance test for every plan, profile and factor file (adding a file adds its tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yotsu.evidence import registry
from yotsu.model import Plan, PlanError, SessionSpec, get_plan, load_plan_file, named_plans, named_profiles, simulate
from yotsu.model.factors import factors

PUBLIC_PLANS = {
    "none",
    "comfortable-massage-weekly",
    "strong-massage-weekly",
    "adaptive-massage-weekly",
    "education",
    "exercise",
    "cbt",
    "clinic-approach",
}
PUBLIC_PROFILES = {"typical", "sensitised", "fearful", "blurred-map"}


def test_public_plan_and_profile_names_are_shipped():
    assert set(named_plans()) >= PUBLIC_PLANS
    assert set(named_profiles()) >= PUBLIC_PROFILES


@pytest.mark.parametrize("name", sorted(named_plans()))
def test_plan_file_conforms(name):
    plan = named_plans()[name]
    assert plan.title.en and plan.title.ja and plan.description.en and plan.description.ja
    assert all(k in registry() for k in plan.evidence)
    inputs = plan.day_inputs(plan.last_day() + 2)
    assert inputs.min() >= 0 and (inputs.sum() > 0) == bool(plan.sessions)
    assert simulate("typical", plan, days=plan.last_day() + 2, warmup_days=10).series["pain"].shape[1] == 1


def test_clinic_approach_lasts_12_weeks():
    assert 77 <= get_plan("clinic-approach").last_day() < 84


@pytest.mark.parametrize("name", sorted(named_profiles()))
def test_profile_file_conforms(name):
    prof = named_profiles()[name]
    assert prof.title.en and prof.title.ja and prof.description.en and prof.description.ja
    assert all(k in registry() for k in prof.evidence)
    assert prof.params().n == 1


@pytest.mark.parametrize("name", sorted(factors()))
def test_factor_conforms(name):
    f = factors()[name]
    assert f.title.en and f.title.ja and all(k in registry() for k in f.evidence) and f.resolved


def test_user_written_plan_file_runs(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\ntitle: {en: Mine, ja: 自分の}\ndescription: {en: Mine, ja: 自分の}\n"
        "evidence: [who2023]\nlevel: established\nsessions:\n"
        "  - {kind: graded_exercise, weeks: 4, per_week: 3}\n  - {kind: massage, pressure: 3, days: [0, 14]}\n",
        encoding="utf-8",
    )
    plan = get_plan(str(path))
    assert [d for d, s in plan.schedule() if s.kind == "massage"] == [0, 14]
    assert len([d for d, s in plan.schedule() if s.kind == "graded_exercise"]) == 12


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("  - {kind: massage, days: [0]}\n", "pressure"),
        ("  - {kind: education, pressure: 3, days: [0]}\n", "pressure"),
        ("  - {kind: yoga, days: [0]}\n", "kind"),
        ("  - {kind: cbt, every_days: 7}\n", "count"),
        ("  - {kind: massage, pressure: 12, days: [0]}\n", "pressure"),
    ],
)
def test_bad_plan_file_gets_an_error_naming_the_problem(tmp_path: Path, body, complaint):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\ntitle: {en: B, ja: B}\ndescription: {en: B, ja: B}\nevidence: [who2023]\n"
        "level: established\nsessions:\n" + body,
        encoding="utf-8",
    )
    with pytest.raises(PlanError) as err:
        load_plan_file(path)
    assert complaint in str(err.value) and str(path) in str(err.value)


def _adaptive_plan(**policy) -> Plan:
    return Plan(
        name="adaptive",
        title={"en": "a", "ja": "a"},
        description={"en": "a", "ja": "a"},
        evidence=("yotsu_article",),
        level="clinical_impression",
        sessions=(SessionSpec(kind="massage", pressure="adaptive", start_day=0, every_days=7, count=12, **policy),),
    )


def _pressures(plan: Plan) -> list[float]:
    r = simulate("sensitised", plan, days=84, n=10, seed=1, warmup_days=200)
    return [float(r.at_day("pressure", d).mean()) for d in range(0, 84, 7)]


def test_adaptive_policy_is_data_max_pressure_caps_and_modest_wants_do_not_escalate():
    own = _pressures(_adaptive_plan())
    capped = _pressures(_adaptive_plan(max_pressure=6.0))
    modest = _pressures(_adaptive_plan(wanted_relief=1.5))
    assert max(capped) <= 6.0 + 1e-12 and max(own) > 6.0
    assert max(modest) < 3.5  # below the pressure that builds tolerance: no climb
    assert modest[-1] == pytest.approx(modest[0])


def test_adaptive_options_belong_to_adaptive_massage_only():
    with pytest.raises(ValueError, match="adaptive"):
        SessionSpec(kind="massage", pressure=3.0, wanted_relief=2.0, days=(0,))
