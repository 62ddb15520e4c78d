"""Figures of in-silico trials and of the calibration: one function per figure, each a ``Figure``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib_fontja  # noqa: F401  (registers a font with Japanese glyphs)
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from yotsu.i18n import gettext as _
from yotsu.model.effects import Z95
from yotsu.model.studies import StudyResult
from yotsu.model.trials import TrialResult

OUTCOME_LABELS = {
    "pain_nrs": "Pain (NRS 0-10)",
    "pain_vas": "Pain (VAS 0-100)",
    "rmdq": "Disability (RMDQ 0-24)",
    "responder_30pct": "Improved by 30% or more",
    "responder_2pt": "Improved by 2 points or more",
    "pain_free_0_1": "Pain-free or nearly (0-1 of 10)",
}


def outcome_label(name: str, lang: str = "en") -> str:
    return _(OUTCOME_LABELS.get(name, name), lang)


def trial_figure(result: TrialResult, outcomes: Sequence[str] | None = None, lang: str = "en") -> Figure:
    """Arm means by follow-up week with a 95% CI band (dark) and the interquartile range (light)."""
    spec = result.spec
    names = list(outcomes or [o for o in ("pain_nrs", "rmdq", "responder_30pct") if o in spec.outcomes])
    fig = Figure(figsize=(5.0 * len(names), 3.8), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    weeks = list(spec.weeks())
    for ax, o in zip(axes, names, strict=True):
        for k, arm in enumerate(spec.arms):
            stats = [result.group(o, w, arm.name) for w in weeks]
            mean = [s.mean for s in stats]
            half = [Z95 * s.sd / math.sqrt(s.n) if s.n > 1 else 0.0 for s in stats]
            lo = [m - h for m, h in zip(mean, half, strict=True)]
            hi = [m + h for m, h in zip(mean, half, strict=True)]
            ax.fill_between(weeks, lo, hi, color=f"C{k}", alpha=0.35, lw=0)
            if o not in ("responder_30pct", "responder_2pt", "pain_free_0_1"):
                q = [result.quantiles(o, w, arm.name, (0.25, 0.75)) for w in weeks]
                ax.fill_between(weeks, [x[0] for x in q], [x[1] for x in q], color=f"C{k}", alpha=0.08, lw=0)
            ax.plot(weeks, mean, color=f"C{k}", marker="o", ms=3, lw=1.4, label=arm.title(lang))
        ax.set_title(outcome_label(o, lang), fontsize=10)
        ax.set_xlabel(_("Weeks since randomisation", lang))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="best")
    fig.suptitle(
        f"{spec.title(lang)} (n = {result.included} "
        + _("per arm", lang)
        + ")  ("
        + _("model output, not a diagnosis", lang)
        + ")",
        fontsize=11,
    )
    return fig


def forest_figure(report: Sequence[Mapping[str, Any]], lang: str = "en") -> Figure:
    """Published value and CI (black) against the model's (colour: green inside, red outside)."""
    rows = [(r, c) for r in report if r["status"] != "missed" for c in r["components"]]
    fig = Figure(figsize=(11, 0.32 * len(rows) + 1.6), layout="constrained")
    ax = fig.subplots()
    for y, (_r, c) in enumerate(reversed(rows)):
        pub, pci = c["published"], c["published_ci"]
        if pci is not None:
            ax.plot(pci, [y + 0.15, y + 0.15], color="black", lw=1.4)
        if pub is not None:
            ax.plot([pub], [y + 0.15], "s", color="black", ms=4)
        colour = "tab:green" if c["inside"] else "tab:red"
        if c["model"] is not None:
            ax.plot(c["model_ci"], [y - 0.15, y - 0.15], color=colour, lw=1.4)
            ax.plot([c["model"]], [y - 0.15], "o", color=colour, ms=4)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['id']}: {c['label'].split(': ', 1)[-1]}" for r, c in reversed(rows)], fontsize=7)
    ax.axvline(0.0, color="0.6", lw=0.6)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(_("Published (black) and model (green inside, red outside), with 95% CI", lang))
    ax.set_xscale("symlog", linthresh=2.0)
    inside = sum(r["status"] == "inside" for r in report)
    fig.suptitle(_("Calibration: {inside} of {total} targets inside their CI", lang, inside=inside, total=len(report)))
    return fig


STUDY_PANELS = (
    ("tpd_mm", "Two-point discrimination threshold (mm)"),
    ("lr_accuracy", "Left/right trunk judgement accuracy"),
    ("repositioning_deg", "Repositioning error in sitting (degrees)"),
    ("csi", "Central Sensitization Inventory (0-100)"),
)


#: Measures recorded on a lattice (a count of images out of the trials, an integer score): their bins
#: are whole multiples of the step, so no bin is empty by construction.
STUDY_STEPS = {"csi": 1.0}


def _bins(lo: float, hi: float, step: float | None, target: int = 30) -> NDArray[np.float64]:
    if step is None:
        return np.linspace(lo, hi + 1e-9, target + 1)
    width = step * max(1, round((hi - lo) / step / target))
    edges: NDArray[np.float64] = np.arange(lo - step / 2.0, hi + width, width)
    return edges


def study_figure(result: StudyResult, lang: str = "en") -> Figure:
    """Patients against healthy controls: the distribution of each measure (histograms) and its mean."""
    fig = Figure(figsize=(14.0, 3.6), layout="constrained")
    axes = fig.subplots(1, len(STUDY_PANELS))
    groups = (("patients", "Patients with chronic low back pain"), ("controls", "Healthy controls"))
    for ax, (measure, title) in zip(axes, STUDY_PANELS, strict=True):
        values = [np.asarray(result.values(measure, g), dtype=float) for g, _label in groups]
        step = STUDY_STEPS.get(measure)
        if measure == "lr_accuracy":  # a count of images out of the trials
            step = float(np.min(np.diff(np.unique(values[0])))) if np.unique(values[0]).size > 1 else None
        lo, hi = min(float(v.min()) for v in values), max(float(v.max()) for v in values)
        bins = _bins(lo, hi, step)
        for k, ((_g, label), v) in enumerate(zip(groups, values, strict=True)):
            ax.hist(v, bins=bins, density=True, color=f"C{k}", alpha=0.45, label=_(label, lang))
            ax.axvline(float(v.mean()), color=f"C{k}", lw=1.6)
        ax.set_title(_(title, lang), fontsize=10)
        ax.set_yticks([])
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper right")
    n = result.group("tpd_mm", 0, "patients").n
    fig.suptitle(
        f"{result.spec.title(lang)} (n = {n} "
        + _("per group", lang)
        + ")  ("
        + _("model output, not a diagnosis", lang)
        + ")",
        fontsize=11,
    )
    return fig
