from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu_web.referrals.models import Clearance


class ClearanceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Clearance
        fields = ("doctor", "seen_on", "outcome", "note")
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "seen_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_seen_on(self) -> object:
        seen = self.cleaned_data["seen_on"]
        if seen > timezone.localdate():
            raise forms.ValidationError(_("The date seen cannot be in the future."))
        return seen
