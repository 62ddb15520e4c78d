"""The ``yotsu`` Typer application: registers the commands of each face module."""

from __future__ import annotations

import typer

from yotsu.cli._model import model_app
from yotsu.cli._pathway import pathway_app
from yotsu.cli._personal import personal_app
from yotsu.cli._research import research_app
from yotsu.cli._web import web_app

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Yotsu: chronic low back pain as the brain's danger judgment (model, care pathway, clinic app).",
)
app.registered_commands.extend(model_app.registered_commands)
app.registered_commands.extend(research_app.registered_commands)
app.registered_commands.extend(pathway_app.registered_commands)
app.registered_commands.extend(personal_app.registered_commands)
app.registered_commands.extend(web_app.registered_commands)


def main() -> None:
    app()
