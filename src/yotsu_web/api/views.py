"""The account's API tokens: list, create (the token is shown once) and revoke. A user sees only their own."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yotsu_web.api.models import ApiToken
from yotsu_web.clinics.access import post_only


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user_id=request.user.pk),
    }
    response = render(request, "api/tokens.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"  # the page may show a new token once
    return response


@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, user_id=request.user.pk, pk=pk)
    if (refused := post_only(request)) is not None:
        return refused
    token.revoke()
    return redirect("tokens:list")
