from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.exercises import Dose, Exercise
from yotsu_web.programme.models import Status

ZERO_TO_TEN = [(n, str(n)) for n in range(11)]


class ProgrammeForm(forms.Form):
    baseline_pain_nrs = forms.IntegerField(label=_("usual pain before exercise (0-10)"), min_value=0, max_value=10)
    start_date = forms.DateField(label=_("start"), widget=forms.DateInput(attrs={"type": "date"}))


class ExerciseRowForm(forms.Form):
    """One library exercise in the builder: include it, at which level, with which dose (prefilled)."""

    shown = forms.BooleanField(widget=forms.HiddenInput, required=False, initial=True)
    include = forms.BooleanField(label=_("in the programme"), required=False)
    level = forms.TypedChoiceField(label=_("level"), coerce=int, required=False, empty_value=1)
    sets = forms.IntegerField(label=_("sets"), min_value=1, max_value=10, required=False)
    reps = forms.IntegerField(label=_("repetitions"), min_value=1, max_value=100, required=False)
    hold_seconds = forms.IntegerField(label=_("seconds"), min_value=1, max_value=3600, required=False)
    days_per_week = forms.IntegerField(label=_("days per week"), min_value=1, max_value=7, required=False)

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(*args, prefix=exercise.id, **kwargs)
        self.exercise = exercise
        self.fields["level"].choices = [(lv.level, f"{lv.level}") for lv in exercise.levels]
        for name in ("sets", "reps", "hold_seconds", "days_per_week"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("include") or self.errors:
            return data
        for name in ("sets", "days_per_week"):
            if data.get(name) is None:
                self.add_error(name, _("This field is required."))
        if (data.get("reps") is None) == (data.get("hold_seconds") is None):
            raise forms.ValidationError(_("Give either repetitions or seconds."))
        return data

    @property
    def submitted(self) -> bool:
        """The row was on the page that was posted (a filtered page leaves the other exercises alone)."""
        return self.is_bound and bool(self.cleaned_data.get("shown"))

    def dose(self) -> Dose:
        d = self.cleaned_data
        return Dose(sets=d["sets"], reps=d["reps"], hold_seconds=d["hold_seconds"], days_per_week=d["days_per_week"])


class LogForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices)
    pain = forms.TypedChoiceField(choices=ZERO_TO_TEN, coerce=int, required=False, empty_value=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") in (Status.DONE, Status.PARTLY) and data.get("pain") is None:
            raise forms.ValidationError(_("Tap how much pain you had during the exercise (0-10)."))
        if data.get("status") == Status.SKIPPED:
            data["pain"] = None
        return data


class MorningForm(forms.Form):
    pain = forms.TypedChoiceField(label=_("pain this morning (0-10)"), choices=ZERO_TO_TEN, coerce=int)


class DecideForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("accept", _("accept")), ("override", _("override"))])
    level = forms.IntegerField(label=_("level instead"), min_value=1, required=False)
    reason = forms.CharField(
        label=_("reason for the override"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "override":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Say why you override the proposal."))
            if data.get("level") is None:
                self.add_error("level", _("Choose the level to keep or set."))
        return data


class SettingsForm(forms.Form):
    apply_progressions_automatically = forms.BooleanField(
        label=_("apply proposed progressions automatically"), required=False
    )
