"""Periodic queue tasks: reminders at each patient's chosen time, and the three-days-without-a-log check."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from yotsu_web.programme.services import check_inactivity
from yotsu_web.reminders.due import dispatch

__all__ = ["HUEY", "dispatch_reminders", "inactivity"]


@db_periodic_task(crontab(minute="*"))
def dispatch_reminders() -> int:
    return dispatch()


@db_periodic_task(crontab(minute="5", hour="*"))
def inactivity() -> int:
    return check_inactivity()
