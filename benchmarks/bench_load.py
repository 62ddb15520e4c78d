"""Load benchmark: N logged-in patients write the diary and read pages at once against the production server.

One command: ``python benchmarks/bench_load.py [--db sqlite|postgres|both] [--users 50] [--seconds 20]``.

For each database it sets up a fresh installation in a temporary folder (SQLite file, or a new PostgreSQL
database created on ``--postgres-url``'s server and dropped afterwards), one clinic and ``--users``
patients, each logged in (a session made the way Django's login makes it, so the deliberately slow
Argon2 hasher is not what is measured), starts ``yotsu serve --production`` (gunicorn + the queue worker,
the settings an operator would use) and runs one thread per patient for ``--seconds``. Each patient, in
a loop, on one keep-alive connection:

1. reads the diary page (chart included) and takes its CSRF token,
2. writes a diary day (a date of its own for every write: day *k* goes back *k* days),
3. reads the portal page,
4. writes a session (its own date too),
5. fetches a static file (the baseline: the same server's cheapest answer under the same load).

A write counts as accepted when the server answers 302 (the redirect after a stored form). Afterwards
every accepted write is looked up in the database: ``lost`` = accepted but not stored, ``doubled`` =
stored more than once, ``unacknowledged`` = stored although the client saw an error (e.g. a timeout).
Prints progress every few seconds, then per database: requests/s, p50/p95/p99 of writes and of reads in
ms, errors by kind, lost, doubled. Exit status 1 if any write failed, was lost or doubled.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "load"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# The same server's cheapest answer (a static file through WhiteNoise): its latency under the same load is
# the queueing every request pays, so ``write_p95_over_baseline`` shows what the diary itself adds.
BASELINE = "/static/yotsu_web/site.css"
DEFAULT_POSTGRES_URL = os.environ.get("YOTSU_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


# Child modes (run in a subprocess with the installation's environment) ---------------------------------


def _child_setup(users: int) -> None:
    """Migrate, create the clinic and the patients, print their session keys as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership, Role

    call_command("migrate", interactive=False, verbosity=0)
    clinic = Clinic.objects.create(slug=SLUG, name="Load clinic", notification_email="")
    # Dated back so that diary dates up to years ago are inside the clinic's life.
    Clinic.objects.filter(pk=clinic.pk).update(created_at=clinic.created_at - dt.timedelta(days=3 * 365))
    sessions = []
    for i in range(users):
        user = User.objects.create(username=f"load{i}", email=f"load{i}@example.com")
        Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"username": user.username, "session": store.session_key})
    print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions}))


def _child_count() -> None:
    """Print, per patient, how many diary days and sessions are stored for each date."""
    import django

    django.setup()
    from django.db.models import Count

    from yotsu_web.diary.models import DiaryDay, DiarySession

    out: dict[str, dict[str, dict[str, int]]] = {"day": {}, "session": {}}
    for kind, model in (("day", DiaryDay), ("session", DiarySession)):
        rows = model.objects.values("patient__user__username", "date").annotate(n=Count("pk"))
        for row in rows:
            key = f"{row['patient__user__username']}|{row['date'].isoformat()}"
            out[kind][key] = row["n"]
    print(json.dumps(out))


# The load ----------------------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    accepted: dict[str, set[str]] = field(default_factory=lambda: {"day": set(), "session": set()})
    failed: dict[str, set[str]] = field(default_factory=lambda: {"day": set(), "session": set()})

    def requests(self) -> int:
        return len(self.reads) + len(self.writes) + len(self.baseline) + sum(self.errors.values())


class Patient:
    def __init__(self, host: str, port: int, username: str, cookie: str, session: str) -> None:
        self.host, self.port, self.username = host, port, username
        self.cookies = {cookie: session}
        self.conn: http.client.HTTPConnection | None = None
        self.last_used = 0.0
        self.stale_retries = 0

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, bytes]:
        """One request on the keep-alive connection. As a browser does, a connection idle longer than the
        server's keep-alive (gunicorn: 2 s) is not reused, and a GET whose reused connection the server
        had closed is sent once more on a new one (counted in ``stale_retries``; a POST is never resent)."""
        if self.conn is not None and time.monotonic() - self.last_used > 1.5:
            self.conn.close()
            self.conn = None
        reused = self.conn is not None
        try:
            return self._request(method, path, body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not (reused and method == "GET"):
                raise
            self.stale_retries += 1
            return self._request(method, path, body)

    def _request(self, method: str, path: str, body: dict[str, str] | None) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.last_used = time.monotonic()
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, content


def _run_patient(patient: Patient, stats: Stats, stop_at: float) -> None:
    diary, portal = f"/c/{SLUG}/me/diary/", f"/c/{SLUG}/me/"
    today = dt.date.today()
    k = 0
    token = ""

    def timed(kind: str, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, bytes] | None:
        started = time.perf_counter()
        try:
            status, content = patient.request(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            with stats.lock:
                stats.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        ms = (time.perf_counter() - started) * 1000
        ok = (status == 302) if kind == "write" else (status == 200)
        with stats.lock:
            if ok:
                {"read": stats.reads, "write": stats.writes, "baseline": stats.baseline}[kind].append(ms)
            else:
                stats.errors[f"{kind}: HTTP {status}"] += 1
        return status, content

    while time.monotonic() < stop_at:
        got = timed("read", "GET", diary)
        if got and (match := CSRF_FIELD.search(got[1])):
            token = match.group(1).decode()
        if not token:
            time.sleep(0.2)
            continue
        for form in ("day", "session"):
            k += 1
            date = (today - dt.timedelta(days=k)).isoformat()
            if form == "day":
                body = {"form": "day", "day-date": date, "day-pain_nrs": str(k % 11), "day-sleep_quality": "6",
                        "day-stress": "4", "day-activity_minutes": "30"}  # fmt: skip
            else:
                body = {"form": "session", "session-date": date, "session-kind": "massage", "session-pressure": "6",
                        "session-relief": "5", "session-relief_days": "2"}  # fmt: skip
            body["csrfmiddlewaretoken"] = token
            got = timed("write", "POST", diary, body)
            key = f"{patient.username}|{date}"
            with stats.lock:
                (stats.accepted if got and got[0] == 302 else stats.failed)[form].add(key)
            if form == "day" and time.monotonic() < stop_at:
                timed("read", "GET", portal)
        if time.monotonic() < stop_at:
            timed("baseline", "GET", BASELINE)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _child(env: dict[str, str], mode: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, __file__, mode, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def _create_postgres_db(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"yotsu_bench_{os.getpid()}"
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return name, urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgres_db(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(db: str, users: int, seconds: float, postgres_url: str) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"yotsu-load-{db}-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YOTSU_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        DJANGO_SETTINGS_MODULE="yotsu_web.settings",
        YOTSU_DATA_DIR=str(data_dir),
        YOTSU_SECRET_KEY=secrets.token_urlsafe(50),
        YOTSU_BIND=f"127.0.0.1:{port}",
    )
    pg_name = ""
    if db == "postgres":
        pg_name, env["DATABASE_URL"] = _create_postgres_db(postgres_url)
    server: subprocess.Popen[bytes] | None = None
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115  (closed in finally)
    try:
        print(f"[{db}] setting up {users} patients in {data_dir} ...", flush=True)
        setup = json.loads(_child(env, "--child-setup", str(users)))
        server = subprocess.Popen([sys.executable, "-m", "yotsu.cli", "serve", "--production"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"[{db}] the server did not start; see {data_dir / 'server.log'}") from None
                time.sleep(0.3)
        patients = [Patient("127.0.0.1", port, s["username"], setup["cookie"], s["session"]) for s in setup["sessions"]]
        # One warm-up read per patient (gunicorn workers import the app lazily), not counted.
        for patient in patients[: min(len(patients), 10)]:
            patient.request("GET", f"/c/{SLUG}/me/")
        stats = Stats()
        started = time.monotonic()
        stop_at = started + seconds
        threads = [threading.Thread(target=_run_patient, args=(p, stats, stop_at), daemon=True) for p in patients]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            time.sleep(min(5.0, max(stop_at - time.monotonic(), 0.5)))
            with stats.lock:
                done, errors = stats.requests(), sum(stats.errors.values())
            elapsed = time.monotonic() - started
            print(f"[{db}] {elapsed:5.1f} s  {done} requests  {done / elapsed:6.1f} req/s  {errors} errors",
                  flush=True)  # fmt: skip
        elapsed = time.monotonic() - started
        stored = json.loads(_child(env, "--child-count"))
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        if pg_name:
            _drop_postgres_db(postgres_url, pg_name)
    lost = doubled = unacknowledged = 0
    for form in ("day", "session"):
        rows = stored[form]
        lost += sum(1 for key in stats.accepted[form] if rows.get(key, 0) == 0)
        doubled += sum(1 for key in stats.accepted[form] | stats.failed[form] if rows.get(key, 0) > 1)
        unacknowledged += sum(1 for key in stats.failed[form] - stats.accepted[form] if rows.get(key, 0) > 0)
    result: dict[str, object] = {
        "db": db,
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": stats.requests(),
        "req_per_s": round(stats.requests() / elapsed, 1),
        "writes_accepted": len(stats.writes),
        "writes_failed": sum(n for kind, n in stats.errors.items() if kind.startswith("write")),
        "reads_ok": len(stats.reads),
        "write_ms": {f"p{q}": round(_percentile(stats.writes, q), 1) for q in (50, 95, 99)},
        "read_ms": {f"p{q}": round(_percentile(stats.reads, q), 1) for q in (50, 95, 99)},
        "baseline_static_ms": {f"p{q}": round(_percentile(stats.baseline, q), 1) for q in (50, 95, 99)},
        "write_p95_over_baseline": round(_percentile(stats.writes, 95) / _percentile(stats.baseline, 95), 2),
        "errors": dict(stats.errors),
        "stale_keepalive_get_retries": sum(p.stale_retries for p in patients),
        "lost": lost,
        "doubled": doubled,
        "unacknowledged_but_stored": unacknowledged,
        "server_log": str(data_dir / "server.log"),
    }
    if not (result["writes_failed"] or lost or doubled or stats.errors):
        shutil.rmtree(data_dir, ignore_errors=True)
        result["server_log"] = "(removed: clean run)"
    return result


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-setup":
        _child_setup(int(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--child-count":
        _child_count()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help="a PostgreSQL server where a fresh database may be created and dropped")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print each result as one JSON line")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0:
        parser.error("--users must be at least 1 and --seconds above 0")
    bad = False
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        result = run(db, args.users, args.seconds, args.postgres_url)
        if args.json:
            print(json.dumps(result))
        else:
            print(f"\n== {db}: {args.users} users, {result['seconds']} s ==")
            for name, value in result.items():
                print(f"{name:>26}: {value}")
        bad = bad or bool(result["writes_failed"] or result["lost"] or result["doubled"] or result["errors"])
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
