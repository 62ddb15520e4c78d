"""Tracking: outcomes against MCIDs, the escalation detector, and red flags reported later.

- Outcomes use the MCID in each instrument file (NRS 2 points or 30%, RMDQ 5 points or 30%, ODI 10;
  ostelo2008): a change is important if it reaches *either* the absolute or the relative threshold.
- Escalation (article 3-3 and 4-2, clinical_impression): across the last ``window`` massage sessions,
  perceived pressure rising while relief shrinks. Trends are Theil-Sen slopes per session (sen1968),
  robust to one odd session. Thresholds (``EscalationRule``): pressure rising by at least 0.2 points
  per session (about 1 point over 6 sessions) together with relief duration falling by at least 0.1
  days per session or relief amount falling by at least 0.2 points per session; at least 4 sessions.
- A red flag reported in the diary re-runs triage: it refers, whatever was answered before.
- ``tracking_report`` is the one entry point every face calls (web, API, CLI): outcomes, escalation,
  red flags and the alerts they raise, red flags first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field
from scipy.stats import theilslopes

from yotsu.evidence import EvidenceLevel
from yotsu.i18n import LocalText, gettext
from yotsu.pathway._common import Evidence, PathwayError
from yotsu.pathway.diary import Diary, Session, SessionKind
from yotsu.pathway.instruments import instrument
from yotsu.pathway.triage import Answer, TriageResult, triage

_ESCALATION_EVIDENCE = Evidence(citations=("yotsu_article", "sen1968"), level=EvidenceLevel.CLINICAL_IMPRESSION)


class TrackingError(PathwayError, ValueError):
    """Not enough data, or data of the wrong kind, to compute an outcome."""

    template = "tracking: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _both(msgid: str, **fmt: object) -> LocalText:
    return LocalText(en=gettext(msgid, "en", **fmt), ja=gettext(msgid, "ja", **fmt))


class OutcomeChange(_Frozen):
    """A change between two scores of one instrument, judged against its MCID."""

    instrument: str
    baseline: float
    current: float
    improvement: float  # in the instrument's "better" direction; negative = worse
    relative_improvement: float | None
    mcid_absolute: float
    mcid_relative: float | None
    important_improvement: bool
    important_worsening: bool
    evidence: Evidence


def outcome_change(instrument_id: str, baseline: float, current: float) -> OutcomeChange:
    """Compare ``current`` with ``baseline`` on ``instrument_id``'s total against its MCID.

    >>> outcome_change("nrs_pain", 6, 4).important_improvement
    True
    """
    inst = instrument(instrument_id)
    mcid = inst.total.mcid
    if mcid is None:
        raise TrackingError(detail=f"{instrument_id} has no published MCID in Yotsu; compare scores by hand")
    lo, hi = inst.total.range
    for name, value in (("baseline", baseline), ("current", current)):
        if not lo <= value <= hi:
            raise TrackingError(detail=f"{name} {value} is outside the {instrument_id} range {lo:g}-{hi:g}")
    improvement = (baseline - current) if mcid.better == "lower" else (current - baseline)
    reference = baseline if mcid.better == "lower" else hi - baseline
    relative = improvement / reference if reference > 0 else None

    def important(gain: float, share: float | None) -> bool:
        return gain >= mcid.absolute or (mcid.relative is not None and share is not None and share >= mcid.relative)

    return OutcomeChange(
        instrument=instrument_id,
        baseline=baseline,
        current=current,
        improvement=improvement,
        relative_improvement=relative,
        mcid_absolute=mcid.absolute,
        mcid_relative=mcid.relative,
        important_improvement=improvement > 0 and important(improvement, relative),
        important_worsening=improvement < 0 and important(-improvement, -relative if relative is not None else None),
        evidence=mcid.evidence,
    )


def pain_outcome(diary: Diary, window_days: int = 7, min_entries: int = 3) -> OutcomeChange:
    """Mean diary pain of the first ``window_days`` against the last ``window_days``, on the NRS MCID."""
    days = [d for d in diary.days if d.pain_nrs is not None]
    if not days:
        raise TrackingError(detail="the diary has no pain ratings")
    first, last = days[0].date, days[-1].date
    span = dt.timedelta(days=window_days)
    early = [d.pain_nrs for d in days if d.date < first + span and d.pain_nrs is not None]
    late = [d.pain_nrs for d in days if d.date > last - span and d.pain_nrs is not None]
    if last - first < 2 * span - dt.timedelta(days=1) or len(early) < min_entries or len(late) < min_entries:
        need = f"need two separate {window_days}-day windows with at least {min_entries} pain ratings each"
        raise TrackingError(detail=need)
    return outcome_change("nrs_pain", fmean(early), fmean(late))


class EscalationRule(_Frozen):
    """Thresholds of the escalation detector (module docstring); all per session."""

    window: int = Field(default=6, ge=3)
    min_sessions: int = Field(default=4, ge=3)
    min_pressure_rise: float = Field(default=0.2, gt=0)
    min_relief_days_fall: float = Field(default=0.1, gt=0)
    min_relief_fall: float = Field(default=0.2, gt=0)


class EscalationResult(_Frozen):
    """Whether the escalation pattern is present, the trends behind it and the message to show."""

    alert: bool
    n_sessions: int
    pressure_slope: float | None
    relief_days_slope: float | None
    relief_slope: float | None
    message: LocalText
    evidence: Evidence = _ESCALATION_EVIDENCE


def _slope(values: Sequence[float | None]) -> float | None:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 3:
        return None
    xs, ys = zip(*points, strict=True)
    return float(theilslopes(ys, xs)[0])


def detect_escalation(sessions: Sequence[Session], rule: EscalationRule | None = None) -> EscalationResult:
    """Look for pressure rising while relief shrinks across the most recent massage sessions."""
    rule = rule or EscalationRule()
    massage = sorted((s for s in sessions if s.kind is SessionKind.MASSAGE), key=lambda s: s.date)[-rule.window :]
    with_pressure = [s for s in massage if s.pressure is not None]
    if len(with_pressure) < rule.min_sessions:
        return EscalationResult(
            alert=False, n_sessions=len(with_pressure), pressure_slope=None, relief_days_slope=None,
            relief_slope=None,
            message=_both("Too few massage sessions with pressure recorded to judge a trend (need {n}).",
                          n=rule.min_sessions),
        )  # fmt: skip
    pressure = _slope([s.pressure for s in with_pressure])
    days = _slope([s.relief_days for s in with_pressure])
    relief = _slope([s.relief for s in with_pressure])
    shrinking = (days is not None and days <= -rule.min_relief_days_fall) or (
        relief is not None and relief <= -rule.min_relief_fall
    )
    alert = pressure is not None and pressure >= rule.min_pressure_rise and shrinking
    msgid = (
        "Massage pressure has been rising while the relief gets shorter or weaker. Strong pressure can be "
        "read by the brain as a threat; consider gentler pressure and more movement-based care."
        if alert
        else "No escalation pattern in the recent massage sessions."
    )
    return EscalationResult(
        alert=alert, n_sessions=len(with_pressure), pressure_slope=pressure, relief_days_slope=days,
        relief_slope=relief, message=_both(msgid),
    )  # fmt: skip


def recheck_red_flags(diary: Diary, baseline_answers: Mapping[str, Answer] | None = None) -> TriageResult | None:
    """Re-run triage when the diary reports red flags; ``None`` if none were reported."""
    if not diary.red_flags:
        return None
    return triage(baseline_answers or {}, reported_flags=[r.flag for r in diary.red_flags])


class TrackingAlertKind(StrEnum):
    RED_FLAG = "red_flag"
    ESCALATION = "escalation"
    WORSENING = "worsening"


class TrackingAlert(_Frozen):
    """One alert raised from a diary, with what to tell the person."""

    kind: TrackingAlertKind
    message: LocalText
    route: str | None = None  # the triage route of a red flag


class TrackingReport(_Frozen):
    """Everything tracking finds in a diary: the pain outcome (or why there is none), escalation, red
    flags reported later, and the alerts they raise (red flags first; they are never outweighed)."""

    pain: OutcomeChange | None
    pain_note: LocalText | None
    escalation: EscalationResult
    red_flags: TriageResult | None
    alerts: tuple[TrackingAlert, ...]
    last_entry_date: dt.date | None

    def has(self, kind: TrackingAlertKind) -> bool:
        return any(a.kind is kind for a in self.alerts)


def tracking_report(
    diary: Diary, baseline_answers: Mapping[str, Answer] | None = None, window_days: int = 7
) -> TrackingReport:
    """The tracking checks on one diary, and the alerts every face shows.

    >>> from yotsu.pathway.diary import Diary
    >>> tracking_report(Diary(days=(), sessions=(), red_flags=())).alerts
    ()
    """
    alerts: list[TrackingAlert] = []
    flags = recheck_red_flags(diary, baseline_answers)
    if flags is not None:
        alerts.append(TrackingAlert(kind=TrackingAlertKind.RED_FLAG, message=flags.message, route=flags.route.value))
    pain: OutcomeChange | None = None
    note: LocalText | None = None
    try:
        pain = pain_outcome(diary, window_days=window_days)
    except TrackingError as exc:
        note = LocalText(en=exc.localized("en"), ja=exc.localized("ja"))
    escalation = detect_escalation(diary.sessions)
    if escalation.alert:
        alerts.append(TrackingAlert(kind=TrackingAlertKind.ESCALATION, message=escalation.message))
    if pain is not None and pain.important_worsening:
        alerts.append(
            TrackingAlert(
                kind=TrackingAlertKind.WORSENING,
                message=_both(
                    "Pain has worsened by a clinically important amount; review the plan with your clinician."
                ),
            )
        )
    dates = [d.date for d in diary.days] + [s.date for s in diary.sessions]
    return TrackingReport(
        pain=pain,
        pain_note=note,
        escalation=escalation,
        red_flags=flags,
        alerts=tuple(alerts),
        last_entry_date=max(dates) if dates else None,
    )
