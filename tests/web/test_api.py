"""The JSON API (/api/v1/): token and session auth, the patient's own records, the clinic's patients and a
patient's timeline, validation errors that name the field and the limit, tokens stored hashed, audit.
Wrong-user checks for every endpoint are in test_access_matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.api.models import ApiToken, token_hash
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.desk.models import Note
from yotsu_web.diary.models import DiaryDay, DiarySession

from .conftest import Personas
from .test_explanation import completed

TODAY = dt.date.today


def url(name: str, *args: object) -> str:
    return reverse(f"api:{name}", args=["sakura", *args])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token(personas: Personas) -> str:
    return ApiToken.issue(personas.patient, "phone app")[1]


def test_openapi_schema_is_served_with_both_auth_schemes(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuthWithoutToken"}
    assert "/api/v1/clinics/{slug}/me/diary/days" in schema["paths"]
    assert "/api/v1/clinics/{slug}/patients/{pk}/timeline" in schema["paths"]


def test_a_token_is_stored_hashed_and_reads_the_patients_diary(client: Client, personas: Personas, token: str) -> None:
    row = ApiToken.objects.get()
    assert row.key_hash == token_hash(token) and token not in (row.key_hash, row.prefix)
    DiaryDay.objects.create(patient=personas.patient_record, date=timezone.localdate(), pain_nrs=6, sleep_quality=4)
    response = client.get(url("my-diary-days"), headers=bearer(token))
    assert response.status_code == 200
    assert [(d["pain_nrs"], d["sleep_quality"]) for d in response.json()] == [(6, 4)]
    assert ApiToken.objects.get().last_used_at is not None
    assert AuditEvent.objects.filter(actor=personas.patient, action=Action.VIEW, subject_type="membership").exists()


def test_a_revoked_or_wrong_token_is_refused(client: Client, personas: Personas, token: str) -> None:
    assert client.get(url("my-diary-days"), headers=bearer(token + "x")).status_code == 401
    ApiToken.objects.get().revoke()
    assert client.get(url("my-diary-days"), headers=bearer(token)).status_code == 401
    assert client.get(url("my-diary-days")).status_code == 401


def test_creating_a_diary_day_then_replacing_it(client: Client, personas: Personas, token: str) -> None:
    day = timezone.localdate().isoformat()
    first = client.post(url("my-diary-days"), {"date": day, "pain_nrs": 5}, content_type="application/json",
                        headers=bearer(token))  # fmt: skip
    assert first.status_code == 201 and first.json()["pain_nrs"] == 5
    again = client.post(url("my-diary-days"), {"date": day, "pain_nrs": 3, "stress": 7},
                        content_type="application/json", headers=bearer(token))  # fmt: skip
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    saved = DiaryDay.objects.get()
    assert (saved.pain_nrs, saved.stress) == (3, 7)
    actions = list(AuditEvent.objects.filter(subject_type="diaryday").values_list("action", flat=True))
    assert sorted(actions) == [Action.CHANGE, Action.CREATE]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"date": "2026-01-01", "pain_nrs": 11}, "pain_nrs", "less than or equal to 10"),
        ({"date": "2026-01-01", "sleep_quality": -1}, "sleep_quality", "greater than or equal to 0"),
        ({"date": "not a date"}, "date", "valid date"),
        ({"pain_nrs": 3}, "date", "Field required"),
        ({"date": "2999-01-01"}, "date", "today or earlier"),
        ({"date": "2026-01-01", "pain_nrs": True}, "pain_nrs", "not true or false"),  # found by schemathesis
        ({"date": "2026-01-01", "mood": 3}, "mood", "Extra inputs are not permitted"),
    ],
)
def test_invalid_diary_days_name_the_field_and_what_is_allowed(
    client: Client, personas: Personas, token: str, body: dict[str, object], field: str, message: str
) -> None:
    response = client.post(url("my-diary-days"), body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert not DiaryDay.objects.exists()


def test_sessions_follow_the_pathways_rules(client: Client, personas: Personas, token: str) -> None:
    day = timezone.localdate().isoformat()
    massage = {"date": day, "kind": "massage", "pressure": 6, "relief": 5, "relief_days": 2}
    assert client.post(url("my-diary-sessions"), massage, content_type="application/json",
                       headers=bearer(token)).status_code == 201  # fmt: skip
    walking = {"date": day, "kind": "graded_exercise", "pressure": 6}
    refused = client.post(url("my-diary-sessions"), walking, content_type="application/json", headers=bearer(token))
    assert refused.status_code == 422
    error = refused.json()["detail"][0]
    assert error["field"] == "pressure" and "massage" in error["message"] and "gentle_manual" in error["message"]
    unknown = client.post(url("my-diary-sessions"), {"date": day, "kind": "cupping"},
                          content_type="application/json", headers=bearer(token))  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "kind"
    assert "'education'" in unknown.json()["detail"][0]["message"]
    listed = client.get(url("my-diary-sessions"), headers=bearer(token)).json()
    assert [(s["kind"], s["pressure"]) for s in listed] == [("massage", 6)]


def test_questionnaires_bodymap_and_alerts(client: Client, personas: Personas, token: str) -> None:
    record = personas.patient_record
    completed(record, "phq4", {"q1": 1, "q2": 2, "q3": 1, "q4": 0})
    LeftRightSession.objects.create(patient=record, n_trials=20, accuracy=0.75, median_rt_ms=1400)
    start = timezone.localdate() - dt.timedelta(days=30)
    for k in range(8):  # rising pressure, shrinking relief: the pathway's escalation pattern
        DiarySession.objects.create(
            patient=record,
            date=start + dt.timedelta(days=3 * k),
            kind="massage",
            pressure=min(10, 4 + k),
            relief=max(1, 7 - k),
            relief_days=max(0.5, 3 - 0.4 * k),
        )
    results = client.get(url("my-questionnaires"), headers=bearer(token)).json()
    assert [(r["instrument"], r["total"]) for r in results] == [("phq4", 4)]
    sessions = client.get(url("my-bodymap-sessions"), headers=bearer(token)).json()
    assert [(s["n_trials"], s["accuracy"]) for s in sessions] == [(20, 0.75)]
    alerts = client.get(url("my-alerts"), headers=bearer(token)).json()
    assert alerts["escalation"]["alert"] is True and alerts["escalation"]["message"]["ja"]
    assert alerts["red_flags"] == []


def test_session_auth_needs_the_csrf_token_for_writes(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.patient)
    assert client.get(url("my-diary-days")).status_code == 200
    body = {"date": timezone.localdate().isoformat(), "pain_nrs": 4}
    assert client.post(url("my-diary-days"), body, content_type="application/json").status_code == 403
    client.get(reverse("diary:diary", args=["sakura"]))  # any page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(url("my-diary-days"), body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert response.status_code == 201


def test_practitioner_lists_the_clinics_patients_and_reads_a_timeline(client: Client, personas: Personas) -> None:
    staff_token = ApiToken.issue(personas.practitioner, "desk script")[1]
    record = personas.patient_record
    DiaryDay.objects.create(patient=record, date=timezone.localdate(), pain_nrs=4)
    Note.objects.create(patient=record, author=personas.practitioner, text="walk 20 minutes")
    listed = client.get(url("patients"), headers=bearer(staff_token)).json()
    assert [p["username"] for p in listed] == ["alice"] and listed[0]["id"] == record.pk
    events = client.get(url("patient-timeline", record.pk), headers=bearer(staff_token)).json()
    kinds = {e["kind"]: e["fields"] for e in events}
    assert kinds["day"]["pain_nrs"] == 4 and kinds["note"]["text"] == "walk 20 minutes"
    event = AuditEvent.objects.filter(actor=personas.practitioner, action=Action.VIEW, subject_type="membership").get()
    assert (event.subject_type, event.subject_id) == ("membership", record.pk)


def test_account_page_creates_shows_once_and_revokes_tokens(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = client.post(reverse("tokens:list"), {"name": "phone"})
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    shown = page.content.decode().split('id="new-token"')[1].split("<code>")[1].split("</code>")[0]
    assert client.get(url("my-diary-days"), headers=bearer(shown)).status_code == 200
    listing = client.get(reverse("tokens:list")).content.decode()
    assert shown not in listing and ApiToken.objects.get().prefix in listing
    row = ApiToken.objects.get()
    client.force_login(personas.other_patient)
    assert client.post(reverse("tokens:revoke", args=[row.pk])).status_code == 404
    client.force_login(personas.patient)
    assert client.get(reverse("tokens:revoke", args=[row.pk])).status_code == 405
    assert client.post(reverse("tokens:revoke", args=[row.pk])).status_code == 302
    # a revoked token is refused even from a browser that also has a session
    assert client.get(url("my-diary-days"), headers=bearer(shown)).status_code == 401
    assert client.get(url("my-diary-days")).status_code == 200


def test_patient_list_carries_name_reading_and_age(client: Client, personas: Personas) -> None:
    user = personas.patient
    user.full_name, user.furigana = "山田 花子", "ヤマダ ハナコ"
    user.birth_date = dt.date(timezone.localdate().year - 52, 1, 1)
    user.save()
    staff_token = ApiToken.issue(personas.practitioner, "desk script")[1]
    (listed,) = client.get(url("patients"), headers=bearer(staff_token)).json()
    assert (listed["name"], listed["furigana"], listed["age"]) == ("山田 花子", "ヤマダ ハナコ", 52)
