"""Calibration: every published target is handled, the loss weighs targets by their CI, fitted
values stay inside their ranges, and the shipped report is what the shipped parameters give."""

from __future__ import annotations

import math

import pytest
import yaml

from yotsu.model import calibration as cal
from yotsu.model.effects import GroupStats
from yotsu.model.parameters import parameter_table

TARGET_IDS = sorted(cal.load_targets())


def test_every_target_is_mapped_to_a_trial_or_missed_with_a_reason():
    design = cal.load_design()
    assert set(design.targets) == set(TARGET_IDS)
    for tid, td in design.targets.items():
        assert td.components or (td.missed and len(td.missed) > 20), tid


def test_fit_bounds_lie_inside_the_plausible_ranges():
    table = parameter_table()
    for name, (lo, hi) in cal.load_design().fit.items():
        assert table[name].range[0] <= lo < hi <= table[name].range[1]


class _Fixed:
    """A trial result whose arms have given sizes, means and SDs."""

    def __init__(self, groups):
        self.groups = groups

    def group(self, outcome, week, arm):
        return self.groups[arm]


def test_loss_weighs_a_target_by_its_ci_by_hand():
    # massage vs sham, n = 1000 each, means 4 and 5, SD 2: d = -0.5, J = 1 - 3 / (4 * 2000 - 9),
    # published -0.75 (-0.90, -0.60) so SE = 0.30 / (2 * 1.959964).
    arms = {"massage": GroupStats(1000, 4.0, 2.0), "sham": GroupStats(1000, 5.0, 2.0)}
    results = {"massage-vs-inactive": _Fixed(arms)}
    (c,) = cal.compare("massage_inactive_short", results)
    g = -0.5 * (1 - 3 / 7991)
    assert c.model == pytest.approx(g)
    assert not c.inside
    assert c.cost == pytest.approx(((g + 0.75) / (0.30 / (2 * 1.959964))) ** 2, rel=1e-6)


def test_not_significant_target_is_inside_when_the_ci_includes_zero():
    results = {"massage-vs-inactive": _Fixed({"massage": GroupStats(50, 4.9, 2.0), "sham": GroupStats(50, 5.0, 2.0)})}
    (c,) = cal.compare("massage_inactive_long", results)
    assert c.inside and c.cost == 0.0


def test_smoke_calibration_writes_a_versioned_file_inside_the_bounds(tmp_path):
    fit = cal.calibrate(n=40, maxiter=1, popsize=1)
    for name, v in fit.parameters.items():
        lo, hi = cal.load_design().fit[name]
        assert lo <= v <= hi
    reports = cal.report(fit.parameters, n=60)
    path = cal.write_calibration(fit, reports, tmp_path)
    assert path.name == "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["summary"]["targets"] == len(TARGET_IDS)
    assert cal.write_calibration(fit, reports, tmp_path).name == "v2.yaml"


@pytest.fixture(scope="module")
def shipped():
    doc = cal.shipped_report()
    assert doc, "a calibration file data/calibration/v<N>.yaml ships with the package"
    fresh = {r.id: r for r in cal.report(doc["parameters"])}
    return doc, fresh


def test_shipped_parameters_are_inside_their_ranges(shipped):
    doc, _ = shipped
    table = parameter_table()
    for name, v in doc["parameters"].items():
        assert table[name].range[0] <= v <= table[name].range[1], name


@pytest.mark.parametrize("tid", TARGET_IDS)
def test_target_against_the_calibrated_model(shipped, tid):
    doc, fresh = shipped
    stored = {r["id"]: r for r in doc["report"]}[tid]
    now = fresh[tid]
    assert stored["status"] == now.status, "the shipped report is what the shipped parameters give"
    if now.status == "missed":
        assert now.reason
        return
    for s, c in zip(stored["components"], now.comparisons, strict=True):
        assert s["model"] == pytest.approx(c.model, abs=1e-3)
        if c.published_ci is not None:  # a CI or a range: inside means within it
            lo, hi = c.published_ci
            assert c.inside == (lo <= c.model <= hi)
    assert (now.status == "inside") == all(c.inside for c in now.comparisons)
    if now.status == "outside":
        assert now.reason


def test_report_states_how_many_targets_are_inside(shipped):
    doc, fresh = shipped
    inside = sum(r.status == "inside" for r in fresh.values())
    assert doc["summary"]["inside"] == inside
    assert doc["summary"]["inside"] + doc["summary"]["outside"] + doc["summary"]["missed"] == len(TARGET_IDS)
    print(f"\ncalibration v{doc['version']}: {inside} of {len(TARGET_IDS)} targets inside their CI")
    assert not math.isnan(doc["loss"])
