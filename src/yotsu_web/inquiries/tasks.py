"""Queue tasks for the clinic's inquiry notices (run by the Huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yotsu_web.inquiries import notify


@db_task()
def send_inquiry_notice(inquiry_pk: int) -> str:
    return notify.send(inquiry_pk)


@db_periodic_task(crontab(minute="*"))
def sweep_inquiry_notices() -> int:
    due = notify.sweep()
    for pk in due:
        send_inquiry_notice(pk)
    return len(due)
