from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from yotsu_web.explain.models import ProfileAnswers

SCALE = forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"})


class ProfileAnswersForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProfileAnswers
        fields = ("sleep_quality", "life_pressure")
        widgets: ClassVar[dict[str, Any]] = {"sleep_quality": SCALE, "life_pressure": SCALE}
