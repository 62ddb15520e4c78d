"""Password reset by e-mail, with Django's own views and the site's templates (limited to a few requests
an hour per address and per client); and the e-mail confirmation link.

Outside the ``accounts`` namespace on purpose: Django's views find each other by these default names, and
the confirmation link carries Django's signed user id and token (never health data); the view swaps the
token for a session key at once, so it does not stay in the address bar. The confirmation link carries
a signed account id and address (``accounts.confirm``), also never health data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts import throttle, views


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset, counted per address and per client before anything is looked up or sent: the same
    answer whether or not an account uses the address, and the same limit."""

    def form_valid(self, form: Any) -> HttpResponse:
        if not throttle.allow("reset", self.request, form.cleaned_data["email"]):
            form.add_error(None, _("Several links were asked for in the last hour. Please wait an hour and try again."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


T = "accounts/password_reset"
urlpatterns = [
    path(
        "password-reset/",
        LimitedPasswordResetView.as_view(
            template_name=f"{T}/form.html",
            email_template_name=f"{T}/email.txt",
            subject_template_name=f"{T}/subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=f"{T}/sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name=f"{T}/confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=f"{T}/complete.html"),
        name="password_reset_complete",
    ),
    path("confirm-email/<str:token>/", views.confirm_email, name="email_confirm"),
]
