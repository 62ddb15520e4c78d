"""The ``yotsu`` command line: a thin face over the Python API."""

from yotsu.cli._app import app, main

__all__ = ["app", "main"]
