"""The guided portal: one next step from the pathway's rule, progress, counts, and every save confirmed."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.instruments import score
from yotsu.pathway.journey import Step
from yotsu_web.assessments.catalogue import offers
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.journey.facts import journey_facts
from yotsu_web.messaging.models import Message, Origin
from yotsu_web.programme.models import Proposal
from yotsu_web.referrals.models import RedFlagEvent
from yotsu_web.selfcheck.models import SavedSelfCheck

from .conftest import Personas
from .programme_helpers import make_programme

ANSWERS = {"nrs_pain": {"q1": 5}, "phq4": {"q1": 1, "q2": 0, "q3": 1, "q4": 0}}


def portal(client: Client) -> str:
    response = client.get(reverse("clinics:portal", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    return response.content.decode()


def card(page: str) -> tuple[str, str, str]:
    """The next-step card's step id, link and progress line."""
    match = re.search(r'id="next-step" data-step="(\w+)".*?<a class="button primary" href="([^"]+)".*?id="progress">'
                      r'.*?</progress>\s*([^<]+)</p>', page, re.S)  # fmt: skip
    assert match, "the portal shows one next-step card"
    return match.group(1), match.group(2), match.group(3).strip()


def complete(patient: Membership, instrument_id: str) -> None:
    result = score(instrument_id, ANSWERS[instrument_id])
    QuestionnaireResponse.objects.create(
        patient=patient, instrument=instrument_id, answers=ANSWERS[instrument_id], completed_at=timezone.now(),
        total=result.total.value,
    )  # fmt: skip


def test_the_card_walks_a_new_patient_through_the_pathways_steps(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    client.force_login(personas.patient)
    url = {
        name: reverse(view, args=["sakura"])
        for name, view in {
            "self_check": "selfcheck:start", "questionnaires": "assessments:list", "body_map": "bodymap:training",
            "explanation": "explain:mine", "plan": "assessments:plan", "exercises": "programme:today",
            "diary": "diary:diary",
        }.items()
    }  # fmt: skip
    assert card(portal(client)) == (Step.SELF_CHECK, url["self_check"], "はじめの準備：5つのうち0つ完了")
    SavedSelfCheck.objects.create(patient=record, route="in_scope", answers={})
    assert card(portal(client))[:2] == (Step.QUESTIONNAIRES, url["questionnaires"])
    readable = sorted(o.instrument.id for o in offers(record.clinic, "ja") if o.readable)
    assert readable == sorted(ANSWERS), "the walk answers every questionnaire the patient can answer"
    complete(record, readable[0])
    page = portal(client)
    assert card(page)[0] == Step.QUESTIONNAIRES and "あと1つ" in page  # the count, in plain words
    complete(record, readable[1])
    assert card(portal(client))[:2] == (Step.BODY_MAP, url["body_map"])
    LeftRightSession.objects.create(patient=record, n_trials=20, accuracy=0.9, median_rt_ms=900)
    assert card(portal(client))[:2] == (Step.EXPLANATION, url["explanation"])
    assert client.get(url["explanation"]).status_code == 200  # read: the step is done
    assert card(portal(client))[:2] == (Step.PLAN, url["plan"])
    make_programme(record)
    assert client.get(url["plan"]).status_code == 200
    step, link, progress = card(portal(client))
    assert (step, link, progress) == (Step.EXERCISES, url["exercises"], "はじめの準備：5つのうち5つ完了")
    for entry in record.programme.exercises.all():
        response = client.post(reverse("programme:log", args=["sakura"]), {"entry": entry.pk, "status": "done",
                                                                           "pain": 2}, follow=True)  # fmt: skip
        assert "保存しました" in response.content.decode()  # the save is confirmed on screen
    assert card(portal(client))[:2] == (Step.DIARY, url["diary"])
    day = {"form": "day", "day-date": timezone.localdate().isoformat(), "day-pain_nrs": 3}
    response = client.post(url["diary"], day, follow=True)
    assert "保存しました：日記を記録しました。" in response.content.decode()
    assert card(portal(client))[0] == Step.DONE_TODAY


def test_an_open_red_flag_puts_the_referral_card_first_at_any_stage(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    SavedSelfCheck.objects.create(patient=record, route="in_scope", answers={})
    RedFlagEvent.objects.create(patient=record, source="diary", route="emergency", flags=["saddle_numbness"],
                                answered_at=timezone.now())  # fmt: skip
    client.force_login(personas.patient)
    page = portal(client)
    step, link, progress = card(page)
    assert (step, link) == (Step.REFERRAL, reverse("referrals:referral", args=["sakura"]))
    assert "1つ完了" in progress  # progress is still shown
    assert 'class="next-step urgent"' in page


def test_unread_messages_and_new_proposals_are_counted_until_opened(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    client.force_login(personas.patient)
    entry = make_programme(record).exercises.first()
    assert client.get(reverse("programme:today", args=["sakura"])).status_code == 200
    Message.objects.create(patient=record, origin=Origin.CLINIC, author=personas.practitioner, text="こんにちは")
    Message.objects.create(patient=record, origin=Origin.PATIENT, author=personas.patient, text="はい")  # own: not new
    assert entry is not None
    Proposal.objects.create(entry=entry, patient=record, day=timezone.localdate(), step="progress", from_level=1,
                            to_level=2, to_dose={}, reason_en="easy", reason_ja="楽")  # fmt: skip
    page = portal(client)
    assert re.search(r'id="unread-messages">新着1件<', page)
    assert re.search(r'id="new-proposals">新しい変更1件<', page)
    facts = journey_facts(record, "ja")
    assert (facts.unread_messages, facts.new_proposals) == (1, 1)

    response = client.post(reverse("messaging:thread", args=["sakura"]), {"text": "ありがとうございます"}, follow=True)
    assert "送信しました" in response.content.decode()  # the send is confirmed; opening the thread reads it
    client.get(reverse("programme:today", args=["sakura"]))
    page = portal(client)
    assert 'id="unread-messages"' not in page and 'id="new-proposals"' not in page


def test_the_explanation_questions_save_is_confirmed(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    data = {"profile-sleep_quality": 6, "profile-life_pressure": 4}
    response = client.post(reverse("explain:questions", args=["sakura"]), data, follow=True)
    assert "保存しました：この回答を説明に反映しました。" in response.content.decode()


def test_every_patient_page_is_reachable_from_the_portal(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = portal(client)
    for view in ("programme:today", "diary:diary", "assessments:list", "bodymap:training", "explain:mine",
                 "assessments:plan", "selfcheck:start", "messaging:thread", "exports:mine"):  # fmt: skip
        assert f'href="{reverse(view, args=["sakura"])}"' in page, view
