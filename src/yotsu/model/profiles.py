"""Named person profiles: parameter values that describe a kind of person, as data."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._datafiles import explain
from yotsu.model.parameters import PersonParams, parameter_table


class ProfileError(ValueError):
    """A profile that cannot be read or used."""


class Profile(BaseModel):
    """A kind of person: parameter values that differ from the defaults, with their evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    description: LocalText
    evidence: tuple[str, ...] = Field(min_length=1)
    level: EvidenceLevel
    values: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Profile:
        check_keys(self.evidence, f"profile {self.name}")
        unknown = sorted(set(self.values) - set(parameter_table()))
        if unknown:
            raise ValueError(f"unknown parameter(s): {', '.join(unknown)}")
        PersonParams.from_values(self.values)  # range check
        return self

    def params(self, n: int = 1) -> PersonParams:
        return PersonParams.from_values(self.values, n=n)


@cache
def named_profiles() -> dict[str, Profile]:
    """The profiles shipped with Yotsu, by name (a public contract)."""
    folder = Path(str(resources.files("yotsu.model") / "data" / "profiles"))
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            prof = Profile.model_validate(load_yaml(path))
        except ValidationError as exc:
            raise ProfileError(f"profile file {path.name} is not valid: {explain(exc)}") from exc
        if prof.name != path.stem:
            raise ProfileError(f"{path.name}: its name is {prof.name!r}; the file must be named after it")
        out[prof.name] = prof
    return out


def get_profile(name: str) -> Profile:
    try:
        return named_profiles()[name]
    except KeyError:
        raise ProfileError(f"unknown profile {name!r}; named profiles: {', '.join(named_profiles())}") from None
