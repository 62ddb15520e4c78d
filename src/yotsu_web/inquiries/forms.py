from __future__ import annotations

import uuid

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

    # A one-time token in the page: the same form sent twice is stored once (``receive_inquiry``).
    submission = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Inquiry
        fields = ("name", "contact", "message")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["submission"].initial = str(uuid.uuid4())

    def clean_submission(self) -> uuid.UUID | None:
        """The page's token, or None for a form sent without one (it is then not protected against a
        second sending; nothing else changes)."""
        try:
            return uuid.UUID(self.cleaned_data.get("submission") or "")
        except ValueError:
            return None
