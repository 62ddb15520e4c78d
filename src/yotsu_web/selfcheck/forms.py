"""Forms built from the pathway's triage data: the question texts come from red_flags.yaml."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.triage import TriageRules, triage_rules
from yotsu_web.clinics.lang import current_lang

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect)


class RedFlagForm(forms.Form):
    """The pathway's flag stage: age and duration (they feed the age factors), then every red-flag
    question (composite flags ask each feature), all required."""

    NUMBERS = ("age_years", "pain_duration_weeks")

    def __init__(
        self, *args: Any, rules: TriageRules | None = None, known_age: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        rules = rules or triage_rules()
        lang = current_lang()
        self.fields["age_years"] = forms.IntegerField(
            label=rules.age.question(lang), min_value=0, max_value=rules.age.max_years
        )
        if known_age is not None:  # from the account's date of birth; the person may still correct it
            self.fields["age_years"].initial = known_age
            self.fields["age_years"].help_text = _("Filled in from the date of birth in your account.")
        self.fields["pain_duration_weeks"] = forms.IntegerField(
            label=rules.scope.questions.pain_duration_weeks(lang), min_value=0, max_value=5200
        )
        for qid, question in rules.flag_questions():
            self.fields[qid] = _yes_no(question(lang))

    def answers(self) -> dict[str, Any]:
        return {key: value if key in self.NUMBERS else bool(value) for key, value in self.cleaned_data.items()}


class ScopeForm(RedFlagForm):
    """The scope check, carrying the red-flag answers forward as hidden fields (nothing is stored).

    With ``hide_flags=False`` the red-flag questions are asked on the same page, above the scope check (the
    intake's one-page self-check)."""

    def __init__(self, *args: Any, rules: TriageRules | None = None, hide_flags: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, rules=rules, **kwargs)
        for field in self.fields.values() if hide_flags else ():
            field.widget = forms.HiddenInput()
        questions = (rules or triage_rules()).scope.questions
        lang = current_lang()
        self.fields["examined_by_doctor"] = _yes_no(questions.examined_by_doctor(lang))
        self.fields["doctor_found_serious_cause"] = forms.TypedChoiceField(
            label=questions.doctor_found_serious_cause(lang),
            choices=(*YES_NO, ("", _("Not examined"))),
            coerce=lambda v: v == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("examined_by_doctor") and data.get("doctor_found_serious_cause") is None:
            self.add_error("doctor_found_serious_cause", _("Please answer this question."))
        return data

    def answers(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("examined_by_doctor") is False:
            data["doctor_found_serious_cause"] = None
        return data
