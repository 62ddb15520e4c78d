from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")


class AuditEvent(models.Model):
    """Who did what to which record. Holds ids and an action, never the record's content."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="audit_events")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    subject_type = models.CharField(_("record type"), max_length=32)
    subject_id = models.PositiveBigIntegerField(_("record id"))
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-at", "-pk")
        indexes = (models.Index(fields=["clinic", "subject_type", "subject_id"]),)

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.subject_type}#{self.subject_id}"
