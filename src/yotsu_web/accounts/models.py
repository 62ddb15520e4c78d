from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yotsu_web.accounts.identity import age_on

INTERNAL_USERNAME = re.compile(r"p-[a-z2-7]{16}")


def new_internal_username() -> str:
    """``p-`` and 16 random base32 letters (80 bits): says nothing about the person; a collision is
    astronomically unlikely, and sign-up draws again if one ever happens."""
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "p-" + "".join(secrets.choice(alphabet) for _ in range(16))


class User(AbstractUser):
    """Yotsu's user. A custom model from the start so fields can be added without a data migration.

    The identity fields are optional here (staff, demo and older accounts have none); the patient
    sign-up form requires them."""

    full_name = models.CharField(_("name (氏名)"), max_length=100, blank=True)
    furigana = models.CharField(_("name reading (フリガナ)"), max_length=100, blank=True, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_confirmed_at = models.DateTimeField(
        _("e-mail address confirmed"),
        null=True,
        blank=True,
        help_text=_("When the patient opened the confirmation link sent to this address; empty until then."),
    )
    # Accounts made before addresses were confirmed kept getting reminders at the address they had given;
    # they are not asked to confirm (the migration sets False for them), every new account is.
    email_confirmation_required = models.BooleanField(_("must confirm the e-mail address"), default=True)

    class Meta(AbstractUser.Meta):
        constraints = (
            # One account per e-mail address (case-insensitive), so logging in by e-mail is never ambiguous;
            # accounts without an address (some staff, old test accounts) are not concerned.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("Another account already uses this e-mail address."),
            ),
        )

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> User:
        user = super().from_db(db, field_names, values)
        user._loaded_email = user.__dict__.get("email")
        return user

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A changed e-mail address is unconfirmed again (the old confirmation was for another address)."""
        loaded = getattr(self, "_loaded_email", None)
        if loaded is not None and self.email.lower() != loaded.lower() and self.email_confirmed_at is not None:
            self.email_confirmed_at = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "email_confirmed_at"}
        super().save(*args, **kwargs)
        self._loaded_email = self.email

    @property
    def has_internal_username(self) -> bool:
        """True for a username made at sign-up (``p-`` and random letters): never shown to the patient."""
        return bool(INTERNAL_USERNAME.fullmatch(self.username))

    @property
    def email_confirmed(self) -> bool:
        return bool(self.email) and self.email_confirmed_at is not None

    @property
    def email_may_remind(self) -> bool:
        """Reminders may go to the address: confirmed, or given before confirmation existed."""
        return bool(self.email) and (self.email_confirmed_at is not None or not self.email_confirmation_required)

    @property
    def email_needs_confirming(self) -> bool:
        return bool(self.email) and self.email_confirmed_at is None and self.email_confirmation_required

    def display_name(self) -> str:
        """The name people see: 氏名 if known, else the username (the e-mail for an internal username)."""
        if self.full_name:
            return self.full_name
        return self.email if self.has_internal_username and self.email else self.username

    def age_on(self, day: dt.date) -> int | None:
        return None if self.birth_date is None else age_on(self.birth_date, day)

    @property
    def age(self) -> int | None:
        """Full years today (the clinic's time zone); None without a date of birth."""
        return self.age_on(timezone.localdate())


class Consent(models.Model):
    """A patient's explicit consent, in one clinic, to the privacy notice of one version (APPI: collecting
    要配慮個人情報 needs prior consent). Never edited except to record a withdrawal; kept after the patient's
    data is deleted as the record of what was agreed and when (it holds ids, dates and the version only)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="consents")
    patient = models.ForeignKey(
        "clinics.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    patient_ref = models.PositiveBigIntegerField(_("patient record id"))
    notice_version = models.CharField(_("privacy notice version"), max_length=32)
    given_at = models.DateTimeField(_("consent given"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("-given_at", "-pk")

    def __str__(self) -> str:
        return f"consent #{self.pk} ({self.notice_version})"
