from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yotsu_web.inquiries.models import Inquiry


class InquiryForm(forms.ModelForm):  # type: ignore[type-arg]
    name = forms.CharField(label=_("Your name"), max_length=200)
    contact = forms.CharField(
        label=_("How can we reach you?"),
        max_length=200,
        help_text=_("E-mail address, phone number or LINE ID."),
    )
    message = forms.CharField(
        label=_("Your current state"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where it hurts, since when, what makes it better or worse, what worries you."),
    )

    class Meta:
        model = Inquiry
        fields = ("name", "contact", "message")
