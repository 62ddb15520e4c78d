"""Diary loading, outcomes against MCIDs, the escalation detector and later red flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yotsu.pathway.diary import Diary, DiaryFormatError, RedFlagReport, Session, SessionKind, load_diary_csv
from yotsu.pathway.tracking import (
    TrackingAlertKind,
    TrackingError,
    detect_escalation,
    outcome_change,
    pain_outcome,
    recheck_red_flags,
    tracking_report,
)
from yotsu.pathway.triage import Route, UnknownAnswerError

HEADER = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags\n"
DAY0 = dt.date(2025, 3, 1)


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "diary.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def massage(day: int, pressure: float, relief: float, relief_days: float) -> Session:
    return Session(
        date=DAY0 + dt.timedelta(days=day), kind=SessionKind.MASSAGE, pressure=pressure, relief=relief,
        relief_days=relief_days,
    )  # fmt: skip


def test_diary_rows_become_days_sessions_and_flags(tmp_path: Path) -> None:
    diary = load_diary_csv(
        write(
            tmp_path,
            "2025-03-01,6,4,7,20,massage,7,5,2,\n2025-03-02,5,5,6,30,,,,,\n2025-03-03,,,,,graded_exercise,,,,fever\n",
        )
    )
    assert [d.pain_nrs for d in diary.days] == [6, 5]
    assert [(s.kind, s.pressure) for s in diary.sessions] == [
        (SessionKind.MASSAGE, 7),
        (SessionKind.GRADED_EXERCISE, None),
    ]
    assert [r.flag for r in diary.red_flags] == ["fever"]


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        ("2025-03-01,11,,,,,,,,\n", 2, "pain_nrs"),
        ("2025-03-01,5,,,,,,,,\n03/02/2025,5,,,,,,,,\n", 3, "date"),
        ("2025-03-01,five,,,,,,,,\n", 2, "pain_nrs"),
        ("2025-03-01,5,,,,yoga,,,,\n", 2, "session_kind"),
        ("2025-03-01,5,,,,massage,12,,,\n", 2, "pressure"),
        ("2025-03-01,5,,,,cbt,6,,,\n", 2, "session_kind"),
        ("2025-03-01,5,,,,,6,,,\n", 2, "session_kind"),
        (",5,,,,,,,,\n", 2, "date"),
    ],
)
def test_diary_errors_name_row_and_column(tmp_path: Path, body: str, row: int, column: str) -> None:
    with pytest.raises(DiaryFormatError, match=rf"row {row}, column '{column}'"):
        load_diary_csv(write(tmp_path, body))


def test_a_diary_saved_by_excel_with_a_bom_reads_the_same(tmp_path: Path) -> None:
    body = "2025-03-01,6,4,7,20,massage,7,5,2,\n"
    plain = load_diary_csv(write(tmp_path, body))
    path = tmp_path / "excel.csv"
    path.write_text(HEADER + body, encoding="utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_diary_csv(path) == plain


def test_unknown_diary_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DiaryFormatError, match=r"row 1, column 'mood'"):
        load_diary_csv(write(tmp_path, "2025-03-01,5,,,,,,,,,3\n", header=HEADER.strip() + ",mood\n"))


def test_nrs_mcid_two_points_or_thirty_percent() -> None:
    assert outcome_change("nrs_pain", 6, 4).important_improvement  # 2 points
    assert not outcome_change("nrs_pain", 8, 7).important_improvement  # 1 point, 12.5 %
    assert outcome_change("nrs_pain", 3, 2).important_improvement  # 1 point but 33 %
    assert outcome_change("nrs_pain", 4, 6).important_worsening  # 2 points worse


def test_rmdq_mcid_five_points_or_thirty_percent() -> None:
    assert outcome_change("rmdq", 14, 9).important_improvement  # 5 points
    assert not outcome_change("rmdq", 20, 16).important_improvement  # 4 points, 20 %
    assert outcome_change("rmdq", 10, 7).important_improvement  # 3 points, 30 %


def test_outcome_refuses_instruments_without_mcid_and_out_of_range_scores() -> None:
    with pytest.raises(TrackingError, match="peg3 has no published MCID"):
        outcome_change("peg3", 6, 3)
    with pytest.raises(TrackingError, match="outside the rmdq range 0-24"):
        outcome_change("rmdq", 30, 3)


@given(baseline=st.integers(0, 10), current=st.integers(0, 10))
def test_improvement_and_worsening_are_never_both_flagged(baseline: int, current: int) -> None:
    change = outcome_change("nrs_pain", baseline, current)
    assert not (change.important_improvement and change.important_worsening)
    assert change.improvement == baseline - current


def test_pain_outcome_compares_first_and_last_week(tmp_path: Path) -> None:
    rows = "".join(f"{DAY0 + dt.timedelta(days=i)},{6 if i < 7 else 3},,,,,,,,\n" for i in range(21))
    change = pain_outcome(load_diary_csv(write(tmp_path, rows)))
    assert (change.baseline, change.current) == (6, 3)
    assert change.important_improvement


def test_pain_outcome_needs_two_windows(tmp_path: Path) -> None:
    rows = "".join(f"{DAY0 + dt.timedelta(days=i)},5,,,,,,,,\n" for i in range(5))
    with pytest.raises(TrackingError, match="two separate 7-day windows"):
        pain_outcome(load_diary_csv(write(tmp_path, rows)))


def test_escalation_pressure_up_relief_shorter_alerts() -> None:
    # pressure 5,6,6,7,8,9: the 15 pairwise slopes sorted are 0, .5, .5, .67, .67, .75, .75, .8, 1 x 7,
    # median (8th) = 0.8 per session; relief days 3,3,2,2,1,1: sorted slopes -1, -1, -.67, -.5 x 6, -.4,
    # -.33, -.33, 0, 0, 0, median (8th) = -0.5 days per session
    sessions = [
        massage(7 * i, p, 5, d) for i, (p, d) in enumerate(zip([5, 6, 6, 7, 8, 9], [3, 3, 2, 2, 1, 1], strict=True))
    ]
    result = detect_escalation(sessions)
    assert result.alert
    assert result.pressure_slope == pytest.approx(0.8)
    assert result.relief_days_slope == pytest.approx(-0.5)
    assert "強い" in result.message("ja")


def test_rising_pressure_with_lasting_relief_is_not_escalation() -> None:
    sessions = [massage(7 * i, 4 + i, 6, 3) for i in range(6)]
    assert not detect_escalation(sessions).alert


def test_shrinking_relief_at_steady_comfortable_pressure_is_not_escalation() -> None:
    sessions = [massage(7 * i, 4, 6 - i, 3 - 0.5 * i) for i in range(6)]
    assert not detect_escalation(sessions).alert


def test_one_odd_session_does_not_hide_the_pattern() -> None:
    # the 4th session's pressure was recorded as 2; Theil-Sen still sees the rise
    pressures, days = [5, 6, 7, 2, 8, 9], [3, 3, 2, 2, 1, 1]
    sessions = [massage(7 * i, p, 5, d) for i, (p, d) in enumerate(zip(pressures, days, strict=True))]
    assert detect_escalation(sessions).alert


def test_too_few_sessions_give_no_alert_and_say_why() -> None:
    result = detect_escalation([massage(0, 5, 5, 3), massage(7, 9, 1, 0)])
    assert not result.alert and result.n_sessions == 2
    assert "4" in result.message("en")


def test_only_the_most_recent_window_counts() -> None:
    old = [massage(i, 3 + i, 5, 4 - 0.5 * i) for i in range(6)]  # an old escalating run
    recent = [massage(100 + 7 * i, 5, 5, 3) for i in range(6)]  # since then steady
    assert detect_escalation(old).alert
    assert not detect_escalation(old + recent).alert


def test_red_flag_reported_later_refers(tmp_path: Path) -> None:
    diary = load_diary_csv(write(tmp_path, "2025-03-01,5,,,,,,,,\n2025-03-05,5,,,,,,,,saddle_numbness\n"))
    result = recheck_red_flags(diary)
    assert result is not None and result.route is Route.EMERGENCY


def test_no_later_red_flag_means_no_triage(tmp_path: Path) -> None:
    assert recheck_red_flags(load_diary_csv(write(tmp_path, "2025-03-01,5,,,,,,,,\n"))) is None


def test_unknown_red_flag_in_the_diary_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DiaryFormatError, match=r"row 2, column 'red_flags': 'headache' is not a red-flag id.*fever"):
        load_diary_csv(write(tmp_path, "2025-03-01,5,,,,,,,,headache\n"))
    diary = Diary(red_flags=(RedFlagReport(date=dt.date(2025, 3, 1), flag="headache"),))  # built by other code
    with pytest.raises(UnknownAnswerError, match="headache"):
        recheck_red_flags(diary)


def test_tracking_report_raises_the_worsening_alert_every_face_shows(tmp_path: Path) -> None:
    rows = "".join(f"2025-03-{d:02d},{3 if d <= 7 else 6},,,,,,,,\n" for d in range(1, 15))
    report = tracking_report(load_diary_csv(write(tmp_path, rows)))
    assert report.pain is not None and report.pain.important_worsening
    assert [a.kind for a in report.alerts] == [TrackingAlertKind.WORSENING]
    assert report.alerts[0].message.ja != report.alerts[0].message.en


def test_tracking_report_puts_a_red_flag_first_and_explains_a_missing_outcome(tmp_path: Path) -> None:
    diary = load_diary_csv(write(tmp_path, "2025-03-01,5,,,,,,,,saddle_numbness\n"))
    report = tracking_report(diary)
    assert report.alerts[0].kind is TrackingAlertKind.RED_FLAG and report.alerts[0].route == "emergency"
    assert report.pain is None and report.pain_note is not None and "7-day" in report.pain_note.en
