"""Log in by e-mail address or by user name (the user name is internal; patients know their e-mail).

An e-mail address is turned into the one active account that uses it, both for logging in and for
django-axes (``AXES_USERNAME_CALLABLE``), so failures by e-mail and by user name count against the same
account and the five-failure lock-out cannot be doubled by switching between them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def account_name(entered: str) -> str:
    """The user name of the single active account with e-mail ``entered``; else ``entered`` unchanged."""
    from yotsu_web.accounts.models import User

    entered = entered.strip()
    if "@" not in entered:
        return entered
    names = list(User.objects.filter(email__iexact=entered, is_active=True).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else entered


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    entered = (credentials or {}).get("username") or request.POST.get("username", "")
    return account_name(str(entered))


class EmailOrUsernameForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self) -> dict[str, Any]:
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = account_name(self.cleaned_data["username"])
        return super().clean()
