"""Figures of a person's explanation: one function per figure, each returning a Matplotlib ``Figure``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib_fontja  # noqa: F401  (registers a font with Japanese glyphs)
from matplotlib.figure import Figure

from yotsu.i18n import check_lang
from yotsu.i18n import gettext as _
from yotsu.pathway.explain import PERSONAL_PLAN, Explanation


def course_figure(explanation: Explanation, lang: str = "en") -> Figure:
    """Weekly pain under each candidate plan: median line and the 10th-90th percentile band over persons
    drawn from the profile (parameter uncertainty)."""
    lang = check_lang(lang)
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for course in explanation.courses:
        personal = course.plan == PERSONAL_PLAN
        (line,) = ax.plot(course.weeks, course.median, lw=2.6 if personal else 1.6, label=course.title(lang))
        ax.fill_between(course.weeks, course.low, course.high, color=line.get_color(), alpha=0.15, lw=0)
    ax.set_xlabel(_("Week of the plan", lang))
    ax.set_ylabel(_("Pain (NRS 0-10)", lang))
    ax.set_ylim(0, 10)
    ax.set_title(
        _("Simulated course under each plan (band: 10th-90th percentile over {n} parameter draws)", lang,
          n=explanation.n),
        fontsize=10,
    )  # fmt: skip
    ax.legend(fontsize=8, loc="upper right")
    fig.text(0.01, 0.005, explanation.disclaimer(lang), fontsize=8, color="0.3")
    return fig


def factor_figure(explanation: Explanation, lang: str = "en") -> Figure:
    """How much the model's pain would fall if each factor were resolved (mean and 10th-90th band),
    dangers in orange, safeties in blue, largest first."""
    lang = check_lang(lang)
    rows = list(reversed(explanation.ranking))
    fig = Figure(figsize=(8, 0.5 * len(rows) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    for y, r in enumerate(rows):
        band = r.pain_reduction_nrs
        color = "#d9480f" if r.role == "danger" else "#1c7ed6"
        ax.barh(y, band.mean, color=color, alpha=0.8)
        ax.plot([band.low, band.high], [y, y], color="0.2", lw=1.2)
    ax.set_yticks(range(len(rows)), [r.title(lang) for r in rows], fontsize=9)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel(_("Pain that would fall if this were resolved (NRS points)", lang))
    ax.set_title(_("Dangers (orange) and safeties (blue)", lang), fontsize=10)
    fig.text(0.01, 0.005, explanation.disclaimer(lang), fontsize=8, color="0.3")
    return fig


__all__ = ["course_figure", "factor_figure"]
