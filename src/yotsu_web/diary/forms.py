from __future__ import annotations

from typing import Any, ClassVar

import pydantic
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.diary import Session, SessionKind
from yotsu.pathway.triage import triage_rules
from yotsu_web.clinics.lang import current_lang
from yotsu_web.diary.models import DiaryDay, DiarySession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCALE = forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"})


class DayForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DiaryDay
        fields = ("date", "pain_nrs", "sleep_quality", "stress", "activity_minutes")
        widgets: ClassVar[dict[str, Any]] = {
            "date": DATE,
            "pain_nrs": SCALE,
            "sleep_quality": SCALE,
            "stress": SCALE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DiarySession
        fields = ("date", "kind", "pressure", "relief", "relief_days")
        widgets: ClassVar[dict[str, Any]] = {"date": DATE, "pressure": SCALE, "relief": SCALE}
        help_texts: ClassVar[dict[str, Any]] = {
            "pressure": _("Only for massage and gentle manual therapy: how strong it felt.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:  # the pathway's own rules decide what a valid session is
            Session(
                date=data["date"], kind=SessionKind(data["kind"]), pressure=data.get("pressure"),
                relief=data.get("relief"), relief_days=data.get("relief_days"),
            )  # fmt: skip
        except pydantic.ValidationError:
            self.add_error("pressure", _("Pressure is recorded only for massage and gentle manual therapy."))
        return data


class SymptomForm(forms.Form):
    """The red-flag symptoms, as in the self-check; any one ticked re-runs triage."""

    flags = forms.MultipleChoiceField(label=_("New symptoms"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["flags"].choices = [(f.id, f.question(lang)) for f in triage_rules().flags if f.question]
