"""Left/right judgement progress over sessions against the published norms (bray2011)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from yotsu.pathway.bodymap import NORMS
from yotsu_web.clinics.charts import Chart, RefLine, Series

# bray2011 (targets.yaml lr_trunk_accuracy): accuracy of people with unilateral and bilateral back pain.
# The pathway exposes only the controls' value (NORMS.lr_control_accuracy); these two are kept here
# until it exposes the patient groups too.
UNILATERAL_PAIN_ACCURACY = 0.672
BILATERAL_PAIN_ACCURACY = 0.534


def progress_figure(accuracy: Sequence[float], median_rt_ms: Sequence[float]) -> Figure:
    """Accuracy per session with the norm lines; median response time below."""
    figure = Figure(figsize=(7.5, 5.4), layout="constrained")
    ax_acc, ax_rt = figure.subplots(2, 1, sharex=True)
    sessions = list(range(1, len(accuracy) + 1))
    norms = (
        (NORMS.lr_control_accuracy, _("people without back pain"), "#1f6f5c", "--"),
        (UNILATERAL_PAIN_ACCURACY, _("back pain on one side"), "#c77d00", ":"),
        (BILATERAL_PAIN_ACCURACY, _("back pain on both sides"), "#b23a48", ":"),
        (NORMS.lr_chance_accuracy, _("guessing"), "#999", "-."),
    )
    for value, label, colour, style in norms:
        ax_acc.axhline(value, color=colour, linestyle=style, linewidth=1, label=f"{label} ({value:.0%})")
    if sessions:
        ax_acc.plot(sessions, accuracy, "o-", color="#1d2430", label=_("your sessions"))
        ax_rt.plot(sessions, median_rt_ms, "s-", color="#3b6ea5")
    ax_acc.set_ylim(0.4, 1.02)
    ax_acc.set_ylabel(_("accuracy"))
    ax_acc.legend(loc="lower right", fontsize=8)
    ax_acc.set_title(_("Norms: Bray & Moseley 2011"), fontsize=9, loc="left")
    ax_rt.set_ylabel(_("median time (ms)"))
    ax_rt.set_xlabel(_("session"))
    if sessions:
        ax_rt.set_xticks(sessions)
    return figure


def progress_charts(accuracy: Sequence[float], median_rt_ms: Sequence[float]) -> list[Chart]:
    """The same progress as charts drawn in the browser: accuracy (%) with the norms; median time (s)."""
    sessions = list(range(1, len(accuracy) + 1))
    norms = [
        RefLine(_("people without back pain"), round(100 * NORMS.lr_control_accuracy, 1), "#1f6f5c"),
        RefLine(_("back pain on one side"), round(100 * UNILATERAL_PAIN_ACCURACY, 1), "#c77d00"),
        RefLine(_("back pain on both sides"), round(100 * BILATERAL_PAIN_ACCURACY, 1), "#b23a48"),
    ]
    return [
        Chart(id="bodymap-accuracy", title=_("Correct answers (%)"), x=sessions, x_label=_("session"),
              y_label="%", series=[Series(_("your sessions"), [round(100 * a, 1) for a in accuracy], "#1d2430")],
              y_min=40, y_max=100, lines=norms),
        Chart(id="bodymap-time", title=_("Time to answer (seconds)"), x=sessions, x_label=_("session"),
              y_label=_("seconds"), series=[Series(_("median time"), [round(t / 1000, 2) for t in median_rt_ms],
                                                   "#3b6ea5")], y_min=0),
    ]  # fmt: skip
