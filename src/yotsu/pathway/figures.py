"""Figures of a person's explanation: one function per figure, each returning a Matplotlib ``Figure``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib_fontja  # noqa: F401  (registers a font with Japanese glyphs)
from matplotlib.figure import Figure

from yotsu.i18n import check_lang
from yotsu.i18n import gettext as _
from yotsu.pathway.explain import PERSONAL_PLAN, Explanation
from yotsu.pathway.personal import PersonalFit


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


def forecast_figure(fit: PersonalFit, lang: str = "en") -> Figure:
    """The personal forecast as a fan chart: weekly mean pain under each plan, median line with its 50% and
    80% bands (uncertainty of the person's parameters and of the days ahead)."""
    lang = check_lang(lang)
    plans = fit.forecasts
    fig = Figure(figsize=(8, 2.3 * max(1, (len(plans) + 1) // 2) + 0.8), layout="constrained")
    axes = fig.subplots(max(1, (len(plans) + 1) // 2), 2 if len(plans) > 1 else 1, squeeze=False, sharey=True)
    for ax, fc in zip(axes.flat, plans, strict=False):
        weeks = list(fc.weeks)
        ax.fill_between(weeks, [b[0] for b in fc.band80], [b[1] for b in fc.band80], color="#4dabf7", alpha=0.25, lw=0,
                        label=_("80% band", lang))  # fmt: skip
        ax.fill_between(weeks, [b[0] for b in fc.band50], [b[1] for b in fc.band50], color="#1c7ed6", alpha=0.35, lw=0,
                        label=_("50% band", lang))  # fmt: skip
        ax.plot(weeks, fc.median, color="#1864ab", lw=2)
        ax.axhline(fit.baseline_pain, color="0.5", lw=0.8, ls="--")
        ax.set_title(f"{fc.title(lang)}\n" + _("chance of a clear improvement: {p}%", lang,
                                                p=round(100 * fc.p_improvement)), fontsize=9)  # fmt: skip
        ax.set_ylim(0, 10)
        ax.set_xticks([1, 4, 8, 12])
        ax.set_xlabel(_("Week from now", lang), fontsize=8)
        ax.set_ylabel(_("Pain (NRS 0-10)", lang), fontsize=8)
    for ax in list(axes.flat)[len(plans):]:
        ax.set_visible(False)
    if plans:
        axes.flat[0].legend(fontsize=7, loc="lower left")
    fig.suptitle(fit.message(lang), fontsize=10)
    fig.text(0.01, 0.002, fit.disclaimer(lang), fontsize=8, color="0.3")
    return fig


def personal_validation_figure(coverage: dict[str, float], forecast_coverage: float, crps: dict[str, float]) -> Figure:
    """The personal model's validation (benchmarks/bench_personal.py): posterior and forecast coverage of 80%
    intervals against the 0.75-0.85 target, and the week-4 CRPS of the model and two simple forecasts."""
    fig = Figure(figsize=(9, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    names = [*coverage, "forecast"]
    values = [*coverage.values(), forecast_coverage]
    left.bar(names, values, color="#1c7ed6")
    left.axhspan(0.75, 0.85, color="#2f9e44", alpha=0.2, label="target 0.75-0.85")
    left.set_ylim(0, 1)
    left.set_ylabel("share inside the 80% interval")
    left.legend(fontsize=8)
    right.bar(list(crps), list(crps.values()), color=["#1c7ed6", "0.6", "0.6"][: len(crps)])
    right.set_ylabel("CRPS at week 4 (lower is better)")
    return fig


__all__ = ["course_figure", "factor_figure", "forecast_figure", "personal_validation_figure"]
