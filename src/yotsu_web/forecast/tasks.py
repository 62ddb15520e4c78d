"""Queue task: the personal model is fitted by the worker, never inside a request."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from yotsu_web.forecast import service


@db_task(retries=1, retry_delay=30)
def refresh_personal_forecast(patient_id: int) -> str:
    return service.refresh(patient_id)
