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


def _django_setup() -> None:
    try:
        from yotsu_web.backup import BackupError, setup_django
    except ImportError as exc:
        raise fail(f"the web app is not installed ({exc}); install it with: pip install -e '.[web]'") from None
    try:
        setup_django()
    except BackupError as error:
        raise fail(str(error)) from None


@web_app.command("backup")
def backup_cmd(
    path: Annotated[Path, typer.Argument(help="New folder to write the backup to.")],
) -> None:
    """Back up the clinic's database (DATABASE_URL or the SQLite file in YOTSU_DATA_DIR) and the queue's
    pending tasks to a new folder. YOTSU_SECRET_KEY is not in it: keep that apart (see the README)."""
    _django_setup()
    from yotsu_web.backup import BackupError, backup

    try:
        summary = backup(path)
    except BackupError as error:
        raise fail(str(error)) from None
    typer.echo(
        f"Backed up {summary.engine}: {summary.tables} tables, {summary.rows} rows, "
        f"{summary.queued_tasks} queued tasks -> {summary.path}"
    )


@web_app.command("restore")
def restore_cmd(
    path: Annotated[Path, typer.Argument(help="Folder written by `yotsu backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that already holds data.")] = False,
) -> None:
    """Restore a backup into the clinic's database (empty, unless --force) and put its queued tasks back.
    Stop `yotsu serve` first."""
    _django_setup()
    from yotsu_web.backup import BackupError, restore

    try:
        summary = restore(path, force=force)
    except BackupError as error:
        raise fail(str(error)) from None
    typer.echo(
        f"Restored {summary.engine}: {summary.tables} tables, {summary.rows} rows, "
        f"{summary.queued_tasks} queued tasks from {summary.path}"
    )
