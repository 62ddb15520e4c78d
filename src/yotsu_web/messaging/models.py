"""The patient-clinic thread, and the link between a patient and their LINE account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LineChannel(models.Model):
    """The clinic's LINE Messaging API channel access token (for push messages)."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="line_channel")
    access_token = models.CharField(_("LINE channel access token"), max_length=512)

    class Meta:
        verbose_name = _("LINE channel")
        verbose_name_plural = _("LINE channels")

    def __str__(self) -> str:
        return f"LINE channel #{self.pk}"


class Origin(models.TextChoices):
    PATIENT = "patient", _("patient")
    CLINIC = "clinic", _("clinic")
    SYSTEM = "system", _("Yotsu")


class Channel(models.TextChoices):
    WEB = "web", _("web")
    LINE = "line", "LINE"
    EMAIL = "email", _("e-mail")


class SystemText(models.TextChoices):
    """Messages Yotsu itself sends; shown in the reader's language."""

    FLARE = (
        "flare",
        _(
            "Your pain has been higher than usual for two days. That happens, and it is not a sign of damage. "
            "Take the exercises down a notch or rest them today, and tell us how you are: we are here to help."
        ),
    )
    NO_LOG = (
        "no_log",
        _(
            "We have not seen your exercise log for a few days. No pressure: even a short, easy session helps. "
            "If something is in the way, send us a message."
        ),
    )


class Message(models.Model):
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="messages")
    origin = models.CharField(max_length=8, choices=Origin.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("message"), max_length=5000, blank=True)
    system_text = models.CharField(max_length=16, choices=SystemText.choices, blank=True)
    line_event_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_by_clinic_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"message #{self.pk}"

    @property
    def body(self) -> str:
        """What the message says, in the active language for Yotsu's own messages."""
        return str(SystemText(self.system_text).label) if self.system_text else self.text


class LineLink(models.Model):
    """A patient's LINE user, linked by a one-time code sent to the clinic's LINE account."""

    patient = models.OneToOneField("clinics.Membership", on_delete=models.CASCADE, related_name="line_link")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    line_user_id = models.CharField(max_length=64)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")
        constraints = (models.UniqueConstraint(fields=["clinic", "line_user_id"], name="one_patient_per_line_user"),)

    def __str__(self) -> str:
        return f"LINE link #{self.pk}"


class LinkCode(models.Model):
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["clinic", "code"], name="unique_link_code"),)

    def __str__(self) -> str:
        return f"link code #{self.pk}"


class Delivery(models.Model):
    """One outgoing push or e-mail, sent at most once: ``key`` is the idempotency key (LINE's retry key)."""

    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"

    key = models.UUIDField(unique=True)
    # The recipient: a patient record, or (e-mail only) a guest's booking, which holds the guest's address.
    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="+", null=True)
    guest_booking = models.ForeignKey("booking.Booking", on_delete=models.CASCADE, related_name="+", null=True)
    purpose = models.CharField(max_length=40)  # e.g. "reminder:2026-11-25:line", "message:17:line"
    channel = models.CharField(max_length=8)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The worker holding the delivery: only the holder of ``claim_token`` may record the outcome, and the
    # claim lapses at ``lease_until`` (a killed worker's delivery is then claimed again, same key).
    claim_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["patient", "purpose"], name="one_delivery_per_purpose"),
            models.UniqueConstraint(
                fields=["guest_booking", "purpose"],
                condition=models.Q(patient=None),
                name="one_guest_delivery_per_purpose",
            ),
            models.CheckConstraint(
                condition=models.Q(patient__isnull=False, guest_booking=None)
                | models.Q(patient=None, guest_booking__isnull=False, channel="email"),
                name="delivery_has_one_recipient",
            ),
        )

    def __str__(self) -> str:
        return f"delivery #{self.pk}"
