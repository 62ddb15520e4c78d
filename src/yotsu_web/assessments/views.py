"""Questionnaires one item per screen, each answer saved as it is given; scored by the pathway."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu.pathway.instruments import (
    InstrumentError,
    UnknownInstrumentError,
    instrument,
    item_text,
    option_label,
)
from yotsu.pathway.support import support_needed
from yotsu_web.assessments.catalogue import offer, offers
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record, post_only
from yotsu_web.clinics.lang import current_lang
from yotsu_web.referrals.service import notify_support


def instrument_name(instrument_id: str, lang: str) -> str:
    try:
        return instrument(instrument_id).name(lang)
    except UnknownInstrumentError:
        return instrument_id


@login_required
def questionnaires(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    context = {
        "clinic": patient.clinic,
        # Only what the patient can answer: an instrument without licensed text in this language is
        # not offered at all (the clinic loads its text in the admin), never shown as a licence notice.
        "offers": [o for o in offers(patient.clinic, current_lang()) if o.readable],
        "responses": [
            (r, instrument_name(r.instrument, current_lang()))
            for r in QuestionnaireResponse.objects.filter(patient=patient)
        ],
    }
    return render(request, "assessments/list.html", context)


@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or resume) a questionnaire; the instrument id travels in the POST body."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        inst = instrument(request.POST.get("instrument", ""))
    except UnknownInstrumentError:
        return HttpResponseBadRequest()
    if not offer(patient.clinic, inst, current_lang()).readable:
        return HttpResponseBadRequest()
    response, _ = QuestionnaireResponse.objects.get_or_create(patient=patient, instrument=inst.id, completed_at=None)
    return redirect("assessments:fill", slug, response.pk)


def _item_context(response: QuestionnaireResponse, lang: str, texts: Any) -> dict[str, Any]:
    inst = instrument(response.instrument)
    item = inst.items[response.position]
    options = [
        (o.value, option_label(inst, item.response_set, o.value, lang, texts))
        for o in inst.response_sets[item.response_set]
    ]
    return {
        "item": item,
        "text": item_text(inst, item.id, lang, texts),
        "options": options,
        "current": response.answers.get(item.id),
        "number": response.position + 1,
        "can_skip": inst.missing.max_missing > 0,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def fill(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    patient = own_record(request, slug)
    response = get_object_or_404(QuestionnaireResponse, patient=patient, pk=pk)
    inst = instrument(response.instrument)
    lang = current_lang()
    questionnaire = offer(patient.clinic, inst, lang)
    if response.completed_at is not None:
        result = response.result()
        done = {"clinic": patient.clinic, "response": response, "result": result, "inst": inst}
        done["support"] = support_needed(result)
        return render(request, "assessments/result.html", done)
    if not questionnaire.readable:
        return render(request, "assessments/unavailable.html", {"clinic": patient.clinic, "inst": inst})
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "finish":
            try:
                result = response.result()
            except InstrumentError as exc:
                error = exc.localized(lang)
            else:
                response.completed_at = timezone.now()
                response.total = result.total.value
                response.scores = {k: v.value for k, v in result.scores.items()}
                response.classification = result.classification.id if result.classification else ""
                response.save()
                record(request, patient.clinic, Action.CREATE, response)
                if support_needed(result) is not None:
                    notify_support(patient, response.pk)
                messages.success(request, _("Saved: your answers are in your record."))
                return redirect("assessments:fill", slug, pk)
        elif action == "back":
            response.position = max(0, response.position - 1)
            response.save(update_fields=["position"])
            return redirect("assessments:fill", slug, pk)
        elif action in {"answer", "skip"} and response.position < len(inst.items):
            item = inst.items[response.position]
            if action == "answer":
                try:
                    value: int | None = int(request.POST.get("answer", ""))
                except ValueError:
                    value = -1
                if value not in inst.allowed_answers(item.id):
                    return HttpResponseBadRequest()
            elif inst.missing.max_missing == 0:
                return HttpResponseBadRequest()
            else:
                value = None
            response.answers[item.id] = value
            response.position += 1
            response.save(update_fields=["answers", "position"])
            return redirect("assessments:fill", slug, pk)
        else:
            return HttpResponseBadRequest()
    context: dict[str, Any] = {
        "clinic": patient.clinic,
        "response": response,
        "inst": inst,
        "count": len(inst.items),
        "recall": inst.recall.get(lang) or (questionnaire.texts.recall.get(lang) if questionnaire.texts else ""),
        "error": error,
    }
    if response.position < len(inst.items):
        context |= _item_context(response, lang, questionnaire.texts)
        return render(request, "assessments/item.html", context)
    context["answered"] = sum(v is not None for v in response.answers.values())
    return render(request, "assessments/review.html", context)
