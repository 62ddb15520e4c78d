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
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yotsu.pathway._common import PathwayError

COLUMNS = (
    "date", "pain_nrs", "sleep_quality", "stress", "activity_minutes",
    "session_kind", "pressure", "relief", "relief_days", "red_flags",
)  # fmt: skip


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


def load_diary_csv(path: str | Path) -> Diary:
    """Read a diary CSV (format in the module docstring)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM (Excel) is accepted
        reader = csv.DictReader(fh)
        header = tuple(reader.fieldnames or ())
        unknown = [c for c in header if c not in COLUMNS]
        if unknown or "date" not in header:
            raise DiaryFormatError(
                file=path.name, row=1, column=(unknown or ["date"])[0],
                detail=f"the columns are: {', '.join(COLUMNS)} (date is required)",
            )  # fmt: skip
        days, sessions, flags = [], [], []
        for row_no, row in enumerate(reader, start=2):
            cell = _Cells(path.name, row_no, row)
            date = cell.get("date", dt.date.fromisoformat, "a date like 2025-03-01", required=True)
            daily = {k: cell.number(k) for k in ("pain_nrs", "sleep_quality", "stress", "activity_minutes")}
            if any(v is not None for v in daily.values()):
                days.append(cell.build(DayEntry, date=date, **daily))
            kind = cell.get("session_kind", SessionKind, f"one of {', '.join(SessionKind)}")
            extras = {k: cell.number(k) for k in ("pressure", "relief", "relief_days")}
            if kind is not None:
                sessions.append(cell.build(Session, date=date, kind=kind, **extras))
            elif any(v is not None for v in extras.values()):
                raise DiaryFormatError(
                    file=path.name, row=row_no, column="session_kind",
                    detail="pressure or relief is given but no session kind",
                )  # fmt: skip
            for flag in filter(None, (f.strip() for f in (row.get("red_flags") or "").split(";"))):
                flags.append(RedFlagReport(date=date, flag=flag))
    return Diary(
        days=tuple(sorted(days, key=lambda d: d.date)),
        sessions=tuple(sorted(sessions, key=lambda s: s.date)),
        red_flags=tuple(flags),
    )


class _Cells:
    """One CSV row, with conversions whose errors name the row and column."""

    def __init__(self, file: str, row: int, values: dict[str, str | None]) -> None:
        self.file, self.row, self.values = file, row, values

    def get(self, column: str, convert: Callable[[str], Any], allowed: str, required: bool = False) -> Any:
        raw = (self.values.get(column) or "").strip()
        if not raw:
            if required:
                raise DiaryFormatError(file=self.file, row=self.row, column=column, detail=f"empty; expected {allowed}")
            return None
        try:
            return convert(raw)
        except ValueError:
            raise DiaryFormatError(
                file=self.file, row=self.row, column=column, detail=f"{raw!r} is not {allowed}"
            ) from None

    def number(self, column: str) -> float | None:
        value: float | None = self.get(column, float, "a number")
        return value

    def build(self, model: type[_Frozen], **fields: Any) -> Any:
        try:
            return model(**fields)
        except ValidationError as exc:
            err = exc.errors()[0]
            column = str(err["loc"][0]) if err["loc"] else "session_kind"
            raise DiaryFormatError(file=self.file, row=self.row, column=column, detail=err["msg"]) from None
