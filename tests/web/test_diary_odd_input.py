"""Odd and hostile input to the patient's diary form and the API diary endpoints: a form error or a
4xx naming the field, never a 500, and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.instruments import instrument
from yotsu.pathway.triage import triage_rules
from yotsu_web.api.models import ApiToken
from yotsu_web.assessments.models import InstrumentText
from yotsu_web.bodymap.figure import STIMULI
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.bodymap.scoring import TrialDataError, parse_trials
from yotsu_web.diary.models import DiaryDay, DiarySession
from yotsu_web.selfcheck.models import SavedSelfCheck

from .conftest import Personas

#: Typed into a number box; each is refused (the form shows an error, nothing is stored).
ODD_NUMBERS = [
    "99999999999999999999", "-99999999999999999999", "1e999", "1e3", "NaN", "nan", "inf", "-inf", "Infinity",
    "5\x00", "\x00", "１０", "٣", "x" * 10_000, "0x10", "1_0", "+5", "-1", "1441",
]  # fmt: skip
ODD_DATES = [
    "2025-02-30", "0001-01-01", "1899-12-31", "1999-12-31", "9999-12-31", "99999-01-01", "2025-13-01",
    "２０２５-03-01", "2025-03-01\x00", "x" * 10_000, "", "-2025-03-01",
]  # fmt: skip


def diary_url() -> str:
    return reverse("diary:diary", args=["sakura"])


@pytest.fixture
def token(personas: Personas) -> str:
    return ApiToken.issue(personas.patient, "phone app")[1]


def _form_refuses(client: Client, data: dict[str, str], field: str) -> str:
    page = client.post(diary_url(), data)
    assert page.status_code == 200, (field, data)
    html = page.content.decode()
    assert "errorlist" in html, (field, data)
    assert not DiaryDay.objects.exists() and not DiarySession.objects.exists(), (field, data)
    return html


def test_odd_numbers_and_dates_in_the_diary_form_are_form_errors(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    today = timezone.localdate().isoformat()
    count = 0
    for field in ("pain_nrs", "sleep_quality", "stress", "activity_minutes"):
        for value in ODD_NUMBERS:
            _form_refuses(client, {"form": "day", "day-date": today, f"day-{field}": value}, field)
            count += 1
    for field in ("pressure", "relief", "relief_days"):
        for value in ODD_NUMBERS:
            data = {"form": "session", "session-date": today, "session-kind": "massage", f"session-{field}": value}
            _form_refuses(client, data, field)
            count += 1
    for value in ODD_DATES:
        _form_refuses(client, {"form": "day", "day-date": value, "day-pain_nrs": "5"}, "date")
        _form_refuses(client, {"form": "session", "session-date": value, "session-kind": "cbt"}, "date")
        count += 2
    print(f"diary form: {count} odd inputs, each a form error")


def test_the_form_says_what_is_allowed(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    today = timezone.localdate().isoformat()
    html = _form_refuses(client, {"form": "day", "day-date": today, "day-pain_nrs": "１０"}, "pain_nrs")
    assert "半角数字" in html
    html = _form_refuses(client, {"form": "day", "day-date": "1999-12-31", "day-pain_nrs": "5"}, "date")
    assert "2000-01-01" in html
    assert client.post(diary_url(), {"form": "day", "day-date": "2000-01-01", "day-pain_nrs": "5 "}).status_code == 302
    assert DiaryDay.objects.get().pain_nrs == 5


def test_odd_values_in_the_api_are_4xx_naming_the_field(client: Client, personas: Personas, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    days, sessions = (reverse(f"api:{n}", args=["sakura"]) for n in ("my-diary-days", "my-diary-sessions"))
    today = timezone.localdate().isoformat()
    bodies: list[tuple[str, dict[str, object], str]] = []
    for field in ("pain_nrs", "sleep_quality", "stress", "activity_minutes"):
        for value in [*ODD_NUMBERS, "5", "", 1e308, 5.5, [], {}]:
            bodies.append((days, {"date": today, field: value}, field))
    for field in ("pressure", "relief", "relief_days"):
        for value in [*ODD_NUMBERS, "5", 1e308]:
            bodies.append((sessions, {"date": today, "kind": "massage", field: value}, field))
    for value in ODD_DATES:
        bodies.append((days, {"date": value, "pain_nrs": 5}, "date"))
        bodies.append((sessions, {"date": value, "kind": "cbt"}, "date"))
    for url, body, field in bodies:
        response = client.post(url, body, content_type="application/json", headers=headers)
        assert response.status_code == 422, (body, response.content[:200])
        assert [e["field"] for e in response.json()["detail"]] == [field], body
    assert not DiaryDay.objects.exists() and not DiarySession.objects.exists()
    print(f"diary API: {len(bodies)} odd bodies, each 422 naming the field")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"date": "TODAY", "pain_nrs": NaN}', "NaN is not a finite number"),
        ('{"date": "TODAY", "pain_nrs": Infinity}', "Infinity is not a finite number"),
        ('{"date": "TODAY", "pain_nrs": 1e999}', "not a finite number"),
        ('{"date": "TODAY", "pain_nrs": 99999999999999999999}', "integer is too large"),
        ('{"date": "TODAY", "pain_nrs": 3, "pain_nrs": 9}', "'pain_nrs' is given twice"),
        ("[" * 100_000, "nested too deeply"),
        ('{"date": ', "valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_hostile_json_body_is_a_400_saying_why(
    client: Client, personas: Personas, token: str, raw: str | bytes, expected: str
) -> None:
    body = raw.replace("TODAY", timezone.localdate().isoformat()) if isinstance(raw, str) else raw
    response = client.post(
        reverse("api:my-diary-days", args=["sakura"]), body, content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 400
    assert expected in response.json()["detail"][0]["message"]
    assert not DiaryDay.objects.exists()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("checked: 2025-02-30", "'2025-02-30' is not a real date"),
        ("source: again", "'source' is given twice"),
        ("note: \x00", "NUL"),
        ("deep: " + "[" * 40 + "]" * 40, "nested too deeply"),
    ],
)
def test_the_admins_instrument_text_yaml_with_odd_content_is_a_form_error(
    personas: Personas, extra: str, expected: str
) -> None:
    inst = instrument("pseq2")
    lines = ["instrument: pseq2", "source: test copy", "languages: [ja]", "items:"]
    lines += [f"  {item.id}: {{ja: 質問{item.id}}}" for item in inst.items]
    text = InstrumentText(clinic=personas.clinic, source_yaml="\n".join([*lines, extra]))
    with pytest.raises(ValidationError) as info:
        text.full_clean()
    assert expected in str(info.value.message_dict["source_yaml"])
    assert not InstrumentText.objects.exists()


# --- body-map sessions and saved self-checks -----------------------------------------------------------


def _trials(n: int = 20) -> list[dict[str, object]]:
    return [{"s": i % len(STIMULI), "r": STIMULI[i % len(STIMULI)].side, "rt": 700.0} for i in range(n)]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t + _trials(1), "21 trials posted; the task serves 20"),
        (lambda t: [{**t[0], "s": 1.5}, *t[1:]], "stimulus must be an integer"),
        (lambda t: [{**t[0], "s": "1"}, *t[1:]], "stimulus must be an integer"),
        (lambda t: [{**t[0], "s": True}, *t[1:]], "stimulus must be an integer"),
        (lambda t: [{**t[0], "rt": "700"}, *t[1:]], "rt a number"),
        (lambda t: [{**t[0], "x": 1}, *t[1:]], "each trial is"),
        (lambda t: {"trials": t}, "must be a JSON list"),
    ],
)
def test_a_body_map_session_not_as_served_is_refused(
    client: Client, personas: Personas, edit: Any, expected: str
) -> None:
    client.force_login(personas.patient)
    response = client.post(reverse("bodymap:training", args=["sakura"]), {"trials": json.dumps(edit(_trials()))})
    assert response.status_code == 400 and expected in response.content.decode()
    assert not LeftRightSession.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('[{"s": 1e999, "r": "left", "rt": 700}]', "not a finite number"),
        ('[{"s": 0, "r": "left", "rt": NaN}]', "not a finite number"),
        ('[{"s": 0, "s": 1, "r": "left", "rt": 700}]', "given twice"),
    ],
)
def test_hostile_trial_json_is_refused(raw: str, expected: str) -> None:
    with pytest.raises(TrialDataError, match=expected):
        parse_trials(raw, max_trials=20)


def test_a_saved_self_check_with_a_key_twice_or_nan_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    answers = {q: False for q in triage_rules().flag_question_ids()}
    answers |= {"age_years": 40, "pain_duration_weeks": 30, "examined_by_doctor": True,
                "doctor_found_serious_cause": False}  # fmt: skip
    text = json.dumps(answers)
    url = reverse("selfcheck:save", args=["sakura"])
    twice = text.replace('"saddle_numbness": false', '"saddle_numbness": true, "saddle_numbness": false')
    for bad in (twice, text.replace('"pain_duration_weeks": 30', '"pain_duration_weeks": NaN'),
                text.replace('"pain_duration_weeks": 30', '"pain_duration_weeks": 1e999')):  # fmt: skip
        assert bad != text
        assert client.post(url, {"answers": bad}).status_code == 400
    assert not SavedSelfCheck.objects.exists()
    assert client.post(url, {"answers": text}).status_code == 302  # the same answers, written plainly
