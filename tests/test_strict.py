"""The strict YAML/JSON reader every Yotsu loader uses: what it refuses and what it still reads."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu._strict import MAX_BYTES, MAX_DEPTH, MAX_INT, StrictInputError, load_json, load_yaml, parse_json, parse_yaml

# --- refused, each with where and what is allowed ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("saddle_numbness: true\nsaddle_numbness: false\n", "line 2", "given twice"),
        ("a:\n  b: 1\n  b: 1\n", "line 3", "given twice"),
        ("pain_duration_weeks: .nan\n", "line 1", "not a finite number"),
        ("pain_duration_weeks: .inf\n", "line 1", "not a finite number"),
        ("pain_duration_weeks: -.inf\n", "line 1", "not a finite number"),
        ("pain_duration_weeks: 1e999\n", "line 1", "not a finite number"),
        ("count: 99999999999999999999\n", "line 1", "integer is too large"),
        ("date: 2025-02-30\n", "line 1", "not a real date"),
        ("a: &x [1, 2]\nb: *x\n", "line 2", "aliases"),
        ("a: [1, 2\n", "line", "expected"),
        ("a: !!python/object/apply:os.system ['true']\n", "line 1", "constructor"),
        ("a: 1\n\x07\n", "character", "not allowed"),
    ],
)
def test_refused_yaml_names_the_place_the_problem_and_what_is_allowed(text: str, where: str, problem: str) -> None:
    with pytest.raises(StrictInputError) as info:
        parse_yaml(text, "plan.yaml")
    message = str(info.value)
    assert message.startswith("plan.yaml")
    assert where in info.value.where
    assert problem in info.value.problem
    assert info.value.allowed and info.value.allowed in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"linkId": "q1", "linkId": "q2"}', "given twice"),
        ('{"a": NaN}', "not a finite number"),
        ('{"a": Infinity}', "not a finite number"),
        ('{"a": -Infinity}', "not a finite number"),
        ('{"a": 1e999}', "not a finite number"),
        ('{"a": 9007199254740993}', "integer is too large"),
        ('{"a": ' + "9" * 5000 + "}", "integer is too large"),
        ('{"a": ', "Expecting value"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_refused_json(text: str, problem: str) -> None:
    with pytest.raises(StrictInputError) as info:
        parse_json(text, "response.json")
    assert problem in info.value.problem
    assert str(info.value).startswith("response.json")


def test_nesting_is_refused_past_the_limit_and_read_at_it() -> None:
    deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_yaml(deep) is not None and parse_json(deep) is not None
    for text in (
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "a:\n" + "".join(f"{' ' * i}b:\n" for i in range(1, 60)),
    ):
        with pytest.raises(StrictInputError, match="nested too deeply"):
            parse_yaml(text)
    with pytest.raises(StrictInputError, match="nested too deeply"):
        parse_yaml("[" * 100_000)  # no RecursionError, no hang


def test_integers_at_the_limit_are_read() -> None:
    assert parse_yaml(f"a: {MAX_INT}\nb: -{MAX_INT}") == {"a": MAX_INT, "b": -MAX_INT}
    assert parse_json(f"[{MAX_INT}, -{MAX_INT}]") == [MAX_INT, -MAX_INT]
    with pytest.raises(StrictInputError):
        parse_yaml(f"a: {MAX_INT + 1}")


def test_booleans_are_only_true_and_false() -> None:
    data = parse_yaml("a: true\nb: False\nc: yes\nd: no\ne: on\nf: off\n")
    assert data == {"a": True, "b": False, "c": "yes", "d": "no", "e": "on", "f": "off"}
    assert yaml.safe_load("c: yes") == {"c": True}  # what the standard reader would have done


def test_shift_jis_is_named_and_other_bytes_are_refused(tmp_path: Path) -> None:
    sjis = tmp_path / "plan.yaml"
    sjis.write_bytes("name: 腰痛プラン\nweeks: 12\n".encode("cp932"))
    with pytest.raises(StrictInputError) as info:
        load_yaml(sjis)
    assert "Shift-JIS (CP932)" in str(info.value) and "UTF-8" in info.value.allowed
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(StrictInputError) as info:
        load_yaml(latin)
    assert "not UTF-8" in info.value.problem and "Shift-JIS" not in str(info.value)
    assert info.value.where == "byte 9"


def test_a_utf8_byte_order_mark_is_accepted_and_nul_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes('\ufeff{"a": 1}'.encode())
    assert load_json(path) == {"a": 1}
    path.write_bytes(b'{"a": "\x00"}')
    with pytest.raises(StrictInputError, match="NUL"):
        load_json(path)


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(StrictInputError, match="MiB"):
        load_yaml(path)


def test_plain_files_read_as_before() -> None:
    text = "name: plan\nweeks: 12\nstart: 2025-03-01\npressure: 4.5\nitems: [a, b]\n<<: {extra: 1}\n"
    assert parse_yaml(text) == {
        "extra": 1, "name": "plan", "weeks": 12, "start": dt.date(2025, 3, 1), "pressure": 4.5, "items": ["a", "b"],
    }  # fmt: skip


def test_every_shipped_yaml_file_reads_the_same_as_the_standard_reader() -> None:
    files = sorted(Path(__file__).parents[1].joinpath("src").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        assert load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


# --- properties --------------------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(-MAX_INT, MAX_INT) | st.floats(allow_nan=False, allow_infinity=False)
_printable = st.characters(blacklist_categories=("Cs", "Cc"))  # YAML allows no control characters or surrogates
_json = st.recursive(
    _scalars | st.text(_printable, max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(_printable, max_size=8), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(_json)
def test_any_plain_json_value_reads_back_equal(value: object) -> None:
    assert parse_json(json.dumps(value)) == value
    # JSON is YAML 1.2; PyYAML's own dumper writes YAML 1.1 and leaves strings such as '0E0' unquoted,
    # which YAML 1.2 (and this reader) read as numbers, so it is not a round trip to test against.
    assert parse_yaml(json.dumps(value, ensure_ascii=False)) == value


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_a_value_or_a_strict_error_never_another_exception(data: bytes) -> None:
    for parse in (parse_yaml, parse_json):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            value = parse(text)
        except StrictInputError as exc:
            assert exc.problem and exc.allowed
        else:
            _assert_finite(value)


def _assert_finite(value: object) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        assert abs(value) <= MAX_INT
    elif isinstance(value, dict):
        for v in value.values():
            _assert_finite(v)
    elif isinstance(value, list):
        for v in value:
            _assert_finite(v)
