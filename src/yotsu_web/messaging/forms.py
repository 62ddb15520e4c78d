from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MessageForm(forms.Form):
    text = forms.CharField(label=_("message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
