"""Restore drill: back up, destroy the database and the queue, restore; every table's row count, the queue's
pending tasks and one patient's full export are as before. Runs on SQLite or PostgreSQL (YOTSU_TEST_DB)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from huey.api import Huey
from huey.storage import RedisStorage, SqliteStorage

from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.backup import BackupError, backup, holds_data, restore, row_counts
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport
from yotsu_web.exports.tables import everything_zip
from yotsu_web.messaging.tasks import send_delivery
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas

REDIS_URL = "redis://127.0.0.1:6379/0"  # as in test_reminders_worker: scripts/test starts it


@pytest.fixture
def queue() -> Iterator[Huey]:
    HUEY.storage.flush_all()
    yield HUEY
    HUEY.storage.flush_all()


@pytest.fixture(params=["sqlite", "redis"])
def any_queue(request: pytest.FixtureRequest) -> Iterator[Huey]:
    """The application's queue on its SQLite file, or on a Redis queue of its own for this test."""
    original = HUEY.storage
    if request.param == "redis":
        HUEY.storage = RedisStorage(f"yotsu-test-{uuid.uuid4().hex}", url=REDIS_URL)
    assert isinstance(HUEY.storage, RedisStorage if request.param == "redis" else SqliteStorage)
    HUEY.storage.flush_all()
    try:
        yield HUEY
    finally:
        HUEY.storage.flush_all()
        HUEY.storage = original


def _records(record: Membership) -> None:
    today = timezone.localdate()
    for days_ago in range(1, 15):
        DiaryDay.objects.create(
            patient=record, date=today - dt.timedelta(days=days_ago), pain_nrs=days_ago % 10, sleep_quality=5,
            stress=3, activity_minutes=20 + days_ago,
        )  # fmt: skip
    DiarySession.objects.create(patient=record, date=today, kind="massage", pressure=6, relief=5, relief_days=2)
    SymptomReport.objects.create(patient=record, date=today, flag="fever")
    QuestionnaireResponse.objects.create(
        patient=record, instrument="phq4", answers={"q1": 1, "q2": 2, "q3": 0, "q4": 1},
        completed_at=timezone.now(), total=4.0,
    )  # fmt: skip


def _export(record: Membership) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(everything_zip(Membership.objects.get(pk=record.pk)))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _destroy() -> None:
    """Drop every table, as a lost disk or a wrong DROP would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert row_counts() == {}


@pytest.mark.django_db(transaction=True)
def test_restore_drill_gives_back_every_row_the_queue_and_a_patients_export(
    personas: Personas, any_queue: Huey, tmp_path: Path
) -> None:
    queue = any_queue
    record = personas.patient_record
    _records(record)
    queue.storage.flush_all()  # the explanation the records asked for; the drill follows one known task
    send_delivery("0b7e0f5e-0000-4000-8000-000000000001")  # a task waiting on the queue
    before_counts, before_export = row_counts(), _export(record)
    assert before_counts["diary_diaryday"] == 14 and queue.pending_count() == 1

    summary = backup(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["row_counts"] == before_counts and summary.queued_tasks == 1

    _destroy()
    queue.storage.flush_all()
    assert queue.pending_count() == 0

    restored = restore(tmp_path / "backup")
    assert row_counts() == before_counts
    assert _export(record) == before_export
    assert restored.queued_tasks == 1 and queue.pending_count() == 1
    assert [t.args for t in queue.pending()] == [("0b7e0f5e-0000-4000-8000-000000000001",)]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_holding_data_unless_forced(personas: Personas, queue: Huey, tmp_path: Path) -> None:
    record = personas.patient_record
    _records(record)
    backup(tmp_path / "backup")
    before = row_counts()
    DiaryDay.objects.filter(patient=record).delete()  # the mistake the restore will undo
    assert holds_data()
    with pytest.raises(BackupError, match=r"already holds data.*--force"):
        restore(tmp_path / "backup")
    assert DiaryDay.objects.count() == 0  # nothing was touched
    restore(tmp_path / "backup", force=True)
    assert row_counts() == before


def test_backup_and_restore_name_what_is_wrong(db: None, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(BackupError, match="not an empty folder"):
        backup(tmp_path / "used")
    with pytest.raises(BackupError, match="not a Yotsu backup"):
        restore(tmp_path / "used")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("{not json")
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "bad")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (tmp_path / "bad" / "manifest.json").write_text(json.dumps({"format": 1, "engine": other}))
    with pytest.raises(BackupError, match=rf"backup in .* is of a {other} database"):
        restore(tmp_path / "bad")


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_restore_and_refuse_with_exit_2(personas: Personas, queue: Huey, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yotsu.cli._app import app

    runner = CliRunner()
    done = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert done.exit_code == 0 and "Backed up" in done.output, done.output
    refused = runner.invoke(app, ["restore", str(tmp_path / "b")])
    assert refused.exit_code == 2 and "already holds data" in refused.output
    forced = runner.invoke(app, ["restore", str(tmp_path / "b"), "--force"])
    assert forced.exit_code == 0 and "Restored" in forced.output, forced.output
    missing = runner.invoke(app, ["restore", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not a Yotsu backup" in missing.output
