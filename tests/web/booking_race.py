"""Race N processes for overlapping slots of one practitioner; prints one JSON line of outcomes.

Run by test_booking_concurrency with DATABASE_URL set (a SQLite file, or the PostgreSQL test database).
Each contender is a separate OS process with its own database connection; all start booking together
after a barrier, so the database — not Python — must decide.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sys


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
    import django

    django.setup()


def prepare() -> tuple[int, int, list[str]]:
    from django.core.management import call_command
    from django.utils import timezone

    from yotsu_web.accounts.models import User
    from yotsu_web.booking.models import Availability, VisitType
    from yotsu_web.clinics.models import Clinic, Membership, Role

    call_command("migrate", interactive=False, verbosity=0)
    clinic = Clinic.objects.create(name="Race clinic", slug="race")
    user = User.objects.create_user(username="race-practitioner")
    practitioner = Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTITIONER)
    visit = VisitType.objects.create(clinic=clinic, name="初回", minutes=60, price_yen=6000)
    day = timezone.localdate() + dt.timedelta(days=2)
    Availability.objects.create(practitioner=practitioner, weekday=day.weekday(), start=dt.time(9), end=dt.time(18))
    tz = timezone.get_current_timezone()
    starts = [dt.datetime.combine(day, dt.time(10, m), tz).isoformat() for m in (0, 0, 0, 30, 30, 0)]
    return visit.pk, practitioner.pk, starts


def contender(visit_pk: int, practitioner_pk: int, start: str, n: int, barrier: object, results: object) -> None:
    from django.db import connections

    connections.close_all()  # a fresh connection of this process's own
    from yotsu_web.booking.models import VisitType
    from yotsu_web.booking.services import SlotTaken, book
    from yotsu_web.clinics.models import Membership

    visit = VisitType.objects.select_related("clinic").get(pk=visit_pk)
    practitioner = Membership.objects.get(pk=practitioner_pk)
    barrier.wait()  # type: ignore[attr-defined]
    try:
        book(
            visit, practitioner, dt.datetime.fromisoformat(start), guest_name=f"guest {n}", guest_phone="090-0000-0000"
        )
        results.put("booked")  # type: ignore[attr-defined]
    except SlotTaken:
        results.put("taken")  # type: ignore[attr-defined]
    except Exception as error:  # reported, so the test shows what went wrong
        results.put(f"error: {type(error).__name__}: {error}")  # type: ignore[attr-defined]


def main() -> int:
    setup()
    visit_pk, practitioner_pk, starts = prepare()
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(starts)), context.Queue()
    procs = [
        context.Process(target=contender, args=(visit_pk, practitioner_pk, s, i, barrier, results))
        for i, s in enumerate(starts)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    from yotsu_web.booking.models import BookedCell, Booking

    print(json.dumps({"outcomes": outcomes, "bookings": Booking.objects.count(), "cells": BookedCell.objects.count()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
