"""Queue task: the explanation is computed by the worker, never inside a request."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from yotsu_web.explain import service


@db_task(retries=1, retry_delay=30)
def refresh_explanation(patient_id: int) -> str:
    return service.refresh(patient_id)
