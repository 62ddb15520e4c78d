"""``yotsu serve``: the clinic web app on its embedded default (SQLite, demo data)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yotsu.cli._common import fail

web_app = typer.Typer(add_completion=False)


@web_app.command("serve")
def serve_cmd(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    addr: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    data_dir: Annotated[
        Path | None, typer.Option(help="Folder of the SQLite database (default ~/.local/share/yotsu/demo).")
    ] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Set up and print the logins, then stop.")] = False,
    production: Annotated[
        bool,
        typer.Option(
            "--production",
            help="Serve the clinic's real data: gunicorn and the queue worker, settings from the environment "
            "(YOTSU_SECRET_KEY, DATABASE_URL, YOTSU_BIND, ...; see the README). No demo data.",
        ),
    ] = False,
) -> None:
    """Set up the clinic web app with demo data and serve it, printing the address and demo logins."""
    try:
        from yotsu_web.demo import main as demo_main
    except ImportError as exc:
        raise fail(f"the web app is not installed ({exc}); install it with: pip install -e '.[web]'") from None
    if production:
        from yotsu_web.production import main as production_main

        raise typer.Exit(production_main())
    argv = ["--port", str(port), "--addr", addr]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if no_serve:
        argv.append("--no-serve")
    raise typer.Exit(demo_main(argv))
