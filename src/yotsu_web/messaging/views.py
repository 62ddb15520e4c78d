"""The patient-clinic thread, in the portal and on the desk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, own_record, post_only
from yotsu_web.journey.facts import mark_seen
from yotsu_web.journey.models import Page
from yotsu_web.messaging.forms import MessageForm
from yotsu_web.messaging.linking import new_code
from yotsu_web.messaging.models import LineChannel, LineLink, LinkCode, Message, Origin
from yotsu_web.messaging.send import post_clinic_message


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = Message.objects.create(
            patient=patient, origin=Origin.PATIENT, author=request.user, text=form.cleaned_data["text"]
        )
        record(request, patient.clinic, Action.CREATE, message)
        messages.success(request, _("Sent: the clinic will see your message."))
        return redirect("messaging:thread", slug)
    code = LinkCode.objects.filter(patient=patient, used_at=None, expires_at__gt=timezone.now()).first()
    context = {
        "clinic": patient.clinic,
        "messages_": Message.objects.filter(patient=patient),
        "form": form,
        "linked": LineLink.objects.filter(patient=patient).exists(),
        "line_available": bool(patient.clinic.line_channel_secret)
        and LineChannel.objects.filter(clinic=patient.clinic).exists(),
        "code": code,
    }
    record(request, patient.clinic, Action.VIEW, patient)
    mark_seen(patient, Page.MESSAGES)
    return render(request, "messaging/thread.html", context)


@login_required
def link_code(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    code = new_code(patient)
    record(request, patient.clinic, Action.CREATE, code)
    return redirect("messaging:thread", slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk_thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = post_clinic_message(patient, request.user, form.cleaned_data["text"])
        record(request, staff.clinic, Action.CREATE, message)
        return redirect("messaging:desk-thread", slug, pk)
    Message.objects.filter(patient=patient, origin=Origin.PATIENT, read_by_clinic_at=None).update(
        read_by_clinic_at=timezone.now()
    )
    context = {
        "clinic": staff.clinic,
        "patient": patient,
        "messages_": Message.objects.filter(patient=patient),
        "form": form,
        "linked": LineLink.objects.filter(patient=patient).exists(),
    }
    record(request, staff.clinic, Action.VIEW, patient)
    return render(request, "messaging/desk_thread.html", context)
