"""The pain drawing's extent over visits, and pain before and after each visit (one figure)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from yotsu_web.records.models import VisitRecord


def extent_figure(records: Sequence[VisitRecord]) -> Figure:
    """Share of the body marked (%) and number of regions per visit; pain before/after below."""
    figure = Figure(figsize=(7.5, 5.0), layout="constrained")
    ax_extent, ax_pain = figure.subplots(2, 1, sharex=True)
    ordered = sorted(records, key=lambda r: (r.visit_date, r.pk))
    dates = [r.visit_date for r in ordered]
    ax_extent.plot(dates, [r.body_share * 100 for r in ordered], "o-", color="#b23a48", label=_("body area marked (%)"))
    for r in ordered:
        if r.widespread:
            ax_extent.annotate(_("widespread"), (r.visit_date, r.body_share * 100), fontsize=8)
    ax_extent.set_ylabel(_("body area marked (%)"))
    ax_extent.set_ylim(0, max([10.0] + [r.body_share * 110 for r in ordered]))
    regions = ax_extent.twinx()
    regions.plot(dates, [r.n_regions for r in ordered], "s:", color="#3b6ea5", label=_("regions marked"))
    regions.set_ylabel(_("regions marked"))
    for field, label, colour in (
        ("pain_before", _("pain before"), "#c77d00"),
        ("pain_after", _("pain after"), "#1f6f5c"),
    ):
        points = [(r.visit_date, getattr(r, field)) for r in ordered if getattr(r, field) is not None]
        if points:
            ax_pain.plot(*zip(*points, strict=True), "o-", color=colour, label=label)
    ax_pain.set_ylim(0, 10.5)
    ax_pain.set_ylabel(_("pain (0-10)"))
    if ax_pain.get_lines():
        ax_pain.legend(loc="upper right", fontsize=8)
    if not ordered:
        ax_extent.text(0.5, 0.5, _("No visit recorded yet."), transform=ax_extent.transAxes, ha="center")
    return figure
