"""``yotsu backup`` / ``yotsu restore``: the clinic's database and the queue's pending tasks, in one folder.

A backup is a folder holding:

``manifest.json``      what was backed up, when, from which engine, and the row count of every table
``database.sqlite3``   SQLite: a consistent copy made with SQLite's online backup API (the web app and
                       the worker may keep writing while it runs)
``database.pgdump``    PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot), read back by
                       ``pg_restore``
``queue.json``         the task queue's pending and scheduled tasks (SQLite queue or Redis), as Huey
                       stored them

Not in the backup, and needed to use it (keep them in the clinic's password manager, not beside it):

- ``YOTSU_SECRET_KEY``: signs sessions and password-reset links. A restore with another key works, but
  every login and every reset link in flight is then void.
- The e-mail password (``YOTSU_SMTP_PASSWORD``) and the rest of the environment.

In the backup, and so as secret as the database itself: the LINE channel secret and access token (stored
in the database), every patient's health data and the password hashes. Store backups encrypted.

Restore refuses to write over a database that holds data unless ``force`` is given; a database that
``migrate`` has only set up (migrations, content types, permissions) counts as empty.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
QUEUE_FILE = "queue.json"

# Tables ``migrate`` fills by itself: a database holding rows only here is still empty.
_SET_UP_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    engine: str
    tables: int
    rows: int
    queued_tasks: int


def setup_django() -> None:
    """Load the settings from the environment (for the command line); a bad setting is a BackupError."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise BackupError(str(error)) from None


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"the database engine {vendor!r} is not supported; Yotsu backs up SQLite and PostgreSQL.")
    return vendor


def row_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's and Yotsu's)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def holds_data() -> bool:
    """True when any table besides those ``migrate`` fills by itself has a row."""
    return any(n for table, n in row_counts().items() if table not in _SET_UP_BY_MIGRATE)


# PostgreSQL ------------------------------------------------------------------------------------------


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """libpq connection options for the current database (the password by environment, never argv)."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run_pg(tool: str, args: list[str]) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(
            f"{tool} was not found on PATH; install the PostgreSQL client tools of the server's version "
            f"(Debian/Ubuntu: apt install postgresql-client)."
        )
    conn_args, env = _pg_env()
    result = subprocess.run([exe, *conn_args, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()[-800:]}")


# The queue -------------------------------------------------------------------------------------------


def _queue_storage() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY.storage


def _dump_queue() -> dict[str, list[str]]:
    storage = _queue_storage()

    def encode(items: list[bytes]) -> list[str]:
        return [base64.b64encode(item).decode("ascii") for item in items]

    return {"pending": encode(list(storage.enqueued_items())), "scheduled": encode(list(storage.scheduled_items()))}


def _load_queue(dump: dict[str, list[str]]) -> int:
    """Put the saved tasks back on the queue; scheduled ones (retries) run at once, which the tasks allow:
    every delivery is claimed under a lease with its idempotency key, so running one early or twice never
    sends it twice."""
    storage = _queue_storage()
    items = [*dump.get("pending", []), *dump.get("scheduled", [])]
    for item in items:
        storage.enqueue(base64.b64decode(item))
    return len(items)


# Backup and restore ----------------------------------------------------------------------------------


def backup(path: Path) -> Summary:
    """Write a backup of the database and the queue's pending tasks to the new folder ``path``."""
    engine = _engine()
    counts = row_counts()
    if not counts:
        raise BackupError(
            f"the {engine} database {connection.settings_dict['NAME']} has no tables; check DATABASE_URL "
            "(or YOTSU_DATA_DIR) names the clinic's database."
        )
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} already exists and is not an empty folder; give a new folder for the backup.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"cannot create the backup folder {path}: {error.strerror}") from None
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path / SQLITE_FILE)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(path / PG_FILE)])
    queue = _dump_queue()
    (path / QUEUE_FILE).write_text(json.dumps(queue), encoding="utf-8")
    manifest = {
        "format": FORMAT_VERSION,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "database": SQLITE_FILE if engine == "sqlite" else PG_FILE,
        "row_counts": counts,
        "queued_tasks": len(queue["pending"]) + len(queue["scheduled"]),
        "not_included": ["YOTSU_SECRET_KEY", "YOTSU_SMTP_PASSWORD", "the rest of the environment"],
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return Summary(path, engine, len(counts), sum(counts.values()), manifest["queued_tasks"])


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a Yotsu backup (no {MANIFEST} in it); give the folder `yotsu backup` wrote.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{manifest_path} is damaged ({error}); use another backup.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{manifest_path} is not a backup format this Yotsu reads (format {FORMAT_VERSION}).")
    return manifest


def restore(path: Path, *, force: bool = False) -> Summary:
    """Replace the database with the backup in ``path`` and put its queued tasks back on the queue."""
    engine = _engine()
    manifest = read_manifest(path)
    if manifest.get("engine") != engine:
        raise BackupError(
            f"the backup in {path} is of a {manifest.get('engine')} database, but DATABASE_URL names "
            f"{engine}; restore it into the same kind of database."
        )
    data_file = path / (SQLITE_FILE if engine == "sqlite" else PG_FILE)
    if not data_file.is_file():
        raise BackupError(f"{data_file} is missing; the backup is incomplete.")
    if holds_data() and not force:
        raise BackupError(
            "the database already holds data; restoring would replace it. Point DATABASE_URL (or "
            "YOTSU_DATA_DIR) at an empty database, or give --force to replace it."
        )
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)
        try:
            check = source.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{data_file} is damaged (SQLite integrity check: {check}); use another backup.")
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{data_file} is not a readable SQLite database ({error}).") from None
        finally:
            source.close()
    else:
        connection.close()
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             str(data_file)],
        )  # fmt: skip
    connection.close()
    queue_file = path / QUEUE_FILE
    queued = _load_queue(json.loads(queue_file.read_text(encoding="utf-8"))) if queue_file.is_file() else 0
    counts = row_counts()
    return Summary(path, engine, len(counts), sum(counts.values()), queued)
