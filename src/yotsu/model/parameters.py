"""The parameter table (``data/parameters.yaml``) and validated parameter sets for n persons."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, model_validator

from yotsu._strict import load_yaml
from yotsu.evidence import EvidenceLevel, check_keys
from yotsu.i18n import LocalText
from yotsu.model._step import Params


class ParameterError(ValueError):
    """A parameter set that cannot be simulated."""


class UnknownParameterError(ParameterError, KeyError):
    """A parameter name that is not in the table."""

    def __str__(self) -> str:
        return str(self.args[0])


class ParameterRangeError(ParameterError):
    """A parameter value outside its plausible range."""


class ParamSpec(BaseModel):
    """One row of the parameter table: the only place a default, range and unit are written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    default: float
    range: tuple[float, float]
    unit: str
    kind: Literal["trait", "initial", "rate"]
    meaning: LocalText
    evidence: tuple[str, ...]
    level: EvidenceLevel
    calibration: str | None = None  # the calibration version whose fitted value is the default, if any

    @model_validator(mode="after")
    def _consistent(self) -> ParamSpec:
        lo, hi = self.range
        if not lo <= self.default <= hi:
            raise ValueError(f"{self.name}: default {self.default} is outside its range [{lo}, {hi}]")
        if not self.evidence:
            raise ValueError(f"{self.name}: names no evidence")
        return self


def _shipped_calibration() -> tuple[str, dict[str, float]] | None:
    """(version, fitted values) of the newest ``data/calibration/v<N>.yaml``, unless the environment
    says ``YOTSU_CALIBRATION=none`` (the literature defaults alone)."""
    if os.environ.get("YOTSU_CALIBRATION", "").lower() == "none":
        return None
    folder = resources.files("yotsu.model") / "data" / "calibration"
    versions = sorted(
        (int(m.group(1)), entry) for entry in folder.iterdir() if (m := re.fullmatch(r"v(\d+)\.yaml", entry.name))
    )
    if not versions:
        return None
    number, entry = versions[-1]
    raw = load_yaml(entry)
    return f"v{number}", {str(k): float(v) for k, v in (raw.get("parameters") or {}).items()}


@cache
def parameter_table() -> dict[str, ParamSpec]:
    """All parameters, in the order the daily step reads them. The defaults of the parameters the
    newest shipped calibration fitted are its values (range-checked here); ``spec.calibration``
    names the version."""
    rows = load_yaml(resources.files("yotsu.model") / "data" / "parameters.yaml")["parameters"]
    table = {name: ParamSpec(name=name, **row) for name, row in rows.items()}
    for spec in table.values():
        check_keys(spec.evidence, f"parameter {spec.name}")
    if tuple(table) != Params._fields:
        raise ParameterError("data/parameters.yaml and _step.Params list different parameters or orders")
    shipped = _shipped_calibration()
    if shipped is not None:
        version, fitted = shipped
        for name, value in fitted.items():
            if name not in table:
                raise ParameterError(f"calibration {version} fits {name!r}, which is not a model parameter")
            try:
                table[name] = ParamSpec(**{**table[name].model_dump(), "default": value, "calibration": version})
            except ValueError as exc:
                raise ParameterError(f"calibration {version}: {exc}") from None
    return table


class PersonParams(Mapping[str, NDArray[np.float64]]):
    """Validated parameters of ``n`` persons: each name maps to an array of shape ``(n,)``.

    Built from defaults, a profile, and overrides (scalars broadcast, arrays per person). Every
    value is checked against the table; an error names the parameter, the value and the range.

    >>> p = PersonParams.from_values({"gain_init": 2.0}, n=3)
    >>> p.n, float(p["gain_init"][1])
    (3, 2.0)
    >>> PersonParams.from_values({"tissue_drive": 9.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yotsu.model.parameters.ParameterRangeError: tissue_drive = 9 is outside its plausible range [0, 8] ...
    """

    def __init__(self, matrix: NDArray[np.float64]) -> None:
        names = tuple(parameter_table())
        if matrix.ndim != 2 or matrix.shape[1] != len(names):
            raise ParameterError(f"expected a matrix of shape (n, {len(names)}), got {matrix.shape}")
        self._matrix = np.ascontiguousarray(matrix, dtype=np.float64)
        self._matrix.setflags(write=False)
        _validate(self._matrix)

    @classmethod
    def from_values(cls, values: Mapping[str, ArrayLike] | None = None, n: int | None = None) -> PersonParams:
        """Defaults overridden by ``values`` (scalars or arrays of shape ``(n,)``)."""
        table = parameter_table()
        values = dict(values or {})
        unknown = sorted(set(values) - set(table))
        if unknown:
            raise UnknownParameterError(
                f"unknown parameter(s) {', '.join(unknown)}; `yotsu parameters` lists the {len(table)} known ones"
            )
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
        sizes = {a.shape[0] for a in arrays.values() if a.ndim == 1}
        for k, a in arrays.items():
            if a.ndim > 1:
                raise ParameterError(f"{k}: expected a number or a 1-D array, got shape {a.shape}")
        if len(sizes) > 1:
            raise ParameterError(f"per-person arrays have different lengths: {sorted(sizes)}")
        size = sizes.pop() if sizes else None
        if n is None:
            n = size or 1
        elif size is not None and size != n:
            raise ParameterError(f"n = {n} but per-person arrays have length {size}")
        if n < 1:
            raise ParameterError(f"n must be at least 1, got {n}")
        matrix = np.empty((n, len(table)))
        for j, (name, spec) in enumerate(table.items()):
            matrix[:, j] = arrays.get(name, spec.default)
        return cls(matrix)

    @property
    def n(self) -> int:
        return int(self._matrix.shape[0])

    @property
    def matrix(self) -> NDArray[np.float64]:
        """Read-only ``(n, n_parameters)`` matrix in table order (what the kernel reads)."""
        return self._matrix

    def take(self, index: ArrayLike) -> PersonParams:
        """The persons at ``index`` (an int, slice or index array)."""
        rows = np.atleast_1d(np.arange(self.n)[index])  # type: ignore[index]
        sub = self._matrix[rows]
        return PersonParams(sub)

    def replace(self, **values: ArrayLike) -> PersonParams:
        """A copy with some parameters changed (validated)."""
        table = parameter_table()
        m = self._matrix.copy()
        for name, v in values.items():
            if name not in table:
                raise UnknownParameterError(f"unknown parameter {name!r}")
            m[:, list(table).index(name)] = np.broadcast_to(np.asarray(v, dtype=np.float64), (self.n,))
        return PersonParams(m)

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        table = parameter_table()
        if name not in table:
            raise UnknownParameterError(f"unknown parameter {name!r}")
        return self._matrix[:, list(table).index(name)]

    def __iter__(self) -> Iterator[str]:
        return iter(parameter_table())

    def __len__(self) -> int:
        return len(parameter_table())

    def person(self, i: int = 0) -> dict[str, float]:
        """Person ``i``'s parameters as plain floats."""
        return {k: float(v) for k, v in zip(parameter_table(), self._matrix[i], strict=True)}


def _validate(matrix: NDArray[np.float64]) -> None:
    for j, spec in enumerate(parameter_table().values()):
        col = matrix[:, j]
        lo, hi = spec.range
        bad = np.flatnonzero(~((col >= lo) & (col <= hi)))
        if bad.size:
            i = int(bad[0])
            who = f" (person {i})" if matrix.shape[0] > 1 else ""
            raise ParameterRangeError(
                f"{spec.name} = {col[i]:g}{who} is outside its plausible range [{lo:g}, {hi:g}] ({spec.unit})"
            )
