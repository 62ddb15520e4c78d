"""Fault benchmark: reminders are delivered exactly once although the queue worker is SIGKILLed at random.

One command: ``python benchmarks/fault_reminders.py [--reminders 150] [--kills 5] [--seed 1] [--json]``.
Sets up a fresh installation in a temporary folder (SQLite, or ``DATABASE_URL`` if given), with a fake
SMTP server and a fake LINE server on loopback, queues one reminder per patient (half by e-mail, half by
LINE, the path ``reminders.due.dispatch`` takes), then starts the real worker (``python -m yotsu_web
run_huey``) and kills it with SIGKILL at random moments, ``--kills`` times; a last worker runs until
every delivery is recorded as sent. The fakes record what reached them:

- LINE: pushes accepted (200) per retry key; a repeat of a key is answered 409 as LINE does;
- e-mail: messages accepted per Message-ID. SMTP has no idempotency key the server enforces, so a kill
  between the server's "250 queued" and the worker's commit leaves a second copy **with the same
  Message-ID** (mail clients show one); such copies are counted as ``doubled``, not hidden.

Prints per channel: reminders, delivered once, never delivered, delivered more than once, and where
the kills fell (reminders recorded sent at each kill). Exit status 1 if any reminder was lost, or a
LINE push was shown twice.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.line_fake import fake_line_server  # noqa: E402
from tests.web.smtp_fake import fake_smtp_server  # noqa: E402

LEASE_S = 2


def _setup(reminders: int) -> list[tuple[str, str, str]]:
    """Create the clinic, patients and their deliveries; returns (key, channel, address) per reminder."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership, Role
    from yotsu_web.messaging.models import Channel, Delivery, LineChannel, LineLink
    from yotsu_web.messaging.send import queue_delivery

    clinic = Clinic.objects.create(slug="fault", name="Fault clinic", notification_email="c@example.com")
    LineChannel.objects.create(clinic=clinic, access_token="fault-token")
    for i in range(reminders):
        user = User.objects.create(username=f"p{i}", email=f"p{i}@example.com")
        patient = Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
        if i % 2:
            LineLink.objects.create(patient=patient, clinic=clinic, line_user_id=f"U{i}")
            queue_delivery(patient, "reminder:2026-12-01:line", Channel.LINE)
        else:
            queue_delivery(patient, "reminder:2026-12-01:email", Channel.EMAIL)
    rows = Delivery.objects.select_related("patient__user", "patient__line_link")
    return [
        (str(d.key), d.channel, d.patient.line_link.line_user_id if d.channel == Channel.LINE else d.patient.user.email)
        for d in rows
    ]


def _unsent() -> int:
    from yotsu_web.messaging.models import Delivery

    return Delivery.objects.exclude(state=Delivery.State.SENT).count()


def _sweep() -> None:
    from yotsu_web.messaging.tasks import sweep_deliveries

    sweep_deliveries.call_local()  # what the periodic task does every minute


def run(reminders: int, kills: int, seed: int, timeout_s: float = 300.0) -> dict[str, object]:
    rng = random.Random(seed)
    data_dir = Path(tempfile.mkdtemp(prefix="yotsu-fault-"))
    with fake_smtp_server() as smtp, fake_line_server() as line:
        os.environ.update(
            YOTSU_DATA_DIR=str(data_dir),
            YOTSU_SECRET_KEY="fault-benchmark-" + "k" * 40,
            YOTSU_SMTP_HOST="127.0.0.1",
            YOTSU_SMTP_PORT=str(smtp.port),
            YOTSU_SMTP_TLS="0",
            YOTSU_LINE_API_HOST=line.url,
            YOTSU_DELIVERY_LEASE_S=str(LEASE_S),
            DJANGO_SETTINGS_MODULE="yotsu_web.settings",
        )
        import django

        django.setup()
        expected = _setup(reminders)
        worker_argv = [sys.executable, "-m", "yotsu_web", "run_huey", "-w", "4", "-k", "thread", "-n"]
        os.environ["PYTHONFAULTHANDLER"] = "1"
        log = open(data_dir / "worker.log", "ab")  # noqa: SIM115  (kept open for every worker run)
        started = time.monotonic()
        sent_at_kill = []
        # Kill points: after a random number of reminders were recorded as sent (spread over the batch),
        # plus up to 30 ms, so the kill lands anywhere in claim / send / record.
        targets = sorted(rng.randint(1, reminders - 1) for _ in range(kills))
        for target in targets:
            worker = subprocess.Popen(worker_argv, stdout=log, stderr=log)
            while reminders - _unsent() < target and worker.poll() is None:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.03))  # short: on a quiet machine 4 threads finish a batch in 0.3 s
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            sent_at_kill.append(reminders - _unsent())
            time.sleep(LEASE_S + 0.2)
            _sweep()
        worker = subprocess.Popen(worker_argv, stdout=log, stderr=log)
        final_start = time.monotonic()  # a worker takes seconds to start (a minute on a loaded machine)
        try:
            while _unsent() and time.monotonic() - final_start < timeout_s:
                time.sleep(LEASE_S + 0.2)
                _sweep()
                if worker.poll() is not None:
                    print(f"final worker exited {worker.returncode}", file=sys.stderr)
        finally:
            if _unsent():  # stuck: have the worker print every thread's stack (PYTHONFAULTHANDLER) to its log
                worker.send_signal(signal.SIGABRT)
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
        line_by_key = collections.Counter(p.headers.get("X-Line-Retry-Key", "") for p in line.accepted)
        mail_by_id = collections.Counter(message_id for _to, message_id in smtp.messages)
        mail_to = collections.Counter(to for to, _id in smtp.messages)
        result: dict[str, object] = {"reminders": reminders, "kills": kills, "unsent_rows": _unsent()}
        result["sent_when_killed"] = sent_at_kill
        result["seconds"] = round(time.monotonic() - started, 1)
        result["worker_log"] = str(data_dir / "worker.log")
        for channel in ("email", "line"):
            counts = [
                line_by_key[key] if channel == "line" else mail_by_id[f"<{key}@yotsu>"]
                for key, ch, _address in expected
                if ch == channel
            ]
            result[channel] = {
                "reminders": len(counts),
                "once": sum(c == 1 for c in counts),
                "lost": sum(c == 0 for c in counts),
                "doubled": sum(c > 1 for c in counts),
            }
        result["mail_recipients_doubled"] = sum(c > 1 for c in mail_to.values())
        result["line_repeats_refused_409"] = sum(1 for p in line.requests if p.status == 409)
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=150)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args()
    result = run(args.reminders, args.kills, args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name:>26}: {value}")
    bad = result["email"]["lost"] or result["line"]["lost"] or result["line"]["doubled"]  # type: ignore[index]
    return 1 if bad or result["unsent_rows"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
