"""The stored fit as the API's ``ForecastOut`` body (the same row the pages show)."""

from __future__ import annotations

from yotsu_web.clinics.models import Membership
from yotsu_web.forecast.service import request_fit


def forecast_json(patient: Membership) -> dict[str, object]:
    row = request_fit(patient)
    return {
        "status": str(row.status),
        "updating": row.updating,
        "computed_at": row.computed_at,
        "fit": row.result,
    }
