"""Figures of simulations: one function per figure, each returning a Matplotlib ``Figure``."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib_fontja  # noqa: F401  (registers a font with Japanese glyphs)
import numpy as np
from matplotlib.figure import Figure

from yotsu.i18n import gettext as _
from yotsu.model.simulate import SimulationResult

#: Label of each series, as the English msgid translated through the catalogue.
SERIES_LABELS = {
    "pain": "Pain (NRS 0-10)",
    "guarding": "Guarding (protective tension)",
    "gain": "Central gain (sensitisation)",
    "inhibition": "Descending inhibition",
    "body_map_precision": "Body-map precision",
    "threat_prior": "Threat prior (expected danger)",
    "distress": "Distress (anxiety, stress, sleep)",
    "tolerance": "Tolerance to strong pressure",
    "movement_restriction": "Movement restriction",
    "spread": "Spread beyond the low back",
    "massage_relief": "Massage relief",
    "pressure": "Massage pressure (0-10)",
    "relief": "Relief given by massage",
    "activity": "Activity",
    "tissue": "Tissue input",
    "conditioning": "Conditioning",
    "coping": "Coping skills",
    "expectation": "Expected relief (placebo)",
    "context_pressure": "Life pressure",
    "chosen_pressure": "Pressure chosen (adaptive)",
}


def series_label(name: str, lang: str = "en") -> str:
    return _(SERIES_LABELS.get(name, name), lang)


def trajectory_figure(
    result: SimulationResult, series: Sequence[str], lang: str = "en", person: int | None = None
) -> Figure:
    """Day-by-day panels of ``series``: one person's line, or the mean with a 10-90% band."""
    cols = 2
    rows = (len(series) + cols - 1) // cols
    fig = Figure(figsize=(11, 2.4 * rows), layout="constrained")
    weeks = result.days / 7.0
    session_days = sorted({d for d, _s in result.plan.schedule() if d <= result.days[-1]})
    for k, name in enumerate(series):
        ax = fig.add_subplot(rows, cols, k + 1)
        data = result.series[name]
        if person is not None or result.n == 1:
            ax.plot(weeks, data[:, person or 0], color="C0", lw=1.2)
        else:
            lo, hi = np.percentile(data, [10, 90], axis=1)
            ax.fill_between(weeks, lo, hi, color="C0", alpha=0.2, lw=0)
            ax.plot(weeks, data.mean(axis=1), color="C0", lw=1.4)
        for d in session_days:
            ax.axvline(d / 7.0, color="0.6", lw=0.5, alpha=0.5)
        ax.set_title(series_label(name, lang), fontsize=10)
        ax.grid(alpha=0.3)
        if k >= len(series) - cols:
            ax.set_xlabel(_("Weeks", lang))
    title = _("{profile} under {plan}", lang, profile=result.profile_title(lang), plan=result.plan.title(lang))
    fig.suptitle(title + "  (" + _("model output, not a diagnosis", lang) + ")", fontsize=11)
    return fig


def comparison_figure(
    results: dict[str, dict[str, SimulationResult]], series: Sequence[str], lang: str = "en"
) -> Figure:
    """Mean trajectories of several plans (lines) for several profiles (columns), one row per series."""
    profiles = list(results)
    fig = Figure(figsize=(5.5 * len(profiles), 2.6 * len(series)), layout="constrained")
    axes = fig.subplots(len(series), len(profiles), squeeze=False, sharex=True)
    for c, prof in enumerate(profiles):
        for r, name in enumerate(series):
            ax = axes[r][c]
            for k, (_plan, res) in enumerate(results[prof].items()):
                ax.plot(res.days / 7.0, res.mean(name), color=f"C{k}", lw=1.3, label=res.plan.title(lang))
            ax.set_title(
                f"{results[prof][next(iter(results[prof]))].profile_title(lang)}: {series_label(name, lang)}",
                fontsize=9,
            )
            ax.grid(alpha=0.3)
            if r == len(series) - 1:
                ax.set_xlabel(_("Weeks", lang))
    axes[0][0].legend(fontsize=7, loc="best")
    fig.suptitle(
        _("The article in one figure: the same persons under five plans", lang)
        + "  ("
        + _("model output, not a diagnosis", lang)
        + ")"
    )
    return fig
