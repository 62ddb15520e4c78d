from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from yotsu_web.reminders.models import ReminderPreference


class ReminderForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReminderPreference
        fields = ("enabled", "time", "by_email", "by_line")
        widgets: ClassVar[dict[str, Any]] = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
