from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu.pathway.referral import referral_for
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record
from yotsu_web.clinics.figures import svg_response
from yotsu_web.diary.cache import diary_parts
from yotsu_web.diary.charts import diary_figure
from yotsu_web.diary.forms import DayForm, SessionForm, SymptomForm, form_html
from yotsu_web.diary.models import DiaryDay, SymptomReport
from yotsu_web.diary.records import alerts_for, pathway_diary
from yotsu_web.referrals.models import Source
from yotsu_web.referrals.service import record_red_flag


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def diary(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's entry, a session, the chart and the alerts, on one page."""
    patient = own_record(request, slug)
    which = request.POST.get("form") if request.method == "POST" else None
    day_form = DayForm(request.POST if which == "day" else None, prefix="day")
    session_form = SessionForm(request.POST if which == "session" else None, prefix="session")
    if which == "day" and day_form.is_valid():
        values = {k: v for k, v in day_form.cleaned_data.items() if k != "date"}
        day, created = DiaryDay.objects.update_or_create(
            patient=patient, date=day_form.cleaned_data["date"], defaults=values
        )
        record(request, patient.clinic, Action.CREATE if created else Action.CHANGE, day)
        messages.success(request, _("Saved: your diary entry."))
        return redirect("diary:diary", slug)
    if which == "session" and session_form.is_valid():
        session = session_form.save(commit=False)
        session.patient = patient
        session.save()
        record(request, patient.clinic, Action.CREATE, session)
        messages.success(request, _("Saved: the session is in your diary."))
        return redirect("diary:diary", slug)
    alerts, parts = diary_parts(patient)  # alerts, charts and tables: once per change of the records
    context = {
        "clinic": patient.clinic,
        "day_form": day_form,
        "session_form": session_form,
        "day_form_html": form_html(day_form),
        "session_form_html": form_html(session_form),
        "alerts": alerts,
        "parts": parts,
    }
    return render(request, "diary/diary.html", context)


@login_required
def chart(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    diary_ = pathway_diary(patient)
    return svg_response(diary_figure(diary_, alerts_for(patient, diary_).pain))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def symptoms(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a warning sign that appeared since the self-check: triage runs again at once."""
    patient = own_record(request, slug)
    form = SymptomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        for flag in form.cleaned_data["flags"]:
            report = SymptomReport.objects.create(patient=patient, date=today, flag=flag)
            record(request, patient.clinic, Action.CREATE, report)
        flags = list(form.cleaned_data["flags"])
        referral = referral_for(flags)
        if referral is not None:
            record_red_flag(
                patient, Source.DIARY, referral.urgency.value, flags, where="diary", actor_id=request.user.pk
            )
            return redirect("referrals:referral", slug)
        messages.success(request, _("Saved: thank you for telling us."))
        return redirect("diary:diary", slug)
    return render(request, "diary/symptoms.html", {"clinic": patient.clinic, "form": form})
