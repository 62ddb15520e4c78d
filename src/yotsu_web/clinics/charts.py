"""Charts drawn in the browser (uPlot, vendored by ``scripts/vendor-js``) from the page's own data, each
with its values as a table for screen readers. Measured against server-drawn SVG in
``benchmarks/bench_charts.py``: the page costs the server no figure, and the phone draws it at its width
with labels of 12 px or more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    color: str
    kind: Literal["line", "bars"] = "line"


@dataclass(frozen=True)
class RefLine:
    """A horizontal line (a norm, a threshold) with what it means."""

    label: str
    value: float
    color: str


@dataclass(frozen=True)
class Chart:
    """One chart: x values (dates or session numbers), series over them, reference lines, the y range."""

    id: str
    title: str
    x: Sequence[dt.date | int]
    x_label: str
    y_label: str
    series: Sequence[Series]
    y_min: float | None = None
    y_max: float | None = None
    lines: Sequence[RefLine] = field(default_factory=tuple)

    @property
    def x_is_date(self) -> bool:
        return bool(self.x) and isinstance(self.x[0], dt.date)

    def data(self) -> dict[str, Any]:
        """What the browser draws (see static/yotsu_web/charts.js)."""
        return {
            "x": [x.isoformat() if isinstance(x, dt.date) else x for x in self.x],
            "xDate": self.x_is_date,
            "xLabel": self.x_label,
            "yLabel": self.y_label,
            "yMin": self.y_min,
            "yMax": self.y_max,
            "series": [{"label": s.label, "values": list(s.values), "color": s.color, "kind": s.kind}
                       for s in self.series],
            "lines": [{"label": r.label, "value": r.value, "color": r.color} for r in self.lines],
        }  # fmt: skip

    def rows(self) -> list[tuple[Any, list[float | None]]]:
        """The table for screen readers: one row per x, newest first."""
        out = [(x, [s.values[i] for s in self.series]) for i, x in enumerate(self.x)]
        return out[::-1]

    def table_body(self) -> SafeString:
        """The table's rows as HTML, built here rather than in a template loop (a year is 365 rows)."""
        rows = []
        for x, values in self.rows():
            head = x.isoformat() if isinstance(x, dt.date) else str(x)
            cells = "".join(f"<td>{'–' if v is None else escape(f'{v:g}')}</td>" for v in values)
            rows.append(f'<tr><th scope="row">{head}</th>{cells}</tr>')
        return mark_safe("".join(rows))  # numbers and dates only, escaped

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)


def by_date(
    points: Sequence[tuple[dt.date, dict[str, float | None]]], keys: Sequence[str]
) -> tuple[list[dt.date], dict[str, list[float | None]]]:
    """Points on dates -> one sorted date axis and one value list per key (None where a date lacks it)."""
    merged: dict[dt.date, dict[str, float | None]] = {}
    for day, values in points:
        merged.setdefault(day, {}).update({k: v for k, v in values.items() if v is not None})
    days = sorted(merged)
    return days, {k: [merged[d].get(k) for d in days] for k in keys}
