"""Queue tasks for outgoing messages (run by the Huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yotsu_web.messaging import deliver


@db_task(retries=2, retry_delay=30)
def send_delivery(key: str) -> str:
    return deliver.send(key)


@db_periodic_task(crontab(minute="*"))
def sweep_deliveries() -> int:
    keys = deliver.sweep()
    for key in keys:
        send_delivery(key)
    return len(keys)
