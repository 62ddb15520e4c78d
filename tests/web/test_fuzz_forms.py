"""Property-based fuzz of every form the patient, the staff and the public can post: each page of the
access matrix is opened as the persona it is for, every POST form on it is read from the HTML (its
action, fields and their values) and sent back with one field replaced by odd input (a NUL, full-width or
other-script digits, impossible dates, huge numbers, text over any limit, nothing) or left out.

Each case: never a 500 or a traceback (the test client raises the view's exception); and a form shown
again with errors stored nothing (no row of the app's tables added, changed or removed). Bounded and
derandomized (tests/conftest.py); the cases run per page are printed at the end of the run."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Personas
from .test_access_matrix import MATRIX, PATIENT, PUBLIC, STAFF

SKIP_ACTIONS = ("/accounts/logout", "/i18n/")  # the navigation's own forms (log out, language)
IGNORED_APPS = {"sessions", "axes", "audit", "admin", "contenttypes", "auth"}

odd: st.SearchStrategy[str] = st.one_of(
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "１０", "٣", "-1", "11", "1e999", "nan", "inf", "1_0", "2025-02-30",
        "1999-12-31", "2999-01-01", "0000-00-00", "true", "<script>x</script>", "x" * 5000, "9" * 40,
        "' OR 1=1 --", "🙂", "\u202e",
    ]),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)  # fmt: skip


class _Forms(HTMLParser):
    """The POST forms of a page: (action, [(name, value), ...], {name: [choices]})."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]], dict[str, list[str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), [], {}) if a.get("method", "").lower() == "post" else ("", [], {}))
            if a.get("method", "").lower() != "post":
                self.forms[-1] = ("<get>", [], {})
            return
        if not self.forms or self.forms[-1][0] == "<get>" or "name" not in a:
            if tag == "option" and self._select and self.forms:
                self.forms[-1][2].setdefault(self._select, []).append(a.get("value", ""))
            return
        fields, choices = self.forms[-1][1], self.forms[-1][2]
        if tag == "input" and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                choices.setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            else:
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            fields.append((a["name"], "text"))
        elif tag == "select":
            self._select = a["name"]
            fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms(html: str, page: str) -> list[tuple[str, list[tuple[str, str]], dict[str, list[str]]]]:
    parser = _Forms()
    parser.feed(html)
    out = []
    for action, fields, choices in parser.forms:
        if action == "<get>" or action.startswith(SKIP_ACTIONS):
            continue
        # a select's first option and a radio group's first choice, as a person would pick
        filled = [(n, v or (choices.get(n) or [""])[0]) for n, v in fields]
        for name, values in choices.items():
            if not any(n == name for n, _v in filled):
                filled.append((name, values[0]))
        out.append((action or page, filled, choices))
    return out


def _rows() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in IGNORED_APPS and not m._meta.proxy
    }


PAGES = sorted(name for name, (who, _ids, status) in MATRIX.items() if status == 200)


def _login(client: Client, personas: Personas, who: str) -> None:
    if who == PATIENT:
        client.force_login(personas.patient)
    elif who == STAFF:
        client.force_login(personas.practitioner)
    else:
        assert who == PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_every_form_refuses_odd_input_cleanly(
    client: Client, personas: Personas, fuzz_counts: Counter[str], name: str
) -> None:
    who, ids, _status = MATRIX[name]
    _login(client, personas, who)
    page = reverse(name, args=[personas.clinic.slug, *ids(personas)])
    response = client.get(page)
    assert response.status_code == 200
    html = response["Content-Type"].startswith("text/html")
    forms = _forms(response.content.decode(), page) if html else []
    if not forms:
        fuzz_counts["(pages without a form to post)"] += 1
        return

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(form=st.sampled_from(forms), data=st.data())
    def case(form: tuple[str, list[tuple[str, str]], dict[str, list[str]]], data: st.DataObject) -> None:
        action, fields, _choices = form
        names = [n for n, _v in fields if n != "csrfmiddlewaretoken"]
        if not names:
            return
        target = data.draw(st.sampled_from(names))
        drop = data.draw(st.booleans())
        value = data.draw(odd)
        body: dict[str, list[str]] = {}
        for n, v in fields:
            if n == target and drop:
                continue
            body.setdefault(n, []).append(value if n == target else v)
        fuzz_counts[f"form {name}"] += 1
        before = _rows()
        sent = client.post(action, body)  # a view's exception is raised here: never a traceback
        assert sent.status_code < 500, (action, target, value, sent.status_code)
        if sent.status_code == 200 and b"errorlist" in sent.content:
            assert _rows() == before, (action, target, value)

    case()


# --- the JSON API's bodies ---------------------------------------------------------------------------------

json_odd: st.SearchStrategy[object] = st.one_of(
    odd,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
API_BODIES = {
    "diary/days": {"date": "2026-11-30", "pain_nrs": 4, "sleep_quality": 6, "stress": 3, "activity_minutes": 20},
    "diary/sessions": {"date": "2026-11-30", "kind": "massage", "pressure": 4, "relief": 3, "relief_days": 2},
}


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(API_BODIES))
def test_every_api_body_refuses_odd_input_cleanly(
    client: Client, personas: Personas, fuzz_counts: Counter[str], route: str
) -> None:
    from yotsu_web.api.models import ApiToken

    token = ApiToken.issue(personas.patient, "fuzz")[1]
    url = f"/api/v1/clinics/{personas.clinic.slug}/me/{route}"
    good = {**API_BODIES[route], "date": timezone.localdate().isoformat()}  # the clinic opened today

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(field=st.sampled_from([*good, "unknown_field"]), value=json_odd, drop=st.booleans(), raw=st.booleans())
    def case(field: str, value: object, drop: bool, raw: bool) -> None:
        statuses[sent_status(field, value, drop, raw)] += 1

    statuses: Counter[int] = Counter()

    def sent_status(field: str, value: object, drop: bool, raw: bool) -> int:
        fuzz_counts[f"API POST {route}"] += 1
        body = {k: v for k, v in good.items() if not (drop and k == field)}
        if not drop:
            body[field] = value
        data = json.dumps(body) if not raw else json.dumps(body)[: len(json.dumps(body)) // 2]  # cut short
        before = _rows()
        sent = client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert sent.status_code < 500, (body, sent.status_code)
        assert sent["Content-Type"].startswith("application/json"), sent["Content-Type"]
        if sent.status_code >= 400:
            assert _rows() == before, body
            detail = json.dumps(sent.json(), ensure_ascii=False)
            # the field by name; or the body as a whole when the strict JSON reader refused it before any field
            # was read (a cut-off body, an integer over 2**53), saying why
            assert raw or field in detail or field == "unknown_field" or '"invalid_json"' in detail, (body, detail)
        return int(sent.status_code)

    case()
    assert statuses[201] + statuses[200] > 0 and statuses[422] + statuses[400] > 0, statuses  # both outcomes
