"""Body-map tests to precision: anchored on published norms, combined by precision weighting."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yotsu.evidence import EvidenceLevel
from yotsu.pathway.bodymap import (
    BodyMapError,
    LeftRightTrunkJudgement,
    RepositioningError,
    TwoPointDiscrimination,
    estimate_body_map_precision,
    precision_from_left_right,
    precision_from_repositioning,
    precision_from_tpd,
)


def test_control_like_left_right_accuracy_is_full_precision() -> None:
    est = precision_from_left_right(LeftRightTrunkJudgement(accuracy=0.87, median_rt_ms=1400, n_trials=40))
    assert est.mean == pytest.approx(1.0)


def test_bilateral_pain_accuracy_maps_near_the_bottom() -> None:
    # bray2011 bilateral pain 0.534: (0.534 - 0.5) / (0.87 - 0.5) = 0.0919
    est = precision_from_left_right(LeftRightTrunkJudgement(accuracy=0.534, median_rt_ms=1400, n_trials=40))
    assert est.mean == pytest.approx(0.034 / 0.37)
    # binomial SE sqrt(0.534 x 0.466 / 40) = 0.07888, divided by the span 0.37
    assert est.sd == pytest.approx(math.sqrt(0.534 * 0.466 / 40) / 0.37)


def test_chance_or_worse_left_right_accuracy_is_zero_precision() -> None:
    est = precision_from_left_right(LeftRightTrunkJudgement(accuracy=0.3, median_rt_ms=900, n_trials=20))
    assert est.mean == 0.0


def test_patient_average_tpd_gives_about_half_precision() -> None:
    # luomajoki2011: controls 44 mm, back pain 61 mm: (44 / 61)^2 = 0.5203
    est = precision_from_tpd(TwoPointDiscrimination(tpd_mm=61))
    assert est.mean == pytest.approx((44 / 61) ** 2)
    # delta method: 2 x 44^2 / 61^3 x 10 mm
    assert est.sd == pytest.approx(2 * 44**2 / 61**3 * 10)


def test_tpd_better_than_controls_is_capped_at_one() -> None:
    assert precision_from_tpd(TwoPointDiscrimination(tpd_mm=30)).mean == 1.0


def test_repositioning_one_smd_worse_than_controls() -> None:
    # default norm 3.0 deg (SD 1.5); tong2017 SMD 0.97 -> 3.0 + 0.97 x 1.5 = 4.455 deg
    est = precision_from_repositioning(RepositioningError(error_deg=4.455))
    assert est.mean == pytest.approx((3.0 / 4.455) ** 2)


def test_combination_is_the_inverse_variance_weighted_mean() -> None:
    lr = LeftRightTrunkJudgement(accuracy=0.70, median_rt_ms=1500, n_trials=40)
    tpd = TwoPointDiscrimination(tpd_mm=55)
    a, b = precision_from_left_right(lr), precision_from_tpd(tpd)
    wa, wb = 1 / a.sd**2, 1 / b.sd**2
    combined = estimate_body_map_precision([lr, tpd])
    assert combined.mean == pytest.approx((wa * a.mean + wb * b.mean) / (wa + wb))
    assert combined.sd == pytest.approx(math.sqrt(1 / (wa + wb)))
    assert combined.sd < min(a.sd, b.sd)
    assert combined.evidence.level is EvidenceLevel.CLINICAL_IMPRESSION


def test_no_results_is_an_error_not_a_guess() -> None:
    with pytest.raises(BodyMapError, match="no test results"):
        estimate_body_map_precision([])


def test_implausible_values_are_refused() -> None:
    with pytest.raises(ValueError, match="accuracy"):
        LeftRightTrunkJudgement(accuracy=1.2, median_rt_ms=1000, n_trials=40)
    with pytest.raises(ValueError, match="tpd_mm"):
        TwoPointDiscrimination(tpd_mm=-5)


@given(small=st.floats(20, 150), extra=st.floats(0.1, 50))
def test_a_wider_threshold_never_means_a_sharper_map(small: float, extra: float) -> None:
    sharp = precision_from_tpd(TwoPointDiscrimination(tpd_mm=small)).mean
    blurred = precision_from_tpd(TwoPointDiscrimination(tpd_mm=min(small + extra, 200))).mean
    assert blurred <= sharp


@given(acc=st.floats(0, 1), n=st.integers(10, 200), tpd=st.floats(5, 200), err=st.floats(0.5, 45))
def test_estimates_stay_on_the_0_1_scale_with_positive_sd(acc: float, n: int, tpd: float, err: float) -> None:
    combined = estimate_body_map_precision(
        [
            LeftRightTrunkJudgement(accuracy=acc, median_rt_ms=1000, n_trials=n),
            TwoPointDiscrimination(tpd_mm=tpd),
            RepositioningError(error_deg=err),
        ]
    )
    assert 0.0 <= combined.mean <= 1.0
    assert combined.sd > 0
