"""The public self-check: red flags first from the pathway's data, then the scope check."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from yotsu.pathway.triage import triage_rules
from yotsu_web.selfcheck.models import SavedSelfCheck

from .conftest import Personas


def url(slug: str = "sakura") -> str:
    return reverse("selfcheck:start", args=[slug])


def all_no(age: int = 40, weeks: int = 20) -> dict[str, object]:
    flags = {q: "no" for q in triage_rules().flag_question_ids()}
    return {"step": "flags", "age_years": age, "pain_duration_weeks": weeks, **flags}


def test_first_page_asks_age_duration_and_every_red_flag_question_in_japanese(
    client: Client, personas: Personas
) -> None:
    page = client.get(url()).content.decode()
    rules = triage_rules()
    for _qid, question in rules.flag_questions():
        assert question.ja in page
    assert rules.age.question.ja in page and rules.scope.questions.pain_duration_weeks.ja in page
    assert 'name="age_years"' in page and 'name="step" value="flags"' in page


def test_age_factor_refers_from_the_first_page(client: Client, personas: Personas) -> None:
    """Over 50 with pain that began 4 weeks ago: the malignancy check, before any scope question."""
    page = client.post(url(), all_no(age=63, weeks=4), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert triage_rules().flag("age_over_50_new_pain").referral.en in page
    assert 'name="examined_by_doctor"' not in page


def test_a_missing_or_impossible_age_is_asked_again(client: Client, personas: Personas) -> None:
    data = all_no()
    del data["age_years"]
    assert "errorlist" in client.post(url(), data).content.decode()
    page = client.post(url(), all_no(age=400)).content.decode()
    assert "errorlist" in page and 'name="step" value="flags"' in page


@pytest.mark.parametrize("flag_id", ["saddle_numbness", "significant_trauma"])
def test_a_red_flag_stops_with_the_referral_for_its_urgency(client: Client, personas: Personas, flag_id: str) -> None:
    flag = triage_rules().flag(flag_id)
    response = client.post(url(), {**all_no(), flag_id: "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert flag.referral.en in page  # in the language the browser asked for
    assert "route-" + flag.urgency.value in page
    assert 'name="examined_by_doctor"' not in page  # the flow stopped: no scope questions
    assert reverse("accounts:signup", args=["sakura"]) not in page


def test_no_flag_leads_to_the_scope_check_with_answers_carried_hidden(client: Client, personas: Personas) -> None:
    page = client.post(url(), all_no()).content.decode()
    assert 'name="step" value="scope"' in page
    assert 'type="hidden" name="saddle_numbness" value="no"' in page
    assert 'type="hidden" name="age_years" value="40"' in page
    assert triage_rules().scope.questions.examined_by_doctor.ja in page


def scope(weeks: int, examined: str = "yes", serious: str = "no") -> dict[str, object]:
    data = {**all_no(weeks=weeks), "step": "scope", "examined_by_doctor": examined}
    return data | ({"doctor_found_serious_cause": serious} if serious else {})


def test_in_scope_invites_to_sign_up_or_contact(client: Client, personas: Personas) -> None:
    page = client.post(url(), scope(20)).content.decode()
    assert triage_rules().routes["in_scope"].ja in page
    assert reverse("accounts:signup", args=["sakura"]) in page
    assert reverse("inquiries:landing", args=["sakura"]) in page


def test_recent_pain_is_out_of_scope_with_the_reason(client: Client, personas: Personas) -> None:
    page = client.post(url(), scope(4)).content.decode()
    assert triage_rules().scope.reasons.too_recent.ja in page
    assert reverse("accounts:signup", args=["sakura"]) not in page


def test_examined_without_the_finding_answer_asks_again(client: Client, personas: Personas) -> None:
    page = client.post(url(), scope(20, serious="")).content.decode()
    assert 'name="step" value="scope"' in page and "errorlist" in page


def test_nothing_is_stored_for_an_anonymous_self_check(client: Client, personas: Personas) -> None:
    client.post(url(), {**all_no(), "saddle_numbness": "yes"})
    client.post(url(), scope(20))
    assert not SavedSelfCheck.objects.exists()


def test_a_patient_may_choose_to_save_and_the_route_is_recomputed(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert reverse("selfcheck:save", args=["sakura"]) in client.post(url(), scope(20)).content.decode()
    answers = {q: False for q in triage_rules().flag_question_ids()} | {"saddle_numbness": True, "age_years": 40}
    response = client.post(reverse("selfcheck:save", args=["sakura"]), {"answers": json.dumps(answers)})
    assert response.status_code == 302
    saved = SavedSelfCheck.objects.get()
    assert saved.patient == personas.patient_record
    assert (saved.route, saved.raised_flags) == ("emergency", ["saddle_numbness"])


def test_saving_refuses_answers_triage_does_not_know(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    bad = json.dumps({"not_a_question": True})
    assert client.post(reverse("selfcheck:save", args=["sakura"]), {"answers": bad}).status_code == 400
    assert not SavedSelfCheck.objects.exists()
