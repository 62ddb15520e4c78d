"""The patient's answers to the profile's two single questions, and each patient's cached explanation."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO_TO_TEN = (MinValueValidator(0), MaxValueValidator(10))
FAILURE_LENGTH = 300


class ProfileAnswers(models.Model):
    """Sleep quality and life pressure, asked on the explanation page (the pathway's single questions)."""

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="profile_answers")
    sleep_quality = models.PositiveSmallIntegerField(
        _("How well do you usually sleep? (0 very poorly - 10 very well)"), null=True, blank=True,
        validators=ZERO_TO_TEN,
    )  # fmt: skip
    life_pressure = models.PositiveSmallIntegerField(
        _("How much pressure do you feel at work, school or home? (0 none - 10 extreme)"), null=True, blank=True,
        validators=ZERO_TO_TEN,
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile answers")
        verbose_name_plural = _("profile answers")

    def __str__(self) -> str:
        return f"profile answers #{self.pk}"


class CachedExplanation(models.Model):
    """The pathway's explanation for the patient's inputs as they were (``fingerprint``: a hash of the
    inputs, the plan and the run settings), with its figures. Computed by the queue's worker
    (``service.refresh``) when the inputs change; a page shows the stored one with its date meanwhile.
    ``explanation`` is empty until the first one is computed; ``wanted`` is the fingerprint a queued
    computation will reach. When the worker's computation fails, ``failed_at``, ``failure`` (a short technical
    reason, for the practitioner) and ``failed_key`` (the fingerprint it was computing) record it, and the
    last good explanation stays; the next success clears them."""

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="cached_explanation")
    fingerprint = models.CharField(max_length=64, blank=True)
    explanation = models.JSONField(null=True, blank=True)
    figures = models.JSONField(default=dict)  # "<figure>-<lang>" -> SVG text
    wanted = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=FAILURE_LENGTH, blank=True)
    failed_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("cached explanation")
        verbose_name_plural = _("cached explanations")

    def __str__(self) -> str:
        return f"cached explanation #{self.pk}"

    @property
    def updating(self) -> bool:
        """A newer explanation (from the latest answers) is queued."""
        return bool(self.wanted) and self.fingerprint != self.wanted

    def failed_for(self, key: str) -> bool:
        """The computation for ``key`` failed, and nothing was asked for since (no retry, no newer inputs)."""
        if self.failed_at is None or self.failed_key != key:
            return False
        return self.requested_at is None or self.failed_at >= self.requested_at
