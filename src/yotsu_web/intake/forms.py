"""The intake's forms: identity and consent (the sign-up's rules), a questionnaire on one page, the pain
drawing, the free text. The self-check is the selfcheck app's form, its red-flag questions shown."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.instruments import Instrument, ItemTexts, item_text, option_label
from yotsu.pathway.pain_drawing import body_regions
from yotsu_web.accounts.forms import clean_phone
from yotsu_web.accounts.identity import clean_birth_date, clean_furigana
from yotsu_web.clinics.lang import current_lang


class IdentityForm(forms.Form):
    full_name = forms.CharField(label=_("Name (氏名)"), max_length=100, help_text=_("For example 山田 花子."))
    furigana = forms.CharField(
        label=_("Name reading (フリガナ)"), max_length=100, help_text=_("In katakana, for example ヤマダ ハナコ.")
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("For example 1980-04-01.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that this clinic records my health information "
            "(要配慮個人情報) for my care."
        ),
        error_messages={"required": _("Without this consent the clinic cannot record your health information.")},
    )

    def __init__(self, *args: Any, ask_consent: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_consent:
            del self.fields["consent"]

    def clean_full_name(self) -> str:
        return " ".join(unicodedata.normalize("NFKC", self.cleaned_data["full_name"]).split())

    def clean_furigana(self) -> str:
        return clean_furigana(self.cleaned_data["furigana"])

    def clean_birth_date(self) -> dt.date:
        return clean_birth_date(self.cleaned_data["birth_date"], timezone.localdate())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def identity(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("full_name", "furigana", "birth_date", "phone")}


class QuestionnaireForm(forms.Form):
    """Every item of one instrument on one page (radio buttons), required unless the instrument allows
    missing answers; the values allowed are the instrument's."""

    def __init__(self, *args: Any, inst: Instrument, texts: ItemTexts | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inst = inst
        lang = current_lang()
        for item in inst.items:
            choices = [
                (str(o.value), option_label(inst, item.response_set, o.value, lang, texts))
                for o in inst.response_sets[item.response_set]
            ]
            self.fields[item.id] = forms.TypedChoiceField(
                label=item_text(inst, item.id, lang, texts), choices=choices, coerce=int, widget=forms.RadioSelect,
                required=inst.missing.max_missing == 0, empty_value=None,
            )  # fmt: skip

    def answers(self) -> dict[str, int | None]:
        return {item.id: self.cleaned_data.get(item.id) for item in self.inst.items}


class DrawingForm(forms.Form):
    pain_regions = forms.MultipleChoiceField(
        label=_("Where it hurts"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["pain_regions"].choices = [(r.id, r.label(lang)) for r in body_regions()]


class FreeTextForm(forms.Form):
    chief_complaint = forms.CharField(
        label=_("What brings you to the clinic? (主訴)"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words: where it hurts, since when, what makes it better or worse."),
    )  # fmt: skip
    wishes = forms.CharField(
        label=_("What would you like from the visit?"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
