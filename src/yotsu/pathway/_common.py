"""What every pathway module shares: evidence tags, localisable errors, validated data files."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from yotsu._strict import StrictInputError, load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import gettext

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class PathwayError(Exception):
    """Base of every pathway error: an English message, and the same message in Japanese.

    The message template is a gettext msgid (``yotsu.po``), so ``localized("ja")`` gives the clinician
    the Japanese text with the same facts filled in.
    """

    template = "{detail}"

    def __init__(self, **facts: object) -> None:
        self.facts = facts
        super().__init__(self.localized("en"))

    def localized(self, lang: str = "en") -> str:
        """The message in ``lang`` ('en' or 'ja')."""
        return gettext(self.template, lang).format(**self.facts)


class PathwayDataError(PathwayError, ValueError):
    """A pathway data file that does not follow its schema."""

    template = "data file {file}: {detail}"


class Evidence(BaseModel):
    """The citation keys behind an item and the level of what is taken from them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    citations: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel

    @field_validator("citations")
    @classmethod
    def _resolve(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        check_keys(keys, "evidence")
        return keys


Model = TypeVar("Model", bound=BaseModel)


def package_data(package: str, name: str) -> Traversable:
    """A data file shipped inside ``package``."""
    return resources.files(package) / "data" / name


def load_model(source: Traversable | Path, model: type[Model]) -> Model:
    """Read a YAML file and validate it as ``model``; errors name the file and the field."""
    try:
        raw = load_yaml(source)
    except StrictInputError as exc:
        raise PathwayDataError(file=source.name, detail=exc.detail) from None
    except OSError as exc:
        raise PathwayDataError(file=source.name, detail=str(exc)) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise PathwayDataError(file=source.name, detail=_explain(exc)) from exc
    except LookupError as exc:  # an unknown citation key raised by a validator
        raise PathwayDataError(file=source.name, detail=str(exc)) from exc


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)
