#!/usr/bin/env python3
"""Latency of the desk's adherence page (``programme:overview``) with 200 patients x 12 weeks of logs.

Run: python benchmarks/bench_adherence.py [--patients 200] [--weeks 12] [--requests 50]
                                          [--database postgres://postgres@127.0.0.1:5432/yotsu_bench]

Creates a scratch test database beside the given PostgreSQL database (``test_<name>``, dropped at the
end), migrates it, fills one clinic with PATIENTS patients, each with a programme of four exercises
and WEEKS weeks of logged sessions (about 80% adherence, morning pains, a few open proposals and
alerts), then requests the page as a logged-in practitioner through Django's test client: a few
warm-up requests, then REQUESTS timed ones. Prints p50/p95/max in milliseconds and the number of SQL
queries per request; the last line is JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/yotsu_bench"
EXERCISES = ("pelvic_tilt_awareness", "hip_hinge", "single_leg_stance", "diaphragmatic_breathing")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--database", default=os.environ.get("YOTSU_BENCH_POSTGRES_URL", DEFAULT_DB))
    return parser


def _seed(n_patients: int, weeks: int) -> tuple[object, object]:
    import numpy as np
    from django.utils import timezone

    from yotsu.pathway.exercises import exercise_library
    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership, Role
    from yotsu_web.programme.models import (
        Alert,
        AlertKind,
        MorningPain,
        Programme,
        ProgrammeExercise,
        Proposal,
        SessionLog,
        Status,
    )

    rng = np.random.default_rng(7)
    library = exercise_library()
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    clinic = Clinic.objects.create(name="ベンチ整体院", slug="bench")
    staff = User.objects.create_user(username="bench-practitioner")
    Membership.objects.create(user=staff, clinic=clinic, role=Role.PRACTITIONER)
    users = User.objects.bulk_create([User(username=f"bench-patient-{i:03d}") for i in range(n_patients)])
    members = Membership.objects.bulk_create([Membership(user=u, clinic=clinic, role=Role.PATIENT) for u in users])
    programmes = Programme.objects.bulk_create(
        [Programme(patient=m, baseline_pain_nrs=3, start_date=start, updated_by=staff) for m in members]
    )
    entries = []
    for programme in programmes:
        for position, exercise_id in enumerate(EXERCISES):
            entry = ProgrammeExercise(programme=programme, patient=programme.patient, exercise_id=exercise_id,
                                      level=1, level_since=start, position=position)  # fmt: skip
            entry.set_dose(library.get(exercise_id).levels[0].dose)
            entries.append(entry)
    entries = ProgrammeExercise.objects.bulk_create(entries)
    logs, mornings = [], []
    for entry in entries:
        for d in range(7 * weeks):
            day = start + dt.timedelta(days=d)
            if day > today or rng.random() > 0.8 * entry.days_per_week / 7:
                continue
            status = Status.PARTLY if rng.random() < 0.1 else Status.DONE
            logs.append(SessionLog(entry=entry, patient_id=entry.patient_id, date=day, status=status,
                                   pain_during=int(rng.integers(0, 6)), level=1))  # fmt: skip
    for member in members:
        for d in range(1, 7 * weeks):
            mornings.append(
                MorningPain(patient=member, date=start + dt.timedelta(days=d), pain_nrs=int(rng.integers(1, 6)))
            )
    SessionLog.objects.bulk_create(logs, batch_size=5000)
    MorningPain.objects.bulk_create(mornings, batch_size=5000)
    Proposal.objects.bulk_create([
        Proposal(entry=entries[4 * i], patient_id=entries[4 * i].patient_id, day=today, step="progress", from_level=1,
                 to_level=2, to_dose={}, reason_en="", reason_ja="")
        for i in range(0, n_patients, 5)
    ])  # fmt: skip
    Alert.objects.bulk_create([
        Alert(patient=m, clinic=clinic, kind=AlertKind.FLARE if i % 2 else AlertKind.NO_LOG, day=today)
        for i, m in enumerate(members[:10])
    ])  # fmt: skip
    print(f"seeded {n_patients} patients, {len(logs)} session logs, {len(mornings)} morning pains over {weeks} weeks")
    return clinic, staff


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("YOTSU_DATA_DIR", tempfile.mkdtemp(prefix="yotsu-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yotsu_web.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    if connection.vendor != "postgresql":
        print(f"this benchmark is for PostgreSQL; DATABASE_URL gives {connection.vendor}", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        clinic, staff = _seed(args.patients, args.weeks)
        client = Client()
        client.force_login(staff)
        url = reverse("programme:overview", args=[clinic.slug])  # type: ignore[attr-defined]
        for _ in range(args.warmup):
            assert client.get(url).status_code == 200
        queries: list[str] = []

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.content.decode().count('class="bars"') == args.patients
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        result = {
            "page": "programme:overview",
            "database": "postgresql",
            "patients": args.patients,
            "weeks": args.weeks,
            "requests": args.requests,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(times[-1], 1),
            "queries_per_request": len(queries),
        }
        print(f"adherence page: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms, "
              f"{result['queries_per_request']} queries per request")  # fmt: skip
        print(json.dumps(result))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
