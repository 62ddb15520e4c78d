"""No double booking, decided by the database: six processes race for overlapping times of one
practitioner on this run's database (a SQLite file, or the PostgreSQL test database); one wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yotsu_web.booking.models import BookedCell, Booking, VisitType

from .conftest import Personas

RACE = Path(__file__).with_name("booking_race.py")


def database_url(tmp: Path) -> str:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{tmp / 'race.sqlite3'}"


@pytest.mark.django_db(transaction=True)
def test_racing_processes_get_one_booking_for_overlapping_times(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(tmp_path), "YOTSU_DATA_DIR": tempfile.mkdtemp()}
    done = subprocess.run([sys.executable, str(RACE)], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(result["outcomes"]) == ["booked"] + ["taken"] * 5, result
    assert result["bookings"] == 1 and result["cells"] == 12  # one 60-minute visit = twelve 5-minute cells


def test_the_database_itself_refuses_a_second_booking_of_a_cell(personas: Personas) -> None:
    """Even code that skips the service cannot put two bookings in one cell."""
    practitioner = personas.practitioner.memberships.get()
    visit = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60)
    at = timezone.now().replace(microsecond=0)
    first, second = (
        Booking.objects.create(
            clinic=personas.clinic,
            practitioner=practitioner,
            visit_type=visit,
            guest_name=name,
            starts_at=at,
            ends_at=at,
        )
        for name in ("a", "b")
    )
    BookedCell.objects.create(practitioner=practitioner, cell=at, booking=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedCell.objects.create(practitioner=practitioner, cell=at, booking=second)
