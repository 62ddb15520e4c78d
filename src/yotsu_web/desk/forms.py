from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu_web.bodymap.models import ClinicTest
from yotsu_web.desk.models import Note


class NoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Note
        fields = ("text",)
        widgets: ClassVar[dict[str, Any]] = {"text": forms.Textarea(attrs={"rows": 3})}


class ClinicTestForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ClinicTest
        fields = ("date", "tpd_mm", "repositioning_error_deg")
        widgets: ClassVar[dict[str, Any]] = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tpd_mm") is None and data.get("repositioning_error_deg") is None:
            raise forms.ValidationError(_("Enter at least one measurement."))
        return data
