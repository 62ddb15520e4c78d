"""The left/right trunk judgement task: figures, trial order, stored sessions, progress chart."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.bodymap.figure import STIMULI, trial_order, trunk_svg
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.bodymap.scoring import TrialDataError, judgement, parse_trials

from .conftest import Personas


def url() -> str:
    return reverse("bodymap:training", args=["sakura"])


def test_every_stimulus_draws_a_distinct_figure_without_inline_script_or_style() -> None:
    drawings = [trunk_svg(s) for s in STIMULI]
    assert len(set(drawings)) == len(STIMULI)
    for svg in drawings:
        assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg


def test_mirror_images_mirror_about_the_midline() -> None:
    """Left and right versions of one movement differ only by side: the head moves the other way."""
    for movement in ("side_bend",):
        left = next(s for s in STIMULI if s.movement == movement and s.side == "left")
        right = next(
            s for s in STIMULI if s.movement == movement and s.side == "right" and s.angle_deg == left.angle_deg
        )
        head = [float(trunk_svg(s).split('class="head" cx="')[1].split('"')[0]) for s in (left, right)]
        assert head[0] > 150 > head[1]  # the person's left is the viewer's right


def test_trial_order_is_balanced_and_reproducible() -> None:
    order = trial_order(np.random.default_rng(7), 24)
    assert sorted(np.bincount(order)) == [3] * len(STIMULI)
    assert order == trial_order(np.random.default_rng(7), 24)


def test_scoring_counts_correct_sides_and_takes_the_median_time() -> None:
    trials = [{"s": i, "r": STIMULI[i].side, "rt": 500.0 + i} for i in range(8)]
    trials += [{"s": 0, "r": "right" if STIMULI[0].side == "left" else "left", "rt": 2000.0}] * 2
    result = judgement(parse_trials(json.dumps(trials)))
    assert result.accuracy == pytest.approx(0.8)
    assert result.median_rt_ms == pytest.approx(504.5)


@pytest.mark.parametrize(
    "raw", ["[]", "not json", '[{"s": 99, "r": "left", "rt": 500}]', '[{"s": 0, "r": "up", "rt": 500}]',
            '[{"s": 0, "r": "left", "rt": -3}]'],
)  # fmt: skip
def test_malformed_trials_are_refused(raw: str) -> None:
    with pytest.raises(TrialDataError):
        judgement(parse_trials(raw))


def test_page_serves_the_figures_the_order_and_an_external_script(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = client.get(url()).content.decode()
    assert page.count('<svg class="trunk"') == len(STIMULI)
    assert 'src="/static/yotsu_web/bodymap-task.js"' in page
    assert "data-order=" in page


def test_posted_trials_are_stored_as_a_session(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    trials = [{"s": i % 8, "r": STIMULI[i % 8].side, "rt": 700.25} for i in range(20)]
    assert client.post(url(), {"trials": json.dumps(trials)}).status_code == 302
    session = LeftRightSession.objects.get()
    assert (session.patient, session.n_trials, session.accuracy, session.median_rt_ms) == (
        personas.patient_record, 20, 1.0, 700.25,
    )  # fmt: skip
    page = client.get(url()).content.decode()
    assert 'id="latest-session"' in page
    ja = client.get(url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "20枚中20枚正解" in ja and "0.7秒" in ja  # numbers with their meaning, not "正答率 1.00"


def test_too_few_trials_are_refused_by_the_pathway(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    trials = [{"s": 0, "r": "left", "rt": 700} for _ in range(5)]
    assert client.post(url(), {"trials": json.dumps(trials)}).status_code == 400
    assert not LeftRightSession.objects.exists()


def test_progress_chart_is_svg(client: Client, personas: Personas) -> None:
    LeftRightSession.objects.create(patient=personas.patient_record, n_trials=20, accuracy=0.6, median_rt_ms=900)
    client.force_login(personas.patient)
    response = client.get(reverse("bodymap:progress", args=["sakura"]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
