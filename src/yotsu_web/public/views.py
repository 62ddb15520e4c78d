"""The clinic's public page (phone first) and the site root."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yotsu_web.clinics.models import Clinic
from yotsu_web.public import page


def clinic_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Who the clinic is, where and when, what it costs, and the three ways in: book, self-check, ask."""
    clinic = get_object_or_404(Clinic, slug=slug)
    info = page.build(clinic)
    context = {
        "clinic": clinic,
        "page": info,
        "canonical_url": request.build_absolute_uri(reverse("public:clinic", args=[slug])),
        "json_ld": page.json_ld(info, request),
        "booking_url": _booking_url(slug),
    }
    return render(request, "public/clinic.html", context)


def _booking_url(slug: str) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("booking:start", args=[slug])
    except NoReverseMatch:
        return ""


def clinic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/clinics.html", {"clinics": Clinic.objects.order_by("name")})


def root(request: HttpRequest) -> HttpResponse:
    """The site root: a member's home; for anyone else the clinic's page (one clinic) or the clinic list."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    slugs = list(Clinic.objects.values_list("slug", flat=True)[:2])
    if len(slugs) == 1:
        return redirect("public:clinic", slugs[0])
    return redirect("public:clinics")
