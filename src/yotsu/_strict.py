"""One strict reader for every YAML and JSON file Yotsu reads (instruments, plans, cohorts, trials,
profiles, answers files, evidence, calibration, FHIR resources).

What is refused, each with a :class:`StrictInputError` that names the file, where in it, what was wrong
and what is allowed:

- a file over 8 MiB;
- bytes that are not UTF-8 (a UTF-8 byte-order mark is accepted); when the bytes read as Shift-JIS
  (CP932), the encoding a Japanese editor or clinic export often uses, the message says so;
- a key given twice in one mapping (``saddle_numbness: true`` then ``false`` must not resolve silently);
- NaN and infinities (``.nan``, ``.inf``, ``NaN``, ``Infinity``, ``1e999``);
- integers beyond 2**53 (where JSON numbers stop being exact);
- impossible dates (``2025-02-30``);
- nesting deeper than 32;
- YAML anchors and aliases (``&name`` / ``*name``): they can expand a small file into a huge one.

The standard parsers give tracebacks, hangs or silent last-wins for all of these.
"""

from __future__ import annotations

import json
import math
import re
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
MAX_INT = 2**53

_FINITE = "numbers must be finite (no NaN or infinity)"
_INTS = f"integers between -2**53 and 2**53 ({MAX_INT:,})"
_DEPTH = f"at most {MAX_DEPTH} levels of nesting"
_SIZE = f"files of at most {MAX_BYTES // (1024 * 1024)} MiB are read"
_TOO_DEEP = "the data is nested too deeply"

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT",
    "StrictInputError",
    "check_depth",
    "check_finite",
    "decode",
    "load_json",
    "load_yaml",
    "parse_json",
    "parse_yaml",
    "read_text",
]


class StrictInputError(ValueError):
    """A file Yotsu cannot accept: ``file``, ``where`` in it, the ``problem`` and what is ``allowed``."""

    def __init__(self, file: str, where: str, problem: str, allowed: str) -> None:
        self.file, self.where, self.problem, self.allowed = file, where, problem, allowed
        location = f"{file}, {where}" if where else file
        super().__init__(f"{location}: {problem}; {allowed}")

    @property
    def detail(self) -> str:
        """The message without the file name (for errors that name the file themselves)."""
        return f"{self.where}: {self.problem}; {self.allowed}" if self.where else f"{self.problem}; {self.allowed}"


def _name(source: str | Path | Traversable) -> str:
    return source if isinstance(source, str) else str(getattr(source, "name", source))


def decode(data: bytes, file: str = "<input>") -> str:
    """``data`` as text: UTF-8 (with or without byte-order mark), at most :data:`MAX_BYTES`."""
    if len(data) > MAX_BYTES:
        raise StrictInputError(file, "", f"the file is {len(data):,} bytes", _SIZE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        allowed = "save the file as UTF-8"
        if not _looks_japanese(data):
            raise StrictInputError(
                file, f"byte {exc.start}", f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})", allowed
            ) from None
        raise StrictInputError(
            file, f"byte {exc.start}",
            "the file is not UTF-8; it looks like Shift-JIS (CP932), as Japanese editors and clinic systems "
            "often save (ファイルの文字コードがShift-JISです。UTF-8で保存してください)",
            allowed,
        ) from None  # fmt: skip
    if "\x00" in text:
        where = f"character {text.index(chr(0))}"
        raise StrictInputError(file, where, "the file contains a NUL character", "text only")
    return text


def _looks_japanese(data: bytes) -> bool:
    """Whether ``data`` reads as Shift-JIS (CP932) text with kana or kanji and nothing odd."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    japanese = any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in text)
    odd = any("\ue000" <= c <= "\uf8ff" or (ord(c) < 32 and c not in "\t\r\n") for c in text)
    return japanese and not odd


def read_text(source: str | Path | Traversable) -> str:
    """Read a file as strict UTF-8 text (see :func:`decode`); ``OSError`` passes through."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StrictInputError(path.name, "", f"the file is {size:,} bytes", _SIZE)
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        return decode(data, path.name)
    return decode(source.read_bytes(), _name(source))


def check_finite(value: float, file: str, where: str) -> float:
    if not math.isfinite(value):
        raise StrictInputError(file, where, f"{value} is not a finite number", _FINITE)
    return value


def _check_int(value: int, file: str, where: str) -> int:
    if abs(value) > MAX_INT:
        raise StrictInputError(file, where, "the integer is too large", _INTS)
    return value


# --- YAML -------------------------------------------------------------------------------------------


def _at(node: Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _Loader(yaml.SafeLoader):
    file = "<input>"

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            raise StrictInputError(
                self.file, f"line {mark.line + 1}, column {mark.column + 1}",
                "YAML aliases (*name) are not accepted", "write the value out in full",
            )  # fmt: skip
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise StrictInputError(self.file, f"line {mark.line + 1}, column {mark.column + 1}", _TOO_DEEP, _DEPTH)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                raise StrictInputError(
                    self.file, _at(key_node), "a mapping key is a list or mapping", "keys must be plain values"
                ) from None
            if duplicate:
                raise StrictInputError(
                    self.file, _at(key_node), f"the key {key!r} is given twice", "each key at most once in a mapping"
                )
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        return check_finite(super().construct_yaml_float(node), self.file, _at(node))

    def construct_yaml_int(self, node: ScalarNode) -> int:
        return _check_int(super().construct_yaml_int(node), self.file, _at(node))

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise StrictInputError(
                self.file, _at(node), f"{node.value!r} is not a real date", "a date that exists, like 2025-03-01"
            ) from None


# Booleans are only true/false (YAML 1.2): "yes", "no", "on", "off" stay text, so a model expecting a
# boolean refuses them instead of reading "no" as False. Numbers like 1e999 are floats (YAML 1.2), so
# they reach the finite check instead of passing as text.
_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"), list("-+0123456789")
)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def parse_yaml(text: str, file: str = "<input>") -> Any:
    """Parse one YAML document strictly (module docstring); errors are :class:`StrictInputError`."""
    if len(text) > MAX_BYTES:
        decode(text.encode("utf-8"), file)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise StrictInputError(
            file, f"character {exc.position}", f"the character U+{exc.character:04X} is not allowed in YAML",
            "printable text",
        ) from None  # fmt: skip
    loader.file = file
    try:
        return loader.get_single_data()
    except StrictInputError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "not valid YAML"
        if isinstance(exc, ConstructorError):
            problem = f"{problem} (only plain YAML values are read)"
        raise StrictInputError(file, where, problem, "valid YAML") from None
    except yaml.YAMLError as exc:
        raise StrictInputError(file, "", str(exc), "valid YAML") from None
    except RecursionError:
        raise StrictInputError(file, "", _TOO_DEEP, _DEPTH) from None
    finally:
        loader.dispose()


def load_yaml(source: str | Path | Traversable) -> Any:
    """Read and parse a YAML file strictly; ``OSError`` passes through."""
    return parse_yaml(read_text(source), _name(source) if not isinstance(source, (str, Path)) else Path(source).name)


# --- JSON -------------------------------------------------------------------------------------------


def check_depth(value: Any, file: str = "<input>") -> None:
    """Refuse lists and mappings nested deeper than :data:`MAX_DEPTH` (for data already parsed)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise StrictInputError(file, "", _TOO_DEEP, _DEPTH)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children)


def parse_json(text: str | bytes, file: str = "<input>") -> Any:
    """Parse JSON strictly (module docstring); errors are :class:`StrictInputError`."""
    if isinstance(text, bytes):
        text = decode(text, file)
    elif len(text) > MAX_BYTES:
        decode(text.encode("utf-8"), file)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                problem = f"the key {key!r} is given twice"
                raise StrictInputError(file, f"key {key!r}", problem, "each key at most once in an object")
            out[key] = value
        return out

    def constant(name: str) -> Any:
        raise StrictInputError(file, "", f"{name} is not a finite number", _FINITE)

    def number_float(raw: str) -> float:
        return check_finite(float(raw), file, f"number {raw[:40]}")

    def number_int(raw: str) -> int:
        if len(raw.lstrip("-")) > 16:
            raise StrictInputError(file, f"number {raw[:40]}", "the integer is too large", _INTS)
        return _check_int(int(raw), file, f"number {raw}")

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_float=number_float,
                           parse_int=number_int)  # fmt: skip
    except json.JSONDecodeError as exc:
        raise StrictInputError(file, f"line {exc.lineno}, column {exc.colno}", exc.msg, "valid JSON") from None
    except RecursionError:
        raise StrictInputError(file, "", _TOO_DEEP, _DEPTH) from None
    check_depth(value, file)
    return value


def load_json(source: str | Path | Traversable) -> Any:
    """Read and parse a JSON file strictly; ``OSError`` passes through."""
    name = Path(source).name if isinstance(source, (str, Path)) else _name(source)
    return parse_json(read_text(source), name)
