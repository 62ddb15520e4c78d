"""Adherence per week as a chart (one function per figure; served as SVG)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from yotsu_web.programme.adherence import Week


def adherence_figure(weeks: list[Week]) -> Figure:
    """Sessions done (partly = half) over sessions prescribed, per week, with the numbers on the bars."""
    figure = Figure(figsize=(7.0, 2.8), layout="constrained")
    ax = figure.subplots()
    labels = [f"{w.start:%m/%d}" for w in weeks]
    values = [100 * (w.ratio or 0.0) for w in weeks]
    bars = ax.bar(labels, values, color=["#1f6f5c" if v >= 50 else "#c77d00" for v in values])
    for bar, week in zip(bars, weeks, strict=True):
        ax.annotate(
            f"{week.done + week.partly}/{week.prescribed}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    ax.set_ylim(0, 110)
    ax.set_ylabel(_("sessions done (%)"))
    ax.set_xlabel(_("week starting"))
    if not weeks:
        ax.text(0.5, 0.5, _("no weeks yet"), transform=ax.transAxes, ha="center", color="#777")
    return figure
