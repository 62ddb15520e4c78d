from __future__ import annotations

from typing import Any, ClassVar

import pydantic
from django import forms
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.diary import (
    EARLIEST_DATE,
    Session,
    SessionKind,
    check_diary_date,
    has_other_script_digits,
    is_plain_number,
)
from yotsu.pathway.triage import triage_rules
from yotsu_web.clinics.lang import current_lang
from yotsu_web.diary.models import DiaryDay, DiarySession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCALE = forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"})


class _DiaryForm(forms.ModelForm):  # type: ignore[type-arg]
    """The pathway's diary rules on what was typed: dates 2000-01-01 to today, numbers in ASCII digits.

    Django alone would store ``１０`` (full-width) or ``1_0`` as 10 and accept the year 0001.
    """

    NUMBERS: ClassVar[tuple[str, ...]] = ()

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        problem = check_diary_date(date, timezone.localdate())
        if problem == "in_future":
            raise forms.ValidationError(_("The date cannot be in the future."))
        if problem == "too_early":
            raise forms.ValidationError(_("The date cannot be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()})
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date", *self.NUMBERS):
            raw = str(self.data.get(self.add_prefix(name), "")).strip()
            if has_other_script_digits(raw):
                self.errors.pop(name, None)
                data.pop(name, None)
                self.add_error(name, _("Write it with half-width digits 0-9."))
            elif name != "date" and raw and name not in self.errors and not is_plain_number(raw):
                self.add_error(name, _("Enter a number written with digits 0-9, like 5."))
        return data


class DayForm(_DiaryForm):
    class Meta:
        model = DiaryDay
        fields = ("date", "pain_nrs", "sleep_quality", "stress", "activity_minutes")
        widgets: ClassVar[dict[str, Any]] = {
            "date": DATE,
            "pain_nrs": SCALE,
            "sleep_quality": SCALE,
            "stress": SCALE,
        }

    NUMBERS = ("pain_nrs", "sleep_quality", "stress", "activity_minutes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SessionForm(_DiaryForm):
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

    NUMBERS = ("pressure", "relief", "relief_days")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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


def form_html(form: forms.BaseForm) -> SafeString:
    """The form as HTML. An empty form is the same for everyone on a day in a language, so it is rendered
    once a day per process (Django renders a form through a dozen templates: a third of the page's cost);
    a form with the patient's input and errors is rendered each time."""
    if form.is_bound:
        return mark_safe(str(form))
    key = f"yotsu:form:{type(form).__qualname__}:{form.prefix}:{get_language()}:{timezone.localdate().isoformat()}"
    html = cache.get(key)
    if html is None:
        html = str(form)
        cache.set(key, html, 24 * 3600)
    return mark_safe(html)


class SymptomForm(forms.Form):
    """The red-flag symptoms, as in the self-check; any one ticked re-runs triage."""

    flags = forms.MultipleChoiceField(label=_("New symptoms"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["flags"].choices = [(f.id, f.question(lang)) for f in triage_rules().flags if f.question]
