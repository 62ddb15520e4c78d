#!/usr/bin/env python3
"""Latency of the pages with charts - the patient's diary, the desk's patient page (timeline) and the
body-map training page - with a year of one patient's records.

Run: python benchmarks/bench_charts.py [--days 365] [--requests 40]
                                       [--database postgres://postgres@127.0.0.1:5432/yotsu_bench]

Creates a scratch test database beside the given database (``test_<name>``, dropped at the end),
migrates it and fills one clinic with a patient who kept a diary every day for DAYS days (pain, sleep,
stress, a massage every fifth day), did four home exercises with next-morning pain, a left/right
training session every other day, questionnaires monthly and notes weekly. Each page is requested as
its user through Django's test client, together with every same-site image the page references (a
chart drawn on the server counts in the page's time; a chart drawn in the browser from the page's data
costs the server nothing more). The baseline is the same page for a patient with no records, measured
in the same run. Prints p50/p95 in milliseconds, the ratio to the baseline and the SQL queries per
page; the last line is JSON. Target: p95 under 100 ms on each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import tempfile
import time
from typing import Any

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/yotsu_bench"
EXERCISES = ("pelvic_tilt_awareness", "hip_hinge", "single_leg_stance", "diaphragmatic_breathing")
IMAGE = re.compile(r'<img[^>]+src="(/[^"]+)"')


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database", default=os.environ.get("YOTSU_BENCH_POSTGRES_URL", DEFAULT_DB))
    return parser


def _seed(days: int) -> dict[str, Any]:
    import numpy as np
    from django.utils import timezone

    from yotsu.pathway.exercises import exercise_library
    from yotsu_web.accounts.models import User
    from yotsu_web.assessments.models import QuestionnaireResponse
    from yotsu_web.bodymap.models import LeftRightSession
    from yotsu_web.clinics.models import Clinic, Membership, Role
    from yotsu_web.desk.models import Note
    from yotsu_web.diary.models import DiaryDay, DiarySession
    from yotsu_web.programme.models import MorningPain, Programme, ProgrammeExercise, SessionLog, Status

    rng = np.random.default_rng(11)
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    clinic = Clinic.objects.create(name="ベンチ整体院", slug="bench", notification_email="bench@example.com")
    staff = User.objects.create_user(username="bench-practitioner")
    Membership.objects.create(user=staff, clinic=clinic, role=Role.PRACTITIONER)
    users = {name: User.objects.create_user(username=name) for name in ("bench-patient", "bench-empty")}
    members = {name: Membership.objects.create(user=u, clinic=clinic, role=Role.PATIENT) for name, u in users.items()}
    patient = members["bench-patient"]
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    DiaryDay.objects.bulk_create([
        DiaryDay(patient=patient, date=day, pain_nrs=int(rng.integers(2, 8)), sleep_quality=int(rng.integers(3, 9)),
                 stress=int(rng.integers(2, 8)), activity_minutes=int(rng.integers(0, 60)))
        for day in dates
    ])  # fmt: skip
    DiarySession.objects.bulk_create([
        DiarySession(patient=patient, date=day, kind="massage", pressure=float(rng.integers(2, 6)),
                     relief=float(rng.integers(2, 7)), relief_days=float(rng.integers(1, 4)))
        for day in dates[::5]
    ])  # fmt: skip
    programme = Programme.objects.create(patient=patient, baseline_pain_nrs=4, start_date=start, updated_by=staff)
    library = exercise_library()
    for position, exercise_id in enumerate(EXERCISES):
        entry = ProgrammeExercise(programme=programme, patient=patient, exercise_id=exercise_id, level=1,
                                  level_since=start, position=position)  # fmt: skip
        entry.set_dose(library.get(exercise_id).levels[0].dose)
        entry.save()
        SessionLog.objects.bulk_create([
            SessionLog(entry=entry, patient=patient, date=day, status=Status.DONE, pain_during=int(rng.integers(1, 6)),
                       level=1)
            for day in dates if rng.random() < 0.7
        ])  # fmt: skip
    MorningPain.objects.bulk_create(
        [MorningPain(patient=patient, date=d, pain_nrs=int(rng.integers(2, 7))) for d in dates]
    )
    LeftRightSession.objects.bulk_create([
        LeftRightSession(patient=patient, n_trials=20, accuracy=float(rng.uniform(0.6, 1.0)),
                         median_rt_ms=float(rng.uniform(900, 2200)), trials=[])
        for _ in dates[::2]
    ])  # fmt: skip
    for day in dates[::30]:
        QuestionnaireResponse.objects.create(
            patient=patient,
            instrument="nrs_pain",
            answers={"pain": 5},
            total=5,
            completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        )
    for day in dates[::7]:
        Note.objects.create(patient=patient, author=staff, text=f"{day}: 経過良好")
    print(f"seeded {days} days for one patient")
    return {"clinic": clinic, "staff": staff, "users": users, "members": members}


def _timed(client: Any, url: str) -> tuple[float, str]:
    """One page and every same-site image it references; milliseconds and the page's text."""
    t0 = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    for src in IMAGE.findall(text):
        image = client.get(src.replace("&amp;", "&"))
        assert image.status_code == 200, (src, image.status_code)
        b"".join(image) if getattr(image, "streaming", False) else image.content
    return (time.perf_counter() - t0) * 1000, text


def _measure(client: Any, url: str, warmup: int, requests: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(warmup):
        _timed(client, url)
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _, text = _timed(client, url)
    times = sorted(_timed(client, url)[0] for _ in range(requests))
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
        "queries": len(queries),
        "bytes": len(text.encode()),
    }


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

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        seeded = _seed(args.days)
        slug = seeded["clinic"].slug
        results: dict[str, Any] = {}
        for name in ("bench-patient", "bench-empty"):
            patient = Client(HTTP_ACCEPT_LANGUAGE="ja")
            patient.force_login(seeded["users"][name])
            desk = Client(HTTP_ACCEPT_LANGUAGE="ja")
            desk.force_login(seeded["staff"])
            pages = {
                "diary": (patient, reverse("diary:diary", args=[slug])),
                "timeline": (desk, reverse("desk:patient", args=[slug, seeded["members"][name].pk])),
                "bodymap": (patient, reverse("bodymap:training", args=[slug])),
            }
            for page, (client, url) in pages.items():
                key = page if name == "bench-patient" else f"{page}_baseline"
                results[key] = _measure(client, url, args.warmup, args.requests)
        for page in ("diary", "timeline", "bodymap"):
            full, base = results[page], results[f"{page}_baseline"]
            full["ratio_to_baseline"] = round(full["p95_ms"] / base["p95_ms"], 2)
            verdict = "ok" if full["p95_ms"] < 100 else "ABOVE TARGET"
            print(f"{page:9s} p50 {full['p50_ms']:7.1f} ms  p95 {full['p95_ms']:7.1f} ms  (empty record p95 "
                  f"{base['p95_ms']:.1f} ms, x{full['ratio_to_baseline']})  {full['queries']} queries  "
                  f"{full['bytes'] // 1024} KiB  [{verdict} < 100 ms]")  # fmt: skip
        print(json.dumps({"database": connection.vendor, "days": args.days, "requests": args.requests, **results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
