from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from yotsu.pathway.glossary import glossary
from yotsu.pathway.journey import Step
from yotsu_web.accounts.consent import consent_due
from yotsu_web.clinics.access import own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.diary.cache import patient_alerts
from yotsu_web.journey.facts import journey

#: Where each next step is done (the pathway decides which; the portal links to it).
STEP_PAGES = {
    Step.REFERRAL: "referrals:referral",
    Step.SELF_CHECK: "selfcheck:start",
    Step.QUESTIONNAIRES: "assessments:list",
    Step.BODY_MAP: "bodymap:training",
    Step.EXPLANATION: "explain:mine",
    Step.PLAN: "assessments:plan",
    Step.EXERCISES: "programme:today",
    Step.DIARY: "diary:diary",
    Step.DONE_TODAY: "diary:diary",
}


@login_required
def portal(request: HttpRequest, slug: str) -> HttpResponse:
    """The patient's own start page in one clinic: the one next step on top, with progress and counts."""
    membership = own_record(request, slug)
    lang = current_lang()
    step = journey(membership, lang, request)
    context = {
        "clinic": membership.clinic,
        "membership": membership,
        "alerts": patient_alerts(membership),
        "next": step,
        "next_title": step.title(lang),
        "next_text": step.text(lang),
        "next_url": reverse(STEP_PAGES[step.step], args=[slug]),
        "done_count": len(step.done),
        "consent_due": consent_due(membership),
    }
    return render(request, "clinics/portal.html", context)


@login_required
def words(request: HttpRequest, slug: str) -> HttpResponse:
    """The glossary: the everyday words used on these pages and what they mean (``yotsu.pathway.glossary``).
    A technical word is named only where patient pages may use it; the others never reach a patient."""
    membership = own_record(request, slug)
    lang = current_lang()
    terms = [
        {
            "id": key,
            "plain": t.plain(lang),
            "meaning": t.meaning(lang),
            "technical": t.technical(lang) if t.patient_pages == "explained" else "",
        }
        for key, t in glossary().items()
    ]
    return render(request, "clinics/words.html", {"clinic": membership.clinic, "terms": terms})
