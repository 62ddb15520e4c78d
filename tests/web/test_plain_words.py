"""Plain words: every patient-facing page, rendered in Japanese for a demo patient, holds no statistical or
technical term (those stay on the practitioner's desk) and no raw code or identifier.

The forbidden terms are the ones the glossary (``yotsu.pathway.glossary``, shown on the patient's "words
used here" page) replaces with everyday words; the codes are the pathway's own ids (instruments, tests,
parameters, routes).
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from yotsu.model import parameter_table
from yotsu.pathway.glossary import forbidden_on_patient_pages
from yotsu.pathway.instruments import instruments
from yotsu.pathway.profile import profile_mapping
from yotsu_web import demo
from yotsu_web.assessments.catalogue import offers
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Membership

#: Technical words a patient should not need: the glossary's forbidden ones, in both languages (a Japanese
#: page must not fall back to the English technical word either).
JARGON = (*forbidden_on_patient_pages("ja"), *forbidden_on_patient_pages("en"), "MCID")

#: Pages a patient opens (URL name -> extra args); each is rendered in Japanese.
PAGES = (
    "clinics:portal", "selfcheck:start", "assessments:list", "assessments:plan", "diary:diary", "diary:symptoms",
    "bodymap:training", "explain:mine", "programme:today", "programme:sheet", "messaging:thread",
    "exports:mine", "referrals:referral", "reminders:settings", "clinics:words",
)  # fmt: skip

CLINIC_NAME = "Yotsu demo clinic"  # the demo clinic's own name, data rather than interface text
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def codes() -> set[str]:
    out = set(instruments()) | set(parameter_table())
    out |= {k for k in profile_mapping().inputs} | {"left_right", "two_point", "repositioning", "in_scope"}
    return out


def visible_text(page: str) -> str:
    """What a reader sees or hears: text, and the alt, title, aria-label and placeholder attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attrs = re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attrs]))


def problems(text: str) -> list[str]:
    """Each forbidden term or code in ``text``, with a few characters either side to find it by."""
    found = {term for term in JARGON if term in text}
    found |= set(SNAKE.findall(text))
    found |= {c for c in codes() if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text)}
    found |= set(ENGLISH.findall(text.replace(CLINIC_NAME, "")))
    return sorted(found)


#: Untranslated English: three or more words of letters in a row (names such as "PHQ-4" are not words).
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def context(text: str, term: str) -> str:
    """``term`` with a few characters either side, to find it in the page by."""
    match = re.search(rf".{{0,30}}{re.escape(term)}.{{0,30}}", text, re.S)
    return re.sub(r"\s+", " ", match.group(0)) if match else term


@pytest.fixture(params=demo.DEMO_PATIENTS)
def demo_patient(request: pytest.FixtureRequest, db: None) -> Membership:
    """Each demo patient: improving, massage pressure escalating, a silent diary."""
    demo.create_demo_data()
    return Membership.objects.get(user__username=request.param, clinic__slug=demo.DEMO_CLINIC_SLUG)


def test_the_checker_catches_jargon_and_codes() -> None:
    assert problems("モデルは母集団の事前分布を使います") == ["事前分布", "母集団", "母集団の事前分布"]
    assert problems("<p>phq4: 3</p> left_right") == ["left_right", "phq4"]
    assert problems(visible_text('<img alt="10パーセンタイル">')) == ["パーセンタイル"]
    assert problems("こんにちは") == []
    assert problems("痛み Not available yet") == ["Not available yet"]


@pytest.mark.parametrize("lang", ["ja"])
def test_every_patient_page_speaks_plain_japanese(client: Client, demo_patient: Membership, lang: str) -> None:
    client.force_login(demo_patient.user)
    slug = demo_patient.clinic.slug
    readable = next(o for o in offers(demo_patient.clinic, lang) if o.readable)
    started = QuestionnaireResponse.objects.create(patient=demo_patient, instrument=readable.instrument.id)
    urls = [reverse(name, args=[slug]) for name in PAGES]
    urls.append(reverse("assessments:fill", args=[slug, started.pk]))
    failures = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        if found := problems(text):
            failures[url] = [context(text, f) for f in found]
    assert failures == {}, "\n".join(f"{u}: {v}" for u, v in failures.items())


@pytest.mark.django_db
def test_the_referral_and_support_pages_speak_plain_japanese(client: Client) -> None:
    from django.utils import timezone

    from yotsu.pathway.instruments import score
    from yotsu_web.referrals.models import RedFlagEvent

    demo.create_demo_data()
    patient = Membership.objects.get(user__username=demo.DEMO_PATIENTS[0], clinic__slug=demo.DEMO_CLINIC_SLUG)
    slug = patient.clinic.slug
    answers = {"q1": 3, "q2": 3, "q3": 3, "q4": 3}  # severe: the support message shows
    severe = QuestionnaireResponse.objects.create(
        patient=patient, instrument="phq4", answers=answers, position=4, completed_at=timezone.now(),
        total=score("phq4", answers).total.value,
    )  # fmt: skip
    RedFlagEvent.objects.create(patient=patient, source="diary", route="emergency", flags=["saddle_numbness"],
                                answered_at=timezone.now())  # fmt: skip
    client.force_login(patient.user)
    for url in (reverse("clinics:portal", args=[slug]), reverse("referrals:referral", args=[slug]),
                reverse("assessments:fill", args=[slug, severe.pk])):  # fmt: skip
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200, url
        assert problems(visible_text(response.content.decode())) == [], url


@pytest.mark.django_db
def test_the_words_page_explains_every_glossary_term_in_plain_japanese(client: Client) -> None:
    from yotsu.pathway.glossary import glossary

    demo.create_demo_data()
    patient = Membership.objects.get(user__username=demo.DEMO_PATIENTS[0], clinic__slug=demo.DEMO_CLINIC_SLUG)
    client.force_login(patient.user)
    page = client.get(reverse("clinics:words", args=[patient.clinic.slug]), HTTP_ACCEPT_LANGUAGE="ja")
    text = page.content.decode()
    for key, term in glossary().items():
        assert f'id="word-{key}"' in text and term.plain.ja in text and term.meaning.ja in text
        assert (term.technical.ja in text) == (term.patient_pages == "explained")
    portal = client.get(reverse("clinics:portal", args=[patient.clinic.slug])).content.decode()
    assert reverse("clinics:words", args=[patient.clinic.slug]) in portal
