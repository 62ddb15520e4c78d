"""When the patient last opened the pages the journey needs to know about (read, not just reachable)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Page(models.TextChoices):
    EXPLANATION = "explanation", _("explanation")
    PLAN = "plan", _("plan")
    MESSAGES = "messages", _("messages")
    EXERCISES = "exercises", _("today's exercises")


class PortalMark(models.Model):
    """The last time the patient opened ``page``: the explanation and plan steps are done once seen;
    messages and proposals newer than the mark are counted as new."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=16, choices=Page.choices)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("page seen")
        verbose_name_plural = _("pages seen")
        constraints = (models.UniqueConstraint(fields=["patient", "page"], name="one_mark_per_patient_page"),)

    def __str__(self) -> str:
        return f"portal mark #{self.pk}"
