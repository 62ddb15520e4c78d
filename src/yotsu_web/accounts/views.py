from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from yotsu_web.accounts.forms import PatientSignupForm
from yotsu_web.clinics.models import Clinic, Membership, Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after logging in: their clinics and what they can open there."""
    memberships = Membership.objects.filter(user_id=request.user.pk).select_related("clinic")
    return render(request, "accounts/home.html", {"memberships": memberships})


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    """A new patient creates an account with one clinic."""
    clinic = get_object_or_404(Clinic, slug=slug)
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = PatientSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("clinics:portal", clinic.slug)
    return render(request, "accounts/signup.html", {"clinic": clinic, "form": form})
