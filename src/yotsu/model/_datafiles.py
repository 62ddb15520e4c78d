"""Named data files (plans, cohorts, trials): one way to read, validate, list and look them up."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from yotsu._strict import StrictInputError, load_yaml

M = TypeVar("M", bound=BaseModel)


def load_file(path: str | Path, model: type[M], what: str, error: type[Exception]) -> M:
    """Read and validate one YAML file; errors name the file and the field."""
    path = Path(path)
    try:
        raw = load_yaml(path)
    except StrictInputError as exc:
        raise error(f"cannot read {what} file {path}: {exc.detail}") from None
    except OSError as exc:
        raise error(f"cannot read {what} file {path}: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(f"{what} file {path} is not valid: {explain(exc)}") from exc
    except LookupError as exc:  # an unknown citation key raised by a validator
        raise error(f"{what} file {path} is not valid: {exc}") from exc


def explain(exc: ValidationError) -> str:
    """A validation error on one line: each field's place and what is wrong with it."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def load_folder(folder: str, model: type[M], what: str, error: type[Exception]) -> dict[str, M]:
    """Every ``*.yaml`` in ``yotsu/model/data/<folder>``, by name; each file must be named after its item."""
    directory = Path(str(resources.files("yotsu.model") / "data" / folder))
    out: dict[str, M] = {}
    for path in sorted(directory.glob("*.yaml")):
        item = load_file(path, model, what, error)
        name = str(getattr(item, "name"))  # noqa: B009 - every named model has a name field
        if name != path.stem:
            raise error(f"{path.name}: its name is {name!r}; the file must be named after it")
        out[name] = item
    return out


def lookup(value: str | Path, named: dict[str, M], model: type[M], what: str, error: type[Exception]) -> M:
    """A shipped item by name, or one read from a YAML file path."""
    text = str(value)
    if text in named:
        return named[text]
    if text.endswith((".yaml", ".yml")) or Path(text).exists():
        return load_file(text, model, what, error)
    raise error(f"unknown {what} {text!r}; named {what}s: {', '.join(named)} (or give a YAML file)")
