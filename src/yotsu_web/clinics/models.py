from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), unique=True, help_text=_("Used in the clinic's web address."))
    notification_email = models.EmailField(
        _("notification e-mail"), blank=True, help_text=_("New inquiries are announced to this address.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ja")
    line_channel_secret = models.CharField(
        _("LINE channel secret"),
        max_length=64,
        blank=True,
        help_text=_("From the LINE Developers console; leave empty to turn the LINE webhook off."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PATIENT = "patient", _("patient")
    PRACTITIONER = "practitioner", _("practitioner")
    ADMIN = "admin", _("clinic admin")


STAFF_ROLES = (Role.PRACTITIONER, Role.ADMIN)


class Membership(models.Model):
    """One person's role in one clinic. A patient record hangs off the patient's membership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = (models.UniqueConstraint(fields=["user", "clinic"], name="one_role_per_clinic"),)

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES
