"""A raised red flag, the doctor's clearance that closes it, and where the clinic wants alerts pushed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SELFCHECK = "selfcheck", _("self-check")
    INTAKE = "intake", _("intake form")
    DIARY = "diary", _("diary: new symptom")
    QUESTIONNAIRE = "questionnaire", _("questionnaire")
    DESK = "desk", _("recorded at the clinic")


class Outcome(models.TextChoices):
    CLEARED = "cleared", _("No serious cause found: care may continue")
    UNDER_CARE = "under_care", _("Under medical care: keep the programme paused")


class Clearance(models.Model):
    """A practitioner's record that a doctor has seen the patient. Only ``cleared`` closes the flags."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="clearances")
    doctor = models.CharField(_("doctor or hospital who saw the patient"), max_length=200)
    seen_on = models.DateField(_("date seen"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("what the doctor said"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("doctor's clearance")
        verbose_name_plural = _("doctor's clearances")
        ordering = ("-recorded_at", "-pk")

    def __str__(self) -> str:
        return f"clearance #{self.pk}"


class RedFlagEvent(models.Model):
    """One raised red flag (or several answered together): which, where and when; open until cleared."""

    patient = models.ForeignKey("clinics.Membership", on_delete=models.CASCADE, related_name="red_flag_events")
    source = models.CharField(_("where it was answered"), max_length=16, choices=Source.choices)
    route = models.CharField(_("urgency"), max_length=24)
    flags = models.JSONField(_("red flags"), default=list)
    where = models.CharField(_("details"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cleared_by = models.ForeignKey(Clearance, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ("-answered_at", "-pk")

    def __str__(self) -> str:
        return f"red flag #{self.pk}"

    @property
    def reasons(self) -> list[str]:
        """The flags as the questions answered yes, in the active language."""
        from yotsu_web.clinics.lang import current_lang
        from yotsu_web.referrals.notify import flag_names

        return flag_names(list(self.flags), current_lang())


class AlertContact(models.Model):
    """Where the clinic's practitioners want red-flag alerts pushed by LINE (the clinic's channel)."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="alert_contact")
    line_user_id = models.CharField(_("practitioner's LINE user ID for alerts"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("alert contact")
        verbose_name_plural = _("alert contacts")

    def __str__(self) -> str:
        return f"alert contact #{self.pk}"
