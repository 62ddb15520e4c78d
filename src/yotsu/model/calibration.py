"""Calibration against published trials (placeholder: filled below)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml


def _calibration_dir() -> Path:
    return Path(str(resources.files("yotsu.model") / "data" / "calibration"))


@cache
def calibrated_defaults() -> dict[str, float]:
    """Fitted population-level parameter values of the newest shipped calibration (or none)."""
    files = sorted(_calibration_dir().glob("v*.yaml"))
    if not files:
        return {}
    raw = yaml.safe_load(files[-1].read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in raw["parameters"].items()}
