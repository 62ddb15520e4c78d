"""``{% chart c %}`` draws a :class:`yotsu_web.clinics.charts.Chart` in the browser (with its table);
``{% chart_scripts %}`` loads uPlot (vendored, served by the app) and the drawing code once per page."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from yotsu_web.clinics.charts import Chart

register = template.Library()


@register.inclusion_tag("clinics/includes/chart.html")
def chart(c: Chart) -> dict[str, Any]:
    return {"chart": c, "data_id": f"{c.id}-data"}


@register.simple_tag
def chart_scripts() -> str:
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script><script src="{}" defer></script>',
        static("vendor/uplot/uPlot.min.css"),
        static("vendor/uplot/uPlot.iife.min.js"),
        static("yotsu_web/charts.js"),
    )
