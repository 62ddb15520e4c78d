"""Hostile or odd input to the pathway's readers: a clear error naming the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import yotsu.pathway
from yotsu.pathway.assess import AnswersFileError, load_answers
from yotsu.pathway.diary import DiaryFormatError, load_diary_csv
from yotsu.pathway.triage import InvalidAnswerError, Route, triage, triage_rules

EXAMPLE = Path(yotsu.pathway.__file__).parent / "data" / "examples" / "answers-example.yaml"


def clean(**overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {q: False for q in triage_rules().flag_question_ids()}
    answers.update(age_years=40, pain_duration_weeks=30, examined_by_doctor=True, doctor_found_serious_cause=False)
    answers.update(overrides)
    return answers


# --- triage ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [math.nan, math.inf, -math.inf, 1e999, 10**9, -1, True])
def test_a_duration_that_is_not_a_real_number_of_weeks_is_refused_not_routed(weeks: float) -> None:
    with pytest.raises(InvalidAnswerError, match=r"pain_duration_weeks.*a number of weeks, from 0 to"):
        triage(clean(pain_duration_weeks=weeks))


@pytest.mark.parametrize("age", [math.nan, math.inf, -1, 1e999, False])
def test_an_age_that_is_not_a_real_age_is_refused(age: float) -> None:
    with pytest.raises(InvalidAnswerError, match=r"age_years.*an age in years"):
        triage(clean(age_years=age))


@pytest.mark.parametrize("value", [1, 0, "yes", "true", 1.0])
def test_a_flag_answer_must_be_a_boolean(value: object) -> None:
    with pytest.raises(InvalidAnswerError, match=r"saddle_numbness.*true \(yes\) or false \(no\)"):
        triage(clean(saddle_numbness=value))


def test_a_long_duration_within_a_lifetime_is_still_in_scope() -> None:
    assert triage(clean(pain_duration_weeks=52 * 40)).route is Route.IN_SCOPE


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.booleans() | st.text(max_size=5))
def test_triage_never_routes_a_non_finite_or_non_numeric_duration_in_scope(weeks: object) -> None:
    try:
        result = triage(clean(pain_duration_weeks=weeks))
    except InvalidAnswerError:
        return
    assert isinstance(weeks, int | float) and not isinstance(weeks, bool)
    assert math.isfinite(weeks) and weeks >= 0
    assert result.route in (Route.IN_SCOPE, Route.OUT_OF_SCOPE)


# --- answers files -----------------------------------------------------------------------------------


def _answers_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _with_triage(tmp_path: Path, line: str) -> Path:
    data = yaml.safe_load(_example_text())
    data["triage"].pop("pain_duration_weeks")
    text = yaml.safe_dump(data, sort_keys=False).replace("triage:\n", f"triage:\n  {line}\n", 1)
    return _answers_file(tmp_path, text)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pain_duration_weeks: .nan", "not a finite number"),
        ("pain_duration_weeks: 1e999", "not a finite number"),
        ("pain_duration_weeks: .inf", "not a finite number"),
        ("pain_duration_weeks: 99999999999999999999", "integer is too large"),
        ("pain_duration_weeks: '30'", "is not an answer"),
    ],
)
def test_an_answers_file_with_a_bad_duration_is_refused(tmp_path: Path, line: str, expected: str) -> None:
    with pytest.raises(AnswersFileError, match=expected) as info:
        load_answers(_with_triage(tmp_path, line))
    assert "answers.yaml" in str(info.value)


def test_a_key_given_twice_in_an_answers_file_is_refused_not_resolved_to_the_last(tmp_path: Path) -> None:
    text = _example_text().replace("triage:\n", "triage:\n  saddle_numbness: true\n", 1)
    assert text.count("saddle_numbness") == 2
    with pytest.raises(AnswersFileError, match=r"'saddle_numbness' is given twice"):
        load_answers(_answers_file(tmp_path, text))


@pytest.mark.parametrize("word", ["yes", "no", "on", "1"])
def test_a_red_flag_answered_with_a_word_or_number_is_refused(tmp_path: Path, word: str) -> None:
    data = yaml.safe_load(_example_text())
    data["triage"].pop("fever", None)
    text = yaml.safe_dump(data, sort_keys=False).replace("triage:\n", f"triage:\n  fever: {word}\n", 1)
    path = _answers_file(tmp_path, text)
    try:
        answers = load_answers(path)
    except AnswersFileError as exc:
        assert "triage.fever" in str(exc)
        return
    with pytest.raises(InvalidAnswerError, match="fever"):  # an integer passes the file, not triage
        triage(answers.triage)


def test_an_instrument_item_answered_true_is_not_scored_as_1(tmp_path: Path) -> None:
    data = yaml.safe_load(_example_text())
    inst = next(iter(data["instruments"]))
    item = next(iter(data["instruments"][inst]))
    data["instruments"][inst][item] = True
    with pytest.raises(AnswersFileError, match=rf"instruments\.{inst}\.{item}"):
        load_answers(_answers_file(tmp_path, yaml.safe_dump(data)))


def test_a_shift_jis_answers_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(("# 回答\n" + _example_text()).encode("cp932", errors="replace"))
    with pytest.raises(AnswersFileError, match=r"Shift-JIS \(CP932\)"):
        load_answers(path)


def test_the_example_still_loads() -> None:
    assert load_answers(EXAMPLE).triage


# --- diary CSV ---------------------------------------------------------------------------------------

HEADER = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags\n"
TODAY = dt.date(2026, 6, 1)


def _diary(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "diary.csv"
    path.write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2025-03-01,１０,,,,,,,,", r"row 2, column 'pain_nrs': '１０' has full-width or other-script digits.*0-9"),
        ("2025-03-01,٣,,,,,,,,", r"column 'pain_nrs': '٣' has full-width or other-script digits"),
        ("２０２５-03-01,5,,,,,,,,", r"column 'date': .* has full-width or other-script digits"),
        ("2025-03-01,nan,,,,,,,,", r"column 'pain_nrs': 'nan' is not a number written with digits 0-9"),
        ("2025-03-01,inf,,,,,,,,", r"'inf' is not a number"),
        ("2025-03-01,1e1,,,,,,,,", r"'1e1' is not a number"),
        ("2025-03-01,1_0,,,,,,,,", r"'1_0' is not a number"),
        ("2025-03-01,11,,,,,,,,", r"column 'pain_nrs': .*less than or equal to 10"),
        ("2025-02-30,5,,,,,,,,", r"column 'date': '2025-02-30' is not a real date"),
        ("20250301,5,,,,,,,,", r"column 'date': '20250301' is not a real date like 2025-03-01 \(YYYY-MM-DD\)"),
        (
            "1999-12-31,5,,,,,,,,",
            r"1999-12-31 is outside the dates a diary can hold \(2000-01-01 to today, 2026-06-01\)",
        ),
        ("2026-06-02,5,,,,,,,,", r"2026-06-02 is outside the dates"),
        ("2025-03-01,5,,,,,,,,headache", r"column 'red_flags': 'headache' is not a red-flag id; the ids are: .*fever"),
        ("2025-03-01,5,,,,,,,,fever;FEVER", r"'FEVER' is not a red-flag id"),
        ("2025-03-01," + "5" * 1001 + ",,,,,,,,", r"column 'pain_nrs': the cell has 1,001 characters; at most 1,000"),
        ("2025-03-01,5,,,,,,,,," + "x", r"row 2, .*the row has 11 cells; the header has 10"),
        ("2025-03-01,,,,,massage,,,,x" + "y" * 200_000, r"row 2.*a cell is over the 1,000 characters allowed"),
    ],
)
def test_a_bad_diary_cell_is_refused_naming_the_row_the_column_and_what_is_allowed(
    tmp_path: Path, row: str, expected: str
) -> None:
    with pytest.raises(DiaryFormatError, match=expected):
        load_diary_csv(_diary(tmp_path, row), today=TODAY)


def test_one_daily_row_per_date_but_several_sessions(tmp_path: Path) -> None:
    twice = _diary(tmp_path, "2025-03-01,5,,,,,,,,", "2025-03-02,4,,,,,,,,", "2025-03-01,6,,,,,,,,")
    with pytest.raises(DiaryFormatError, match=r"row 4, column 'date': 2025-03-01 already has daily values in row 2"):
        load_diary_csv(twice, today=TODAY)
    ok = _diary(
        tmp_path, "2025-03-01,5,,,,massage,4,5,2,", "2025-03-01,,,,,graded_exercise,,,,", "2025-03-01,,,,,,,,,fever"
    )
    diary = load_diary_csv(ok, today=TODAY)
    assert len(diary.days) == 1 and len(diary.sessions) == 2 and [r.flag for r in diary.red_flags] == ["fever"]


def test_the_dates_at_both_ends_are_accepted(tmp_path: Path) -> None:
    diary = load_diary_csv(_diary(tmp_path, "2000-01-01,5,,,,,,,,", "2026-06-01,4,,,,,,,,"), today=TODAY)
    assert [d.date for d in diary.days] == [dt.date(2000, 1, 1), TODAY]


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = _diary(tmp_path, "2025-03-01,5,6", header="date,pain_nrs,pain_nrs\n")
    with pytest.raises(DiaryFormatError, match=r"row 1, column 'pain_nrs': the column is named twice"):
        load_diary_csv(path, today=TODAY)


def test_a_shift_jis_diary_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_bytes((HEADER + "2025-03-01,5,,,,,,,,\n# 腰が痛い\n").encode("cp932"))
    with pytest.raises(DiaryFormatError, match=r"Shift-JIS \(CP932\)"):
        load_diary_csv(path, today=TODAY)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_pain_cell_is_read_as_a_plain_number_or_refused(cell: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diary.csv"
        row = f"2025-03-01,{cell.replace(',', '').replace(chr(10), '')},,,,,,,,\n"
        path.write_text(HEADER + row, encoding="utf-8", newline="")
        try:
            diary = load_diary_csv(path, today=TODAY)
        except DiaryFormatError:
            return
    for day in diary.days:
        assert day.pain_nrs is not None and 0 <= day.pain_nrs <= 10 and math.isfinite(day.pain_nrs)
