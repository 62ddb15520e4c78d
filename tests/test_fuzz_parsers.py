"""Property-based fuzz of every file reader a person can hand the CLI or the app: answers (YAML and
JSON), plan files, diary CSV and FHIR QuestionnaireResponse. Each case gives a value or the reader's own
error with a message naming where the problem is; never another exception. Bounded and derandomized
(tests/conftest.py); the cases run per target are printed at the end of the run."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yotsu.model
import yotsu.pathway
from yotsu.model.plans import PlanError, load_plan_file
from yotsu.pathway.assess import AnswersFileError, load_answers
from yotsu.pathway.diary import DiaryFormatError, load_diary_csv
from yotsu.pathway.instruments import FhirImportError, from_questionnaire_response, to_questionnaire_response

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EXAMPLE = Path(yotsu.pathway.__file__).parent / "data" / "examples" / "answers-example.yaml"
PLAN = Path(yotsu.model.__file__).parent / "data" / "plans" / "exercise.yaml"

junk: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["１０", "٣", "2025-02-30", "\x00", "true", "yes", ".nan", "1e999", "", " "]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a leaf or a branch in a loaded YAML/JSON value."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += _paths(inner, (*prefix, i))
    return out


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _named(message: str, path: tuple[Any, ...]) -> bool:
    """The message names the replaced field (or one on its way), or its line in the file (the strict reader
    refuses a value before it knows the field: a huge integer, deep nesting)."""
    names = [str(p) for p in path if not isinstance(p, int)]
    return any(name in message for name in names) or not names or "line " in message


ANSWERS = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
ANSWER_PATHS = _paths(ANSWERS)


@FUZZ
@given(path=st.sampled_from(ANSWER_PATHS), new=junk, as_json=st.booleans())
def test_answers_file_with_one_field_replaced(
    tmp_path: Path, fuzz_counts: Counter[str], path: tuple[Any, ...], new: Any, as_json: bool
) -> None:
    fuzz_counts["answers file (YAML/JSON)"] += 1
    data = _replaced(ANSWERS, path, new)
    file = tmp_path / ("answers.json" if as_json else "answers.yaml")
    text = json.dumps(data, allow_nan=True) if as_json else yaml.safe_dump(data, allow_unicode=True)
    file.write_text(text, encoding="utf-8")
    try:
        load_answers(file)
    except AnswersFileError as error:
        assert _named(str(error), path), (path, str(error))


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_answers_file_of_any_bytes(tmp_path: Path, fuzz_counts: Counter[str], data: bytes) -> None:
    fuzz_counts["answers file (any bytes)"] += 1
    file = tmp_path / "answers.yaml"
    file.write_bytes(data)
    try:
        load_answers(file)
    except AnswersFileError as error:
        assert "answers.yaml" in str(error)


PLAN_DATA = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
PLAN_PATHS = _paths(PLAN_DATA)


@FUZZ
@given(path=st.sampled_from(PLAN_PATHS), new=junk)
def test_plan_file_with_one_field_replaced(
    tmp_path: Path, fuzz_counts: Counter[str], path: tuple[Any, ...], new: Any
) -> None:
    fuzz_counts["plan file"] += 1
    file = tmp_path / "plan.yaml"
    file.write_text(yaml.safe_dump(_replaced(PLAN_DATA, path, new), allow_unicode=True), encoding="utf-8")
    try:
        load_plan_file(file)
    except PlanError as error:
        assert "plan.yaml" in str(error) and _named(str(error), path), (path, str(error))


HEADER = "date,pain_nrs,sleep_quality,stress,activity_minutes,session_kind,pressure,relief,relief_days,red_flags"
TODAY = dt.date(2026, 6, 1)
cell = st.one_of(
    st.sampled_from(["", "5", "0", "10", "2025-03-01", "2026-06-01", "massage", "fever", "graded_exercise"]),
    st.text(alphabet=st.characters(blacklist_characters='\r\n,"', blacklist_categories=("Cs",)), max_size=12),
)
row = st.lists(cell, min_size=10, max_size=10).map(",".join)


@FUZZ
@given(rows=st.lists(row, min_size=1, max_size=6))
def test_diary_csv_of_odd_rows(tmp_path: Path, fuzz_counts: Counter[str], rows: list[str]) -> None:
    fuzz_counts["diary CSV"] += 1
    file = tmp_path / "diary.csv"
    file.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    try:
        diary = load_diary_csv(file, today=TODAY)
    except DiaryFormatError as error:
        assert "row " in str(error) or "diary.csv" in str(error), str(error)
    else:
        assert len(diary.days) <= len(rows)


RESPONSE = to_questionnaire_response("phq4", {"q1": 1, "q2": 0, "q3": 2, "q4": 3}).model_dump(mode="json")
RESPONSE_PATHS = _paths(RESPONSE)


@FUZZ
@given(path=st.sampled_from(RESPONSE_PATHS), new=junk)
def test_fhir_response_with_one_field_replaced(fuzz_counts: Counter[str], path: tuple[Any, ...], new: Any) -> None:
    fuzz_counts["FHIR QuestionnaireResponse"] += 1
    try:
        from_questionnaire_response(_replaced(RESPONSE, path, new))
    except FhirImportError as error:
        assert str(error)
