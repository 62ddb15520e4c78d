"""The diary page's costly parts, computed once per change of the records they come from.

Every diary page and portal load used to read the whole diary, run the pathway's tracking checks and draw
the charts and tables again, though the diary had not changed since the last load. Now one query asks for
the records' *revision* (counts, newest ids and change times of everything :func:`pathway_diary` and
:func:`alerts_for` read) and the alerts and the rendered charts and tables are kept under it. Any new,
changed or deleted diary day, session, visit record, symptom report, clearance or self-check gives a new
revision, so nothing stale is ever shown; the pathway still makes every judgement.

The cache is Django's ``default`` cache: process memory (``LocMemCache``, see settings), never a file or a
shared server, because it holds health data.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import get_language

from yotsu_web.clinics.models import Membership
from yotsu_web.diary.records import Alerts, alerts_for, pathway_diary

#: What the revision reads, per model (whose ``patient`` column filters it): the row count and the newest
#: time a row was added or changed (the app changes rows by ``save()``, which moves ``updated_at``; the rest
#: are only added); a deletion changes the count. Times, not ids: an id can come back, a time does not.
_PARTS: tuple[tuple[str, str], ...] = (
    ("diary.DiaryDay", "updated_at"),
    ("diary.DiarySession", "created_at"),
    ("records.VisitRecord", "updated_at"),
    ("diary.SymptomReport", "created_at"),
    ("referrals.Clearance", "recorded_at"),
    ("selfcheck.SavedSelfCheck", "created_at"),
)
TIMEOUT_S = 3600


@lru_cache(maxsize=1)
def _revision_sql() -> str:
    from django.apps import apps

    parts = []
    for label, column in _PARTS:
        table = connection.ops.quote_name(apps.get_model(label)._meta.db_table)
        parts.append(
            f"(SELECT CAST(COUNT(*) AS TEXT) || '/' || COALESCE(CAST(MAX({column}) AS TEXT), '') "
            f"FROM {table} WHERE patient_id = %s)"
        )
    return "SELECT " + ", ".join(parts)


def diary_revision(patient: Membership) -> str:
    """One query: what changes whenever anything the diary page shows or judges from changes."""
    with connection.cursor() as cursor:
        cursor.execute(_revision_sql(), [patient.pk] * len(_PARTS))
        values = cursor.fetchone()
    joined = "|".join(str(v) for v in values or ())
    return hashlib.blake2b(joined.encode(), digest_size=12).hexdigest()


def _key(kind: str, patient: Membership, revision: str) -> str:
    return f"yotsu:diary:{kind}:{patient.pk}:{get_language()}:{revision}"


def patient_alerts(patient: Membership, revision: str | None = None) -> Alerts:
    """:func:`alerts_for` the patient, computed once per revision of their records."""
    revision = diary_revision(patient) if revision is None else revision
    key = _key("alerts", patient, revision)
    alerts = cache.get(key)
    if alerts is None:
        alerts = alerts_for(patient, pathway_diary(patient))
        cache.set(key, alerts, TIMEOUT_S)
    return alerts  # type: ignore[no-any-return]


def diary_parts(patient: Membership) -> tuple[Alerts, dict[str, str]]:
    """The alerts and the rendered record parts of the diary page (``top``: alerts, charts and the pain
    verdict; ``recent``: the tables of recent days and sessions), once per revision and language."""
    from yotsu_web.diary.charts import diary_charts
    from yotsu_web.diary.models import DiaryDay, DiarySession

    revision = diary_revision(patient)
    key = _key("page", patient, revision)
    got = cache.get(key)
    if got is not None:
        return got  # type: ignore[no-any-return]
    diary = pathway_diary(patient)
    alerts = alerts_for(patient, diary)
    context = {
        "clinic": patient.clinic,
        "alerts": alerts,
        "charts": diary_charts(diary, alerts.pain),
        "days": DiaryDay.objects.filter(patient=patient).order_by("-date")[:14],
        "sessions": DiarySession.objects.filter(patient=patient).order_by("-date", "-pk")[:10],
    }
    parts = {
        "top": render_to_string("diary/includes/top.html", context),
        "recent": render_to_string("diary/includes/recent.html", context),
    }
    cache.set(key, (alerts, parts), TIMEOUT_S)
    cache.set(_key("alerts", patient, revision), alerts, TIMEOUT_S)
    return alerts, parts
