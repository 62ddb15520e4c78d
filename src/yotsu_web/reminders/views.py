from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record
from yotsu_web.messaging.models import LineLink
from yotsu_web.reminders.forms import ReminderForm
from yotsu_web.reminders.models import ReminderPreference


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The time of day and the ways the patient wants to be reminded."""
    patient = own_record(request, slug)
    current = ReminderPreference.objects.filter(patient=patient).first() or ReminderPreference(patient=patient)
    form = ReminderForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        created = current.pk is None
        saved = form.save()
        record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, saved)
        return redirect("reminders:settings", slug)
    if current.pk is not None:
        record(request, patient.clinic, Action.VIEW, current)
    context = {"clinic": patient.clinic, "form": form, "linked": LineLink.objects.filter(patient=patient).exists()}
    return render(request, "reminders/settings.html", context)
