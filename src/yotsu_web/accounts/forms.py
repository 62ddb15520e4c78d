from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts.models import User


class PatientSignupForm(UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(label=_("E-mail address"))

    class Meta:
        model = User
        fields = ("username", "email")
