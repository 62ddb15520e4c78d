"""The practitioner's plan form (the builder's choices and the library's exercises with a level each)
and the patient's exercise pain-response form."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.exercises import exercise_library
from yotsu.pathway.plan import PlanError, build_plan, plan_templates
from yotsu_web.clinics.lang import current_lang
from yotsu_web.plans.models import RISK_GROUP_LABELS, ExerciseLog

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCALE = forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"})
LEVEL_PREFIX = "level_"


class PlanForm(forms.Form):
    risk_group = forms.ChoiceField(label=_("risk group"), choices=list(RISK_GROUP_LABELS.items()))
    weeks = forms.IntegerField(label=_("weeks"), min_value=1, max_value=52)
    start_date = forms.DateField(label=_("plan start"), widget=DATE)
    sleep_care = forms.BooleanField(label=_("sleep care"), required=False)
    massage_pressure = forms.FloatField(
        label=_("comfortable massage pressure (0-10)"), required=False, min_value=0, max_value=10,
        help_text=_("Leave empty for no massage. Massage is planned only as a comfortable adjunct."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("reason for the change"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_lang()
        for exercise in exercise_library().exercises:
            choices = [("", _("not in the plan"))] + [
                (
                    str(lv.level),
                    _("level %(n)s: %(description)s") % {"n": lv.level, "description": lv.description(lang)},
                )
                for lv in exercise.levels
            ]
            self.fields[LEVEL_PREFIX + exercise.id] = forms.TypedChoiceField(
                label=exercise.name(lang), choices=choices, required=False, coerce=int, empty_value=None
            )

    def exercise_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(LEVEL_PREFIX)]

    def builder_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(LEVEL_PREFIX) and name != "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"risk_group", "weeks"} <= set(data):
            try:  # the pathway's own rules (e.g. massage above the comfortable maximum) decide
                build_plan(data["risk_group"], weeks=data["weeks"], massage_pressure=data.get("massage_pressure"))
            except PlanError:  # the pathway's detail is English only; say the same in the page's language
                cap = plan_templates().comfortable_massage_max_pressure
                self.add_error(
                    "massage_pressure",
                    _(
                        "Above the comfortable maximum of %(cap)s/10: strong pressure can be read as a threat "
                        "(clinical impression), so massage is planned only as a comfortable adjunct."
                    )
                    % {"cap": f"{cap:g}"},
                )
        return data

    def choices(self) -> dict[str, Any]:
        """The cleaned form as the plan's choices (see ``plans.changes.choices_of``)."""
        d = self.cleaned_data
        return {
            "risk_group": d["risk_group"],
            "weeks": d["weeks"],
            "start_date": d["start_date"].isoformat(),
            "sleep_care": d["sleep_care"],
            "massage_pressure": d["massage_pressure"],
            "exercises": {
                name.removeprefix(LEVEL_PREFIX): level
                for name, level in d.items()
                if name.startswith(LEVEL_PREFIX) and level is not None
            },
        }


def plan_initial(choices: dict[str, Any]) -> dict[str, Any]:
    if not choices:
        return {"risk_group": "medium", "weeks": 12, "start_date": timezone.localdate()}
    initial = {k: v for k, v in choices.items() if k != "exercises"}
    initial |= {LEVEL_PREFIX + k: v for k, v in choices["exercises"].items()}
    return initial


class ExerciseLogForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ExerciseLog
        fields = ("exercise", "date", "pain_before", "pain_during_max", "pain_next_morning")
        widgets: ClassVar[dict[str, Any]] = {
            "date": DATE,
            "pain_before": SCALE,
            "pain_during_max": SCALE,
            "pain_next_morning": SCALE,
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "pain_next_morning": _("Leave empty to use the next day's pain from your diary."),
        }

    def __init__(self, *args: Any, exercises: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["exercise"] = forms.ChoiceField(label=_("exercise"), choices=exercises)

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date
