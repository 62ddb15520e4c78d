"""Password reset by e-mail, with Django's own views and the site's templates.

Outside the ``accounts`` namespace on purpose: Django's views find each other by these default names, and
the confirmation link carries Django's signed user id and token (never health data); the view swaps the
token for a session key at once, so it does not stay in the address bar.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

T = "accounts/password_reset"
urlpatterns = [
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
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
]
