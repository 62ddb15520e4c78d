"""Serving Matplotlib figures as SVG: no pyplot (no global state), Japanese glyphs via matplotlib-fontja.

Text is drawn as paths (Matplotlib's default ``svg.fonttype``), so the browser needs no font.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib_fontja  # noqa: F401  (sets a Japanese-capable font family on import)
from django.http import HttpResponse
from matplotlib.figure import Figure


def svg_response(figure: Figure) -> HttpResponse:
    """The figure as an SVG response that no shared cache may keep (it holds health data)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
