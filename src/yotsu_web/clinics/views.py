from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yotsu_web.clinics.access import own_record
from yotsu_web.diary.records import alerts_for


@login_required
def portal(request: HttpRequest, slug: str) -> HttpResponse:
    """The patient's own start page in one clinic, with any alert on top."""
    membership = own_record(request, slug)
    context = {"clinic": membership.clinic, "membership": membership, "alerts": alerts_for(membership)}
    return render(request, "clinics/portal.html", context)
