from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.pain_drawing import body_regions
from yotsu_web.clinics.lang import current_lang
from yotsu_web.records.models import VisitRecord


class VisitRecordForm(forms.ModelForm):  # type: ignore[type-arg]
    """The record's content; the pain drawing is a set of region checkboxes (the SVG toggles them)."""

    pain_regions = forms.MultipleChoiceField(
        label=_("Where it hurts"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = VisitRecord
        fields = (
            "visit_date", "subjective", "objective", "assessment", "plan", "session_kind", "pressure",
            "pain_before", "pain_after", "in_clinic_tests", "pain_regions",
        )  # fmt: skip
        widgets: ClassVar[dict[str, Any]] = {
            "visit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ("subjective", "objective", "assessment", "plan")},
            "in_clinic_tests": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visit_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["pain_regions"].choices = [(r.id, r.label(lang)) for r in body_regions()]


class AmendmentForm(VisitRecordForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
