"""The account's date of birth fills the self-check's age question; the pathway counts the years and
decides the age factors (the web only passes the age)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway import age_years_on
from yotsu.pathway.triage import InvalidAnswerError, triage_rules

from .conftest import Personas
from .test_selfcheck import all_no


def born_years_ago(years: int) -> dt.date:
    return dt.date(timezone.localdate().year - years, 1, 1)  # 1 January: exactly ``years`` old today


def age_field(page: str) -> str:
    start = page.index('name="age_years"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def test_patients_age_is_filled_in_from_the_date_of_birth(client: Client, personas: Personas) -> None:
    personas.patient.birth_date = born_years_ago(63)
    personas.patient.save()
    client.force_login(personas.patient)
    page = client.get(reverse("selfcheck:start", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'value="63"' in age_field(page) and 'id="age_years-help"' in page and "生年月日" in page


def test_without_a_date_of_birth_the_age_is_asked_empty(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = client.get(reverse("selfcheck:start", args=["sakura"])).content.decode()
    assert "value=" not in age_field(page) and 'id="age_years-help"' not in page
    anonymous = Client().get(reverse("selfcheck:start", args=["sakura"])).content.decode()
    assert "value=" not in age_field(anonymous)


def test_the_filled_age_feeds_the_over_50_new_pain_flag(client: Client, personas: Personas) -> None:
    personas.patient.birth_date = born_years_ago(63)
    personas.patient.save()
    client.force_login(personas.patient)
    page = client.get(reverse("selfcheck:start", args=["sakura"])).content.decode()
    age = int(age_field(page).split('value="')[1].split('"')[0])
    answers = all_no(age=age, weeks=4)
    result = client.post(reverse("selfcheck:start", args=["sakura"]), answers, HTTP_ACCEPT_LANGUAGE="en")
    assert triage_rules().flag("age_over_50_new_pain").referral.en in result.content.decode()


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        ("1976-02-29", "2026-02-28", 49),
        ("1976-02-29", "2026-03-01", 50),
        ("1956-06-15", "2026-06-14", 69),
        ("1956-06-15", "2026-06-15", 70),
        ("2026-06-15", "2026-06-15", 0),
    ],
)
def test_pathway_counts_completed_years(born: str, on: str, years: int) -> None:
    assert age_years_on(dt.date.fromisoformat(born), dt.date.fromisoformat(on)) == years


def test_pathway_refuses_a_birth_after_the_day() -> None:
    with pytest.raises(InvalidAnswerError, match="age_years"):
        age_years_on(dt.date(2030, 1, 1), dt.date(2026, 1, 1))
