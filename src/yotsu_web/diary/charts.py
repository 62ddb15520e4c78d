"""The diary over time, with the pathway's MCID lines for pain (one function per figure)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from yotsu.pathway.diary import Diary, SessionKind
from yotsu.pathway.tracking import OutcomeChange
from yotsu_web.clinics.charts import Chart, RefLine, Series, by_date


def diary_figure(diary: Diary, pain: OutcomeChange | None) -> Figure:
    """Pain with its baseline and MCID thresholds; sleep and stress; massage pressure and relief days."""
    figure = Figure(figsize=(7.5, 7.2), layout="constrained")
    ax_pain, ax_life, ax_massage = figure.subplots(3, 1, sharex=True)
    pain_days = [d for d in diary.days if d.pain_nrs is not None]
    ax_pain.plot([d.date for d in pain_days], [d.pain_nrs for d in pain_days], "o-", color="#b23a48",
                 label=_("pain"))  # fmt: skip
    if pain is not None:
        ax_pain.axhline(pain.baseline, color="#555", linestyle="--", linewidth=1, label=_("first week (baseline)"))
        points = _("important improvement: %(points)g points") % {"points": pain.mcid_absolute}
        ax_pain.axhline(pain.baseline - pain.mcid_absolute, color="#1f6f5c", linestyle=":", label=points)
        if pain.mcid_relative is not None:
            share = round(pain.mcid_relative * 100)
            ax_pain.axhline(pain.baseline * (1 - pain.mcid_relative), color="#4a90a4", linestyle="-.",
                            label=_("important improvement: %(percent)d%%") % {"percent": share})  # fmt: skip
    ax_pain.set_ylim(0, 10.5)
    ax_pain.set_ylabel(_("pain (0-10)"))
    if ax_pain.get_lines():
        ax_pain.legend(loc="upper right", fontsize=8)

    for field, label, colour in (
        ("sleep_quality", _("sleep quality"), "#3b6ea5"),
        ("stress", _("stress"), "#c77d00"),
    ):
        points = [(d.date, getattr(d, field)) for d in diary.days if getattr(d, field) is not None]
        if points:
            ax_life.plot(*zip(*points, strict=True), "o-", markersize=3, color=colour, label=label)
    ax_life.set_ylim(0, 10.5)
    ax_life.set_ylabel("0-10")
    if ax_life.get_lines():
        ax_life.legend(loc="upper right", fontsize=8)

    massage = [s for s in diary.sessions if s.kind is SessionKind.MASSAGE]
    pressed = [s for s in massage if s.pressure is not None]
    if pressed:
        ax_massage.bar(
            [s.date for s in pressed],
            [s.pressure for s in pressed],
            color="#999",
            label=_("massage pressure"),
        )
    lasted = [s for s in massage if s.relief_days is not None]
    if lasted:
        ax_massage.plot([s.date for s in lasted], [s.relief_days for s in lasted], "s-", color="#1f6f5c",
                        label=_("days the relief lasted"))  # fmt: skip
    if not massage:
        ax_massage.text(0.5, 0.5, _("no massage sessions"), transform=ax_massage.transAxes, ha="center", color="#777")
    else:
        ax_massage.legend(loc="upper left", fontsize=8)
    ax_massage.set_ylabel(_("massage"))
    figure.autofmt_xdate()
    return figure


def diary_charts(diary: Diary, pain: OutcomeChange | None, prefix: str = "diary") -> list[Chart]:
    """The same diary as charts drawn in the browser: pain with its baseline and MCID lines; sleep and
    stress; massage pressure and the days the relief lasted."""
    days, values = by_date(
        [(d.date, {"pain": d.pain_nrs, "sleep": d.sleep_quality, "stress": d.stress}) for d in diary.days],
        ("pain", "sleep", "stress"),
    )
    lines = []
    if pain is not None:
        lines.append(RefLine(_("first week (baseline)"), pain.baseline, "#555555"))
        lines.append(RefLine(_("important improvement: %(points)g points") % {"points": pain.mcid_absolute},
                             pain.baseline - pain.mcid_absolute, "#1f6f5c"))  # fmt: skip
    massage = [s for s in diary.sessions if s.kind is SessionKind.MASSAGE]
    m_days, m_values = by_date(
        [(s.date, {"pressure": s.pressure, "relief_days": s.relief_days}) for s in massage], ("pressure", "relief_days")
    )
    return [
        Chart(id=f"{prefix}-pain", title=_("Pain"), x=days, x_label=_("date"), y_label=_("pain (0-10)"),
              series=[Series(_("pain"), values["pain"], "#b23a48")], y_min=0, y_max=10, lines=lines),
        Chart(id=f"{prefix}-life", title=_("Sleep and stress"), x=days, x_label=_("date"), y_label="0-10",
              series=[Series(_("sleep quality"), values["sleep"], "#3b6ea5"),
                      Series(_("stress"), values["stress"], "#c77d00")], y_min=0, y_max=10),
        Chart(id=f"{prefix}-massage", title=_("massage"), x=m_days, x_label=_("date"), y_label=_("massage"),
              series=[Series(_("massage pressure"), m_values["pressure"], "#888888", "bars"),
                      Series(_("days the relief lasted"), m_values["relief_days"], "#1f6f5c")], y_min=0),
    ]  # fmt: skip
