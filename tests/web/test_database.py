"""The suite runs on the database it was asked for, so a green PostgreSQL run means PostgreSQL."""

from django.db import connection

from .conftest import requested_database

EXPECTED_VENDOR = {"sqlite": "sqlite", "postgres": "postgresql"}


def test_suite_runs_on_the_requested_database(db: None) -> None:
    assert connection.vendor == EXPECTED_VENDOR[requested_database()]


def test_migrations_are_complete(db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
