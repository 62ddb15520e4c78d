"""The citation registry: every mechanism, default and piece of advice names keys found here."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from yotsu._strict import load_yaml

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class EvidenceLevel(StrEnum):
    """The three levels the article itself uses (ARCHITECTURE.md section 1)."""

    ESTABLISHED = "established"
    REPORTED = "reported"
    CLINICAL_IMPRESSION = "clinical_impression"

    def label(self, lang: str = "en") -> str:
        """The level's name for a person, in ``lang`` ('en' or 'ja')."""
        return _LEVEL_LABELS[self][lang]


_LEVEL_LABELS = {
    EvidenceLevel.ESTABLISHED: {"en": "established", "ja": "確立（ガイドライン水準）"},
    EvidenceLevel.REPORTED: {"en": "reported", "ja": "報告あり（議論中）"},
    EvidenceLevel.CLINICAL_IMPRESSION: {"en": "clinical impression", "ja": "臨床的印象（未証明）"},
}


class Citation(BaseModel):
    """One source: who, when, what, where, and the level of what Yotsu takes from it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Key
    authors: str = Field(min_length=1)
    year: int | None = None
    title: str = Field(min_length=1)
    venue: str = Field(min_length=1)
    doi: str | None = None
    url: str | None = None
    level: EvidenceLevel

    def short(self) -> str:
        """'Authors (year)' for inline use."""
        first = self.authors.split(",")[0]
        return f"{first} ({self.year})" if self.year else first


class UnknownCitationError(KeyError):
    """A citation key that the registry does not hold."""

    def __str__(self) -> str:
        return f"unknown citation key {self.args[0]!r}: it is not in the evidence registry (yotsu evidence lists them)"


class RegistryFileError(ValueError):
    """A registry data file that does not follow the schema."""


@cache
def registry() -> dict[str, Citation]:
    """All citations, from every YAML file in ``yotsu/evidence/data``, keyed by citation key."""
    out: dict[str, Citation] = {}
    folder = resources.files("yotsu.evidence") / "data"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        raw = load_yaml(entry) or {}
        for key, fields in (raw.get("citations") or {}).items():
            if key in out:
                raise RegistryFileError(f"{entry.name}: citation key {key!r} is defined twice")
            try:
                out[key] = Citation(key=key, **fields)
            except ValidationError as exc:
                raise RegistryFileError(f"{entry.name}: citation {key!r}: {exc}") from exc
    return out


def cite(key: str) -> Citation:
    """The citation for ``key``; raises :class:`UnknownCitationError` if there is none.

    >>> cite("who2023").level.value
    'established'
    """
    try:
        return registry()[key]
    except KeyError:
        raise UnknownCitationError(key) from None


def check_keys(keys: list[str] | tuple[str, ...], where: str) -> None:
    """Raise a clear error if any of ``keys`` does not resolve; ``where`` names the referring item."""
    missing = [k for k in keys if k not in registry()]
    if missing:
        raise UnknownCitationError(f"{where}: {', '.join(missing)}")
