"""The diary: entries, sessions, symptoms re-running triage, the chart and the pathway's alerts."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.triage import triage_rules
from yotsu_web.audit.models import AuditEvent
from yotsu_web.diary.models import DiaryDay, DiarySession, SymptomReport

from .conftest import Personas

ESCALATION_JA = "マッサージ"


def diary_url() -> str:
    return reverse("diary:diary", args=["sakura"])


def escalating_sessions(personas: Personas, start: dt.date) -> None:
    for n, (pressure, relief_days) in enumerate([(4, 3), (5, 2.5), (6, 2), (7, 1.5), (8, 1), (9, 0.5)]):
        DiarySession.objects.create(
            patient=personas.patient_record, date=start + dt.timedelta(days=3 * n), kind="massage",
            pressure=pressure, relief=6 - n // 2, relief_days=relief_days,
        )  # fmt: skip


def test_patient_records_a_day_and_it_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    today = timezone.localdate().isoformat()
    data = {"form": "day", "day-date": today, "day-pain_nrs": 6, "day-sleep_quality": 4, "day-stress": 7}
    assert client.post(diary_url(), data).status_code == 302
    day = DiaryDay.objects.get()
    assert (day.patient, day.pain_nrs, day.sleep_quality, day.stress) == (personas.patient_record, 6, 4, 7)
    client.post(diary_url(), data | {"day-pain_nrs": 5})
    assert DiaryDay.objects.get().pain_nrs == 5  # one row per day, updated
    assert AuditEvent.objects.filter(subject_type="diaryday").count() == 2


def test_out_of_range_and_future_entries_are_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.post(diary_url(), {"form": "day", "day-date": tomorrow, "day-pain_nrs": 11})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert not DiaryDay.objects.exists()


def test_pressure_on_a_non_manual_session_is_refused_by_the_pathway_rule(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    data = {"form": "session", "session-date": timezone.localdate().isoformat(), "session-kind": "cbt",
            "session-pressure": 5}  # fmt: skip
    assert "errorlist" in client.post(diary_url(), data).content.decode()
    data |= {"session-kind": "massage", "session-relief": 4, "session-relief_days": 2}
    assert client.post(diary_url(), data).status_code == 302
    assert DiarySession.objects.get().pressure == 5


def test_escalation_pattern_shows_an_alert_to_the_patient(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert "escalation" not in client.get(diary_url()).content.decode()
    escalating_sessions(personas, timezone.localdate() - dt.timedelta(days=20))
    page = client.get(diary_url()).content.decode()
    assert 'class="alert escalation"' in page and ESCALATION_JA in page
    assert 'class="alert escalation"' in client.get(reverse("clinics:portal", args=["sakura"])).content.decode()


def test_a_new_red_flag_symptom_re_runs_triage_and_shows_the_referral(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    url = reverse("diary:symptoms", args=["sakura"])
    assert triage_rules().flag("saddle_numbness").question.ja in client.get(url).content.decode()
    client.post(url, {"flags": ["saddle_numbness"]})
    assert SymptomReport.objects.get().flag == "saddle_numbness"
    page = client.get(diary_url()).content.decode()
    assert triage_rules().flag("saddle_numbness").referral.ja in page
    assert triage_rules().routes["emergency"].ja in page


def test_chart_is_an_svg_with_japanese_text_and_not_cached(client: Client, personas: Personas) -> None:
    start = timezone.localdate() - dt.timedelta(days=20)
    for n in range(21):
        DiaryDay.objects.create(patient=personas.patient_record, date=start + dt.timedelta(days=n),
                                pain_nrs=7 - n // 4, sleep_quality=5, stress=5)  # fmt: skip
    escalating_sessions(personas, start)
    client.force_login(personas.patient)
    response = client.get(reverse("diary:chart", args=["sakura"]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body
    assert body.count("<path") > 20  # lines, MCID lines and glyphs drawn as paths
