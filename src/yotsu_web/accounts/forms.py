from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts.identity import clean_birth_date, clean_furigana
from yotsu_web.accounts.models import User, new_internal_username

EMAIL_TAKEN = _("This e-mail address already has an account. Log in, or reset the password from the log-in page.")

_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]*$")


def clean_phone(text: str) -> str:
    value = " ".join(unicodedata.normalize("NFKC", text).replace("ー", "-").split())
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 7 <= digits <= 15:
        raise forms.ValidationError(
            _("Enter a phone number with digits and hyphens only, for example 090-1234-5678."), code="phone"
        )
    return value


class PatientSignupForm(UserCreationForm):  # type: ignore[type-arg]
    """A patient's account: identity, e-mail (how they log in), password and consent. The username is
    internal (``p-`` and random letters), made here, never asked and never shown to the patient."""

    full_name = forms.CharField(label=_("Name (氏名)"), max_length=100, help_text=_("For example 山田 花子."))
    furigana = forms.CharField(
        label=_("Name reading (フリガナ)"), max_length=100, help_text=_("In katakana, for example ヤマダ ハナコ.")
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("For example 1980-04-01.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("E-mail address"))
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that this clinic records my health information "
            "(要配慮個人情報) for my care."
        ),
        error_messages={"required": _("Without this consent the clinic cannot record your health information.")},
    )

    class Meta:
        model = User
        fields = ("full_name", "furigana", "birth_date", "phone", "email")

    def clean_full_name(self) -> str:
        return " ".join(unicodedata.normalize("NFKC", self.cleaned_data["full_name"]).split())

    def clean_furigana(self) -> str:
        return clean_furigana(self.cleaned_data["furigana"])

    def clean_birth_date(self) -> dt.date:
        return clean_birth_date(self.cleaned_data["birth_date"], timezone.localdate())

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.username = new_internal_username()
        while User.objects.filter(username=user.username).exists():  # never in practice; drawn again if so
            user.username = new_internal_username()
        if commit:
            user.save()
        return user
