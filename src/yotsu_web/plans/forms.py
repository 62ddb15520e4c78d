"""The practitioner's plan form: the builder's choices (the exercises are the home programme's builder)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.plan import PlanError, build_plan, plan_templates
from yotsu_web.plans.models import RISK_GROUP_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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

    def builder_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "note"]

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
        }


def plan_initial(choices: dict[str, Any]) -> dict[str, Any]:
    if not choices:
        return {"risk_group": "medium", "weeks": 12, "start_date": timezone.localdate()}
    return dict(choices)
