"""The task queue: Huey with SQLite storage in the data directory, or Redis when ``REDIS_URL`` is set.

``settings.HUEY`` is built here; the worker is ``python -m yotsu_web run_huey`` (or, in the demo, a
consumer started in the background by :func:`start_background_worker`). Nothing slow runs inside a
request: views only enqueue.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from huey import RedisHuey, SqliteHuey
from huey.api import Huey

QUEUE_NAME = "yotsu"


def make_huey(data_dir: Path, env: Mapping[str, str] | None = None) -> Huey:
    """The queue for this installation (``REDIS_URL`` -> Redis, else SQLite ``<data dir>/queue.sqlite3``)."""
    env = os.environ if env is None else env
    redis_url = env.get("REDIS_URL", "").strip()
    if redis_url:
        return RedisHuey(QUEUE_NAME, url=redis_url, utc=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    # WAL (Huey's default, named here) and the same busy timeout as the web database's SQLite.
    return SqliteHuey(QUEUE_NAME, filename=str(data_dir / "queue.sqlite3"), utc=True, journal_mode="wal", timeout=20)


def start_background_worker(workers: int = 1) -> object:
    """Start a consumer in this process (threads) for a one-machine demo; returns the consumer."""
    from django.utils.module_loading import autodiscover_modules
    from huey.consumer import Consumer

    from yotsu_web.reminders.tasks import HUEY

    autodiscover_modules("tasks")  # every app's tasks and periodic sweeps, as run_huey registers them

    consumer = Consumer(HUEY, workers=workers, worker_type="thread", periodic=True, check_worker_health=False)
    consumer.start()
    return consumer
