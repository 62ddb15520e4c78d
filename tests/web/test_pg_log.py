"""On PostgreSQL every connection of the app asks the server to log no statement, parameter or key value
(yotsu_web.pglog). Checked with SHOW on the app's own connection and on a non-superuser's connection.

Runs on PostgreSQL (``YOTSU_TEST_DB=postgres``); on SQLite it checks that nothing is attempted."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from django.db import connection, connections

from yotsu_web.pglog import QUIET_LOG, quiet_server_log

from .conftest import requested_database

pytestmark = pytest.mark.django_db


def _show(cursor, name: str) -> str:  # type: ignore[no-untyped-def]
    cursor.execute(f"SHOW {name}")
    return str(cursor.fetchone()[0])


EXPECTED = {
    "log_min_error_statement": "panic",
    "log_error_verbosity": "terse",
    "log_statement": "none",
    "log_min_duration_statement": "-1",
    "log_parameter_max_length": "0",
    "log_parameter_max_length_on_error": "0",
}


def test_expected_names_every_setting() -> None:
    assert dict(QUIET_LOG) == EXPECTED


def test_the_apps_connection_logs_no_statement_or_values() -> None:
    if requested_database() != "postgres":
        assert connection.vendor == "sqlite"
        return
    fresh = connections.create_connection("default")  # a new connection, as a web process opens it
    try:
        with fresh.cursor() as cursor:
            shown = {name: _show(cursor, name) for name in EXPECTED}
    finally:
        fresh.close()
    assert shown == EXPECTED


def test_a_plain_role_sets_what_it_may() -> None:
    """A role that is not a superuser can set only the user-level setting; the rest are reported."""
    if requested_database() != "postgres":
        assert connection.vendor == "sqlite"
        return
    role = f"yotsu_plain_{secrets.token_hex(4)}"
    password = secrets.token_hex(16)
    settings = connection.settings_dict
    where = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "dbname": settings["NAME"]}
    admin = psycopg.connect(**where, user=settings["USER"], password=settings["PASSWORD"] or None, autocommit=True)
    admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")  # generated here: letters and digits
    try:
        with psycopg.connect(**where, user=role, password=password, autocommit=True) as plain:
            cur = plain.cursor()
            before = _show(cur, "log_min_error_statement")
            missing = quiet_server_log(cur, plain.info.server_version)
            assert _show(cur, "log_parameter_max_length_on_error") == "0"
            assert "log_parameter_max_length_on_error" not in missing
            assert "log_min_error_statement" in missing  # superuser-only: the operator sets it on the server
            assert _show(cur, "log_min_error_statement") == before
    finally:
        admin.execute(f"DROP ROLE {role}")
        admin.close()
