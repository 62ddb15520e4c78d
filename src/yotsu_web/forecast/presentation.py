"""The stored fit in plain words for the patient and the desk: every sentence a person reads is built here.

Numbers are rounded to what a person can use (one decimal point of a 0-10 scale, whole percentages);
nothing here decides anything — the fit is the pathway's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yotsu.evidence import EvidenceLevel
from yotsu.pathway.personal import PersonalFit
from yotsu_web.clinics.models import Membership
from yotsu_web.forecast.models import PersonalForecast, Status
from yotsu_web.forecast.service import title_of, weekly_actual


@dataclass
class DriverRow:
    label: str
    direction: str  # "presses" / "eases" / "varies", for the row's style
    text: str
    level: str


@dataclass
class PlanRow:
    plan: str
    title: str
    week12: str
    band80: str
    chance: str


@dataclass
class SnapshotRow:
    made_on: dt.date
    title: str
    cells: list[tuple[str, str, str]]  # (week, forecast "median (low-high)", actual or "—")


@dataclass
class ForecastPage:
    status: str  # "none", "pending", "ready", "failed"
    updating: bool = False
    computed_at: dt.datetime | None = None
    source_is_population: bool = False
    red_flag: bool = False
    message: str = ""
    as_of: dt.date | None = None
    drivers: list[DriverRow] = field(default_factory=list)
    massage: str = ""
    plans: list[PlanRow] = field(default_factory=list)
    n_of_1: str = ""
    not_identifiable: list[str] = field(default_factory=list)
    informed: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[SnapshotRow] = field(default_factory=list)
    disclaimer: str = ""


def _points(x: float) -> str:
    return f"{abs(x):.1f}"


def _driver(d: Any, lang: str) -> DriverRow:
    p = d.points
    if d.id == "flares":
        text = _("your pain goes up or down by about %(m)s points from day to day (%(lo)s–%(hi)s)") % {
            "m": _points(p.median),
            "lo": _points(p.low),
            "hi": _points(p.high),
        }
        direction = "varies"
    elif d.id == "danger_level":
        text = _("sets a level of about %(m)s out of 10 (%(lo)s–%(hi)s); the other rows move it up or down") % {
            "m": _points(p.median),
            "lo": _points(p.low),
            "hi": _points(p.high),
        }
        direction = "presses"
    elif p.median >= 0:
        text = _("raises your pain by about %(m)s points (likely between %(lo)s and %(hi)s)") % {
            "m": _points(p.median),
            "lo": f"{p.low:+.1f}",
            "hi": f"{p.high:+.1f}",
        }
        direction = "presses"
    else:
        text = _("lowers your pain by about %(m)s points (likely between %(lo)s and %(hi)s)") % {
            "m": _points(p.median),
            "lo": f"{p.low:+.1f}",
            "hi": f"{p.high:+.1f}",
        }
        direction = "eases"
    return DriverRow(d.label(lang), direction, text, EvidenceLevel(d.evidence.level).label(lang))


def _massage(fit: PersonalFit) -> str:
    m = fit.massage
    if m is None:
        return ""
    trend = {
        "shrinking": _("The relief is getting smaller than at first."),
        "steady": _("The relief is holding about as at first."),
        "unclear": _("Whether the relief is getting smaller is not clear yet."),
    }[m.trend]
    return _(
        "From %(n)s massage sessions: right after a session your pain eases by about %(now)s points "
        "(at first about %(first)s), and half of that is gone after about %(half)s days. %(trend)s"
    ) % {"n": m.sessions, "now": _points(m.relief_now.median), "first": _points(m.relief_first.median),
         "half": f"{m.half_life_days.median:.1f}", "trend": trend}  # fmt: skip


def forecast_page(row: PersonalForecast | None, patient: Membership, lang: str, desk: bool = False) -> ForecastPage:
    if row is None or (row.result is None and row.status == Status.PENDING):
        return ForecastPage(status="pending" if row is not None else "none")
    if row.result is None:
        return ForecastPage(status="failed", computed_at=row.computed_at)
    fit = PersonalFit.model_validate(row.result)
    page = ForecastPage(
        status="ready", updating=row.updating, computed_at=row.computed_at,
        source_is_population=fit.source == "population", red_flag=fit.red_flag, message=fit.message(lang),
        as_of=fit.as_of, disclaimer=fit.disclaimer(lang),
    )  # fmt: skip
    if fit.red_flag:
        return page
    page.drivers = [_driver(d, lang) for d in fit.drivers]
    page.massage = _massage(fit)
    for f in fit.forecasts:
        low, high = f.band80[-1]
        page.plans.append(PlanRow(f.plan, f.title(lang), f"{f.median[-1]:.1f}", f"{low:.1f}–{high:.1f}",
                                  f"{round(100 * f.p_improvement)}%"))  # fmt: skip
    page.n_of_1 = fit.n_of_1.text(lang) if fit.n_of_1 is not None else ""
    page.not_identifiable = [t(lang) for t in fit.not_identifiable]
    if desk:
        page.informed = [
            {"meaning": i.meaning(lang), "unit": i.unit, "prior": f"{i.prior.low:.2g}–{i.prior.high:.2g}",
             "posterior": f"{i.posterior.low:.2g}–{i.posterior.high:.2g}", "ratio": f"{i.width_ratio:.2f}",
             "informed": i.informed}
            for i in fit.informed
        ]  # fmt: skip
        for snap in patient.forecast_snapshots.all()[:6]:
            actual = weekly_actual(patient, snap.made_on)
            fc = snap.forecast
            cells = []
            for week in (4, 8, 12):
                i = week - 1
                low, high = fc["band80"][i]
                got = actual[i]
                cells.append((str(week), f"{fc['median'][i]:.1f} ({low:.1f}–{high:.1f})",
                              "—" if got is None else f"{got:.1f}"))  # fmt: skip
            page.snapshots.append(SnapshotRow(snap.made_on, title_of(snap.plan_title)(lang), cells))
    return page
