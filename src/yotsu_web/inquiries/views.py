from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import INQUIRY_INBOX, record, record_list
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import member_of
from yotsu_web.clinics.models import STAFF_ROLES, Clinic
from yotsu_web.inquiries.forms import InquiryForm
from yotsu_web.inquiries.models import Channel, Inquiry
from yotsu_web.inquiries.receive import receive_inquiry


@require_http_methods(["GET", "HEAD", "POST"])
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receive_inquiry(
            clinic, Channel.WEB, name=data["name"], contact=data["contact"], message=data["message"],
            submission_key=data["submission"],
        )  # fmt: skip
        return redirect("inquiries:thanks", clinic.slug)
    return render(request, "inquiries/landing.html", {"clinic": clinic, "form": form})


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    return render(request, "inquiries/thanks.html", {"clinic": clinic})


@login_required
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    membership = member_of(request, slug, STAFF_ROLES)
    inquiries = Inquiry.objects.filter(clinic=membership.clinic)
    record_list(request, membership.clinic, INQUIRY_INBOX)
    return render(request, "inquiries/inbox.html", {"clinic": membership.clinic, "inquiries": inquiries})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = member_of(request, slug, STAFF_ROLES)
    inquiry = get_object_or_404(Inquiry, clinic=membership.clinic, pk=pk)
    if request.method == "POST":
        inquiry.handled_at = None if inquiry.handled_at else timezone.now()
        inquiry.handled_by = request.user if inquiry.handled_at else None  # type: ignore[assignment]
        inquiry.save(update_fields=["handled_at", "handled_by"])
        record(request, membership.clinic, Action.CHANGE, inquiry)
        return redirect("inquiries:detail", slug, pk)
    record(request, membership.clinic, Action.VIEW, inquiry)
    return render(request, "inquiries/detail.html", {"clinic": membership.clinic, "inquiry": inquiry})
