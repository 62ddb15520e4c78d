"""The diary page's alerts, charts and tables are cached under the records' revision: every change to
what they come from shows at once, and a page load with nothing changed reads far less."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yotsu_web.clinics.models import Membership
from yotsu_web.diary.cache import diary_revision
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport

from .conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, personas: Personas):  # type: ignore[no-untyped-def]
    client.force_login(personas.patient)
    return client, personas.clinic, Membership.objects.get(user=personas.patient, clinic=personas.clinic)


def _diary(client, clinic) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/c/{clinic.slug}/me/diary/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_change_shows_at_once(setup) -> None:  # type: ignore[no-untyped-def]
    patient_client, clinic, patient = setup
    today = timezone.localdate()
    first = _diary(patient_client, clinic)
    assert "<td>473</td>" not in first
    day = DiaryDay.objects.create(patient=patient, date=today - dt.timedelta(days=1), activity_minutes=473)
    assert "<td>473</td>" in _diary(patient_client, clinic)
    day.activity_minutes = 588  # a change of a stored day
    day.save()
    page = _diary(patient_client, clinic)
    assert "<td>588</td>" in page and "<td>473</td>" not in page
    day.delete()
    assert "<td>588</td>" not in _diary(patient_client, clinic)
    assert "<td>29</td>" not in _diary(patient_client, clinic)
    DiarySession.objects.create(patient=patient, date=today, kind="massage", pressure=4, relief=3, relief_days=29)
    assert "<td>29</td>" in _diary(patient_client, clinic)


def test_revision_moves_with_each_source(setup) -> None:  # type: ignore[no-untyped-def]
    patient = setup[2]
    today = timezone.localdate()
    seen = {diary_revision(patient)}
    day = DiaryDay.objects.create(patient=patient, date=today, pain_nrs=3)
    seen.add(diary_revision(patient))
    day.stress = 4
    day.save()
    seen.add(diary_revision(patient))
    SymptomReport.objects.create(patient=patient, date=today, flag="saddle_numbness")
    before = diary_revision(patient)
    seen.add(before)
    session = DiarySession.objects.create(patient=patient, date=today, kind="massage", pressure=4)
    seen.add(diary_revision(patient))
    assert len(seen) == 5
    other = DiarySession.objects.create(patient=patient, date=today, kind="massage", pressure=5)
    with_both = diary_revision(patient)
    session.delete()  # not the newest: only the count tells
    assert diary_revision(patient) not in {with_both, *seen}
    other.delete()  # back to the records as they were: the same revision is right
    assert diary_revision(patient) == before


def test_a_repeat_load_reads_little(setup) -> None:  # type: ignore[no-untyped-def]
    patient_client, clinic, patient = setup
    today = timezone.localdate()
    for k in range(30):
        DiaryDay.objects.create(patient=patient, date=today - dt.timedelta(days=k), pain_nrs=k % 10)
    _diary(patient_client, clinic)
    with CaptureQueriesContext(connection) as queries:
        _diary(patient_client, clinic)
    # session, user, the patient's record (with consent), the revision, the open referral
    assert len(queries) <= 5, [q["sql"][:120] for q in queries.captured_queries]
