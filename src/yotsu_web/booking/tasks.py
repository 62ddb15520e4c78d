"""Queue task: the day-before booking reminders, every minute (each goes out once: see ``notify``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yotsu_web.booking.notify import due_reminders


@db_periodic_task(crontab(minute="*"))
def booking_reminders() -> int:
    return due_reminders()
