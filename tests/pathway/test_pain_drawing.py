"""The pain drawing: regions from data, extent, the widespread pattern, FHIR round-trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.evidence import EvidenceLevel
from yotsu.pathway.pain_drawing import (
    PainDrawingError,
    body_regions,
    from_fhir_observation,
    pain_extent,
    region_ids,
    to_fhir_observation,
)
from yotsu.pathway.profile import build_profile, profile_inputs

IDS = region_ids()


def test_regions_cover_the_whole_body_surface_once() -> None:
    # Lund & Browder adult chart: head 7, neck 2, trunk 26, buttocks 5, genitalia 1, arms 2x9.5,
    # legs 2x(9.5+7+3.5) = 100 percent.
    assert sum(r.area_percent for r in body_regions()) == pytest.approx(100)
    assert len(IDS) == len(set(IDS)) == 5 + 2 * 17  # 5 midline regions, 17 paired


def test_paired_regions_are_mirror_images_named_after_the_persons_side() -> None:
    by_id = {r.id: r for r in body_regions()}
    # front view: the person's right is on the viewer's left (x < 100)
    assert by_id["chest_right"].svg_path.startswith("M 56 ")
    assert by_id["chest_left"].svg_path.startswith("M 144 ")
    # back view: the person's left is on the viewer's left
    assert by_id["low_back_left"].svg_path.startswith("M 60 ")
    assert by_id["low_back_right"].label("ja") == "右腰"
    assert by_id["low_back_right"].label("en") == "right lower back"


def test_local_low_back_pain_is_a_small_extent_and_not_widespread() -> None:
    extent = pain_extent(["low_back_left", "low_back_right", "buttock_left"])
    assert extent.body_share == pytest.approx((3.25 + 3.25 + 2.5) / 100)
    assert extent.n_regions == 3
    assert extent.wolfe_regions == ("left_lower", "axial")
    assert not extent.widespread
    assert extent.sensitisation_sign() is None


def test_pain_in_four_of_five_regions_is_widespread_with_its_evidence() -> None:
    extent = pain_extent(["low_back_left", "shoulder_back_left", "shoulder_front_left", "calf_right", "calf_left"])
    assert extent.wolfe_regions == ("left_upper", "left_lower", "right_lower", "axial")
    assert extent.widespread
    assert extent.widespread_evidence.citations == ("wolfe2016",)
    sign = extent.sensitisation_sign()
    assert sign is not None and sign.evidence.level is EvidenceLevel.REPORTED
    assert "gerhardt2016" in sign.evidence.citations
    assert "診断ではありません" in sign.message("ja")


def test_three_limb_quadrants_without_the_back_are_not_widespread() -> None:
    assert not pain_extent(["shoulder_front_left", "shoulder_front_right", "calf_left"]).widespread


def test_hands_feet_and_head_do_not_count_towards_the_widespread_rule() -> None:
    extent = pain_extent(["head_front", "hand_front_left", "hand_back_right", "foot_front_left", "heel_right"])
    assert extent.wolfe_regions == () and not extent.widespread


def test_unknown_region_is_an_error_naming_it_and_the_allowed_ones() -> None:
    with pytest.raises(PainDrawingError, match=r"'elbow'.*low_back_left"):
        pain_extent(["low_back_left", "elbow"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(IDS), max_size=60))
def test_extent_is_bounded_and_ignores_repeats_and_order(marked: list[str]) -> None:
    extent = pain_extent(marked)
    assert 0 <= extent.body_share <= 1
    assert extent.n_regions == len(set(marked))
    assert pain_extent(reversed(marked)) == extent
    assert pain_extent(marked + marked) == extent


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(IDS)), st.sampled_from(IDS))
def test_marking_one_more_region_never_shrinks_the_extent(marked: set[str], extra: str) -> None:
    before, after = pain_extent(marked), pain_extent(marked | {extra})
    assert after.body_share >= before.body_share
    assert after.n_regions >= before.n_regions
    assert after.widespread or not before.widespread


def test_whole_body_marked_is_all_of_it() -> None:
    extent = pain_extent(IDS)
    assert extent.body_share == pytest.approx(1.0) and extent.widespread


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(IDS)))
def test_fhir_observation_round_trips(marked: set[str]) -> None:
    extent = pain_extent(marked)
    when = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
    observation = to_fhir_observation(extent, "Patient/7", when)
    assert observation["resourceType"] == "Observation"
    share = next(c for c in observation["component"] if c["code"]["coding"][0]["code"] == "body_share")
    assert share["valueQuantity"]["value"] == pytest.approx(extent.body_share * 100)
    assert from_fhir_observation(observation) == extent


def test_an_observation_that_is_not_a_pain_drawing_is_refused() -> None:
    other = {"resourceType": "Observation", "status": "final", "code": {"coding": [{"code": "x"}]}}
    with pytest.raises(PainDrawingError, match="not a pain drawing"):
        from_fhir_observation(other)
    with pytest.raises(PainDrawingError, match="not a valid FHIR Observation"):
        from_fhir_observation({"resourceType": "Observation", "status": "nonsense"})


def test_extent_is_a_weak_profile_input_for_central_gain() -> None:
    wide = build_profile(profile_inputs(pain_drawing=pain_extent(IDS)), fit_pain=False)
    local = build_profile(profile_inputs(pain_drawing=pain_extent(["low_back_left"])), fit_pain=False)
    gain_wide, gain_local = wide.parameters["gain_init"], local.parameters["gain_init"]
    assert gain_wide.value > gain_local.value
    assert gain_local.value == pytest.approx(1.15)  # local back pain leaves the default
    assert gain_wide.level() is EvidenceLevel.CLINICAL_IMPRESSION
    assert gain_wide.sources == ("pain_drawing.body_share",)
