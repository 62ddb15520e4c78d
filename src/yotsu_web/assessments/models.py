"""Questionnaire responses (saved answer by answer) and a clinic's licensed item text files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.instruments import InstrumentError, InstrumentResult, ItemTexts, load_item_texts, score


class QuestionnaireResponse(models.Model):
    """One filling-in of one instrument. ``answers`` maps item id to the response value (``None``:
    skipped); ``position`` is the item on screen. Scores are the pathway engine's, stored at completion."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="questionnaire_responses")
    instrument = models.CharField(_("questionnaire"), max_length=32)
    answers = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    total = models.FloatField(_("total score"), null=True, blank=True)
    scores = models.JSONField(default=dict)
    classification = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"questionnaire response #{self.pk}"

    def result(self) -> InstrumentResult:
        """The pathway's scored result of the stored answers."""
        return score(self.instrument, self.answers)


class InstrumentText(models.Model):
    """Item text a clinic loads from its own licensed copy (the pathway's clinic text file format)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="instrument_texts")
    source_yaml = models.TextField(
        _("text file (YAML)"),
        help_text=_("The clinic's licensed item text, in the format described by yotsu.pathway.instruments.texts."),
    )
    instrument = models.CharField(_("questionnaire"), max_length=32, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("licensed questionnaire text")
        verbose_name_plural = _("licensed questionnaire texts")
        constraints = (models.UniqueConstraint(fields=["clinic", "instrument"], name="one_text_per_instrument"),)

    def __str__(self) -> str:
        return self.instrument

    def item_texts(self) -> ItemTexts:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "texts.yaml"
            path.write_text(self.source_yaml, encoding="utf-8")
            return load_item_texts(path)

    def clean(self) -> None:
        try:
            self.instrument = self.item_texts().instrument
        except InstrumentError as error:
            raise ValidationError({"source_yaml": str(error)}) from error
