"""Adherence per week (Monday to Sunday) for one patient or a whole clinic, in a few aggregate queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, DateField, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils.html import escape

from yotsu.pathway.progression import adherence, week_start
from yotsu_web.programme.models import Programme, SessionLog, Status


@dataclass(frozen=True)
class Week:
    start: dt.date
    done: int
    partly: int
    prescribed: int
    last_log: dt.date | None = None

    @property
    def ratio(self) -> float | None:
        return adherence(self.done, self.partly, self.prescribed)

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(100 * self.ratio)


PER_WEEK = Sum("exercises__days_per_week", filter=Q(exercises__active=True))


def with_sessions_per_week(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Annotate each programme with ``per_week``: the sessions its active exercises prescribe in a week."""
    return programmes.annotate(per_week=PER_WEEK)


def prescribed_per_week(programme_ids: Iterable[int]) -> dict[int, int]:
    rows = Programme.objects.filter(pk__in=list(programme_ids)).annotate(per_week=PER_WEEK)
    return {patient_id: per_week or 0 for patient_id, per_week in rows.values_list("patient_id", "per_week")}


def weekly(programmes: list[Programme], today: dt.date, weeks: int) -> dict[int, list[Week]]:
    """patient id -> the last ``weeks`` weeks (oldest first), weeks before the programme left out."""
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    counts: dict[int, dict[dt.date, tuple[int, int, dt.date]]] = defaultdict(dict)
    rows = (
        SessionLog.objects.filter(patient_id__in=[p.patient_id for p in programmes], date__gte=first)
        .annotate(week=TruncWeek("date", output_field=DateField()))
        .values_list("patient_id", "week")
        .annotate(
            done=Count("pk", filter=Q(status=Status.DONE)),
            partly=Count("pk", filter=Q(status=Status.PARTLY)),
            last=Max("date"),
        )
    )
    for patient_id, week, done, partly, last in rows:
        week = week.date() if isinstance(week, dt.datetime) else week
        counts[patient_id][week] = (done, partly, last)
    annotated = all(hasattr(p, "per_week") for p in programmes)
    per_week = (
        {p.patient_id: p.per_week or 0 for p in programmes}  # type: ignore[attr-defined]
        if annotated
        else prescribed_per_week(p.pk for p in programmes)
    )
    out = {}
    for programme in programmes:
        starts = [first + dt.timedelta(weeks=i) for i in range(weeks)]
        begun = week_start(programme.start_date)
        out[programme.patient_id] = [
            _week(start, counts[programme.patient_id].get(start), per_week.get(programme.patient_id, 0))
            for start in starts
            if start >= begun
        ]
    return out


def _week(start: dt.date, found: tuple[int, int, dt.date] | None, prescribed: int) -> Week:
    if found is None:
        return Week(start, 0, 0, prescribed)
    return Week(start, found[0], found[1], prescribed, found[2])


def last_log(weeks: list[Week]) -> dt.date | None:
    """The latest logged day within ``weeks``."""
    return max((w.last_log for w in weeks if w.last_log), default=None)


def bars_svg(weeks: list[Week], label: str) -> str:
    """Adherence per week as a small bar chart (inline SVG; classes only, CSP-safe)."""
    width, height, gap = 240, 48, 2
    n = max(len(weeks), 1)
    bar = (width - gap * (n + 1)) / n
    parts = [f'<rect class="frame" x="0.5" y="0.5" width="{width - 1}" height="{height - 1}"/>']
    for i, week in enumerate(weeks):
        ratio = week.ratio or 0.0
        h = max(1.0, (height - 4) * ratio)
        cls = "bar low" if ratio < 0.5 else "bar"
        x = gap + i * (bar + gap)
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{height - 2 - h:.1f}" width="{bar:.1f}" height="{h:.1f}">'
            f"<title>{week.start:%m/%d}: {week.percent if week.percent is not None else '-'}%</title></rect>"
        )
    body = "".join(parts)
    return (
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
