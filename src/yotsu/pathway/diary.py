"""Diary records (daily pain, sleep, stress, activity; sessions) and loading a diary from CSV.

CSV format, one row per day or per session (a day with two sessions has two rows)::

    date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags
    2025-03-01,6,4,7,20,massage,7,5,2,
    2025-03-02,5,5,6,30,,,,,
    2025-03-03,,,,,graded_exercise,,,,fever

``pain_nrs``, ``sleep_quality`` (0 = very poor, 10 = very good) and ``stress`` are 0-10; empty daily
fields mean "not recorded". A session needs ``session_kind``; ``pressure`` (perceived intensity 0-10)
only for ``massage`` and ``gentle_manual``; ``relief`` is 0-10 and ``relief_days`` how long it lasted.
``red_flags`` lists red-flag ids reported that day, separated by ``;``. Errors name the row and column.

What a file is refused for (each with the row, the column and what is allowed): not UTF-8 (a Shift-JIS
export is named as such), over 8 MiB, a column named twice, a row with more cells than the header, a
cell over 1,000 characters, a date that is not ``YYYY-MM-DD``, does not exist, or is before
2000-01-01 or after today, two rows of daily values for one date, a number that is not plain ASCII
digits (full-width ``１０`` or other-script ``٣`` digits are named), NaN or infinity, and an unknown
red-flag id.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yotsu._strict import StrictInputError, read_text
from yotsu.pathway._common import PathwayError

COLUMNS = (
    "date", "pain_nrs", "sleep_quality", "stress", "activity_minutes",
    "session_kind", "pressure", "relief", "relief_days", "red_flags",
)  # fmt: skip

#: The first date a diary may hold; the last is today.
EARLIEST_DATE = dt.date(2000, 1, 1)
#: The longest cell read, in characters.
MAX_CELL = 1000
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class SessionKind(StrEnum):
    """The model's session kinds (ARCHITECTURE.md section 2)."""

    EDUCATION = "education"
    GRADED_EXERCISE = "graded_exercise"
    NEURO_TRAINING = "neuro_training"
    GENTLE_MANUAL = "gentle_manual"
    CBT = "cbt"
    SLEEP_CARE = "sleep_care"
    MASSAGE = "massage"


PRESSURE_KINDS = frozenset({SessionKind.MASSAGE, SessionKind.GENTLE_MANUAL})


class DiaryFormatError(PathwayError, ValueError):
    """A diary file that cannot be read; names the row (1 = header) and the column."""

    template = "diary {file}, row {row}, column {column!r}: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DayEntry(_Frozen):
    """What a person records about a day; ``None`` = not recorded."""

    date: dt.date
    pain_nrs: float | None = Field(default=None, ge=0, le=10)
    sleep_quality: float | None = Field(default=None, ge=0, le=10)
    stress: float | None = Field(default=None, ge=0, le=10)
    activity_minutes: float | None = Field(default=None, ge=0, le=24 * 60)


class Session(_Frozen):
    """A care session: kind, perceived pressure (0-10, manual kinds only), relief 0-10 and its duration."""

    date: dt.date
    kind: SessionKind
    pressure: float | None = Field(default=None, ge=0, le=10)
    relief: float | None = Field(default=None, ge=0, le=10)
    relief_days: float | None = Field(default=None, ge=0, le=60)

    @model_validator(mode="after")
    def _pressure_only_for_manual(self) -> Session:
        if self.pressure is not None and self.kind not in PRESSURE_KINDS:
            raise ValueError(f"pressure is recorded only for {', '.join(sorted(PRESSURE_KINDS))}")
        return self


class RedFlagReport(_Frozen):
    """A red flag reported in the diary on ``date``."""

    date: dt.date
    flag: str


class Diary(_Frozen):
    """A person's diary: days, sessions and red flags reported, each in date order."""

    days: tuple[DayEntry, ...] = ()
    sessions: tuple[Session, ...] = ()
    red_flags: tuple[RedFlagReport, ...] = ()


def load_diary_csv(path: str | Path, today: dt.date | None = None) -> Diary:
    """Read a diary CSV (format and what is refused in the module docstring); ``today`` is the last
    date allowed (default: today)."""
    path = Path(path)
    try:
        text = read_text(path).removeprefix("\ufeff")  # a byte-order mark (Excel) is accepted
    except StrictInputError as exc:
        raise DiaryFormatError(file=path.name, row=1, column="", detail=exc.detail) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse(path.name, reader, today or dt.date.today())
    except csv.Error as exc:
        detail = (
            f"a cell is over the {MAX_CELL:,} characters allowed"
            if "field larger" in str(exc)
            else f"not a readable CSV file ({exc})"
        )
        raise DiaryFormatError(file=path.name, row=reader.line_num, column="", detail=detail) from None


def _parse(name: str, reader: Iterator[list[str]], today: dt.date) -> Diary:
    header = tuple(c.strip() for c in next(reader, []))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown or "date" not in header:
        raise DiaryFormatError(
            file=name, row=1, column=(unknown or ["date"])[0][:40],
            detail=f"the columns are: {', '.join(COLUMNS)} (date is required)",
        )  # fmt: skip
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise DiaryFormatError(file=name, row=1, column=twice[0], detail="the column is named twice")
    days, sessions, flags = [], [], []
    daily_rows: dict[dt.date, int] = {}
    known_flags = _flag_ids()

    def parse_date(raw: str) -> dt.date:
        if not _DATE.match(raw):
            _refuse_other_digits(raw)
            raise ValueError
        value = dt.date.fromisoformat(raw)
        if check_diary_date(value, today) is not None:
            raise _OutOfRange(f"{raw} is outside the dates a diary can hold ({EARLIEST_DATE} to today, {today})")
        return value

    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header) :]):  # empty trailing cells (a trailing comma) are fine
            raise DiaryFormatError(
                file=name, row=row_no, column="", detail=f"the row has {len(cells)} cells; the header has {len(header)}"
            )
        row = dict(zip(header, cells, strict=False))
        cell = _Cells(name, row_no, row)
        date = cell.get("date", parse_date, "a real date like 2025-03-01 (YYYY-MM-DD)", required=True)
        daily = {k: cell.number(k) for k in ("pain_nrs", "sleep_quality", "stress", "activity_minutes")}
        if any(v is not None for v in daily.values()):
            if date in daily_rows:
                raise DiaryFormatError(
                    file=name, row=row_no, column="date",
                    detail=f"{date} already has daily values in row {daily_rows[date]}; one daily row per date",
                )  # fmt: skip
            daily_rows[date] = row_no
            days.append(cell.build(DayEntry, date=date, **daily))
        kind = cell.get("session_kind", SessionKind, f"one of {', '.join(SessionKind)}")
        extras = {k: cell.number(k) for k in ("pressure", "relief", "relief_days")}
        if kind is not None:
            sessions.append(cell.build(Session, date=date, kind=kind, **extras))
        elif any(v is not None for v in extras.values()):
            raise DiaryFormatError(
                file=name, row=row_no, column="session_kind",
                detail="pressure or relief is given but no session kind",
            )  # fmt: skip
        for flag in filter(None, (f.strip() for f in cell.raw("red_flags").split(";"))):
            if flag not in known_flags:
                raise DiaryFormatError(
                    file=name, row=row_no, column="red_flags",
                    detail=f"{flag!r} is not a red-flag id; the ids are: {', '.join(sorted(known_flags))}",
                )  # fmt: skip
            flags.append(RedFlagReport(date=date, flag=flag))
    return Diary(
        days=tuple(sorted(days, key=lambda d: d.date)),
        sessions=tuple(sorted(sessions, key=lambda s: s.date)),
        red_flags=tuple(flags),
    )


def _flag_ids() -> frozenset[str]:
    from yotsu.pathway.triage import triage_rules  # triage imports this module's neighbours

    return frozenset(f.id for f in triage_rules().flags)


class _OutOfRange(ValueError):
    """A value of the right form outside what is allowed; its message says so."""


def is_plain_number(raw: str) -> bool:
    """Whether ``raw`` is a number as the diary takes it: ASCII digits 0-9, an optional minus sign and
    decimal point (no full-width or other-script digits, exponents, underscores, NaN or infinity)."""
    return bool(_NUMBER.match(raw))


def has_other_script_digits(raw: str) -> bool:
    """Whether ``raw`` holds digits other than ASCII 0-9 (full-width ``１０``, Arabic-Indic ``٣``, ...)."""
    return any(not c.isascii() and unicodedata.category(c) == "Nd" for c in raw)


def check_diary_date(value: dt.date, today: dt.date) -> str | None:
    """What is wrong with ``value`` as a diary date (None if nothing): 2000-01-01 to ``today``."""
    if value > today:
        return "in_future"
    if value < EARLIEST_DATE:
        return "too_early"
    return None


def _refuse_other_digits(raw: str) -> None:
    if has_other_script_digits(raw):
        raise _OutOfRange(
            f"{raw[:40]!r} has full-width or other-script digits; write it with ASCII digits 0-9 "
            "(半角数字で入力してください)"
        )


def _number(raw: str) -> float:
    if not _NUMBER.match(raw):
        _refuse_other_digits(raw)
        raise ValueError
    return float(raw)


class _Cells:
    """One CSV row, with conversions whose errors name the row and column."""

    def __init__(self, file: str, row: int, values: dict[str, str]) -> None:
        self.file, self.row, self.values = file, row, values

    def raw(self, column: str) -> str:
        raw = (self.values.get(column) or "").strip()
        if len(raw) > MAX_CELL:
            raise DiaryFormatError(
                file=self.file, row=self.row, column=column,
                detail=f"the cell has {len(raw):,} characters; at most {MAX_CELL:,}",
            )  # fmt: skip
        return raw

    def get(self, column: str, convert: Callable[[str], Any], allowed: str, required: bool = False) -> Any:
        raw = self.raw(column)
        if not raw:
            if required:
                raise DiaryFormatError(file=self.file, row=self.row, column=column, detail=f"empty; expected {allowed}")
            return None
        try:
            return convert(raw)
        except _OutOfRange as exc:
            raise DiaryFormatError(file=self.file, row=self.row, column=column, detail=str(exc)) from None
        except ValueError:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            raise DiaryFormatError(
                file=self.file, row=self.row, column=column, detail=f"{shown!r} is not {allowed}"
            ) from None

    def number(self, column: str) -> float | None:
        value: float | None = self.get(column, _number, "a number written with digits 0-9, like 5 or 2.5")
        return value

    def build(self, model: type[_Frozen], **fields: Any) -> Any:
        try:
            return model(**fields)
        except ValidationError as exc:
            err = exc.errors()[0]
            column = str(err["loc"][0]) if err["loc"] else "session_kind"
            raise DiaryFormatError(file=self.file, row=self.row, column=column, detail=err["msg"]) from None
