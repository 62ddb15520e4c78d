from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    LINE = "line", "LINE"


class NoticeState(models.TextChoices):
    """The clinic's notification e-mail for an inquiry (``inquiries.notify``)."""

    NONE = "none"  # the clinic has no notification address
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Inquiry(models.Model):
    """A message from someone who is not (yet) a patient: by the landing page's form or by LINE."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="inquiries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    line_event_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The web form's one-time token: the same form sent twice (a double click, a retry) is stored once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    # The notification e-mail, sent by the queue worker under a lease (see ``inquiries.notify``).
    notice_state = models.CharField(max_length=8, choices=NoticeState.choices, default=NoticeState.NONE)
    notice_attempts = models.PositiveSmallIntegerField(default=0)
    notice_claim = models.UUIDField(null=True, blank=True)
    notice_not_before = models.DateTimeField(null=True, blank=True)  # the lease, or the next retry's time
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    notice_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ("-received_at", "-pk")

    def __str__(self) -> str:
        return f"inquiry #{self.pk} ({self.channel})"
