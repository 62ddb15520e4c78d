from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PHONE = RegexValidator(r"^[0-9+\-() ]{6,20}$", _("Enter a phone number with digits and hyphens, e.g. 090-1234-5678."))


class GuestForm(forms.Form):
    """Who is coming, when they book without an account."""

    guest_name = forms.CharField(label=_("Your name"), max_length=100)
    guest_phone = forms.CharField(label=_("Phone"), max_length=20, validators=[PHONE])
    guest_email = forms.EmailField(label=_("E-mail"), help_text=_("The confirmation and the reminder go here."))
