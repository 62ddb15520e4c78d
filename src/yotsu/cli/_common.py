"""Options and helpers shared by the CLI's commands."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from yotsu.i18n import LANGS, check_lang

console = Console()
err_console = Console(stderr=True)

LangOption = Annotated[str, typer.Option("--lang", help=f"Language of what is shown: {', '.join(LANGS)}.")]


def lang_of(value: str) -> str:
    try:
        return check_lang(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from None


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a clear error and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)
