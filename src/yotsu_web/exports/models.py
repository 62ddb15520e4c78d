from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionRequest(models.Model):
    """A patient's request to delete their data (APPI, GDPR). Kept after completion as a record that
    the request was made and honoured; it holds ids and times, never health data."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="deletion_requests")
    patient = models.ForeignKey(
        "clinics.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deletion_requests",
    )
    patient_ref = models.PositiveBigIntegerField(_("patient record id"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"deletion request #{self.pk}"
