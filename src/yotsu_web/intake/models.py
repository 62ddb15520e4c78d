"""The intake before a first visit (Web問診票): one per booking, opened by its own secret link, each step
stored on submit. Which steps there are and when it is complete is the pathway's (``yotsu.pathway.intake``);
the questionnaires are stored as the patient's questionnaire responses and the red-flag answers as a
saved self-check, so the portal and the desk see them like any other."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yotsu.pathway.instruments import instruments as known_instruments
from yotsu.pathway.intake import DEFAULT_INSTRUMENTS, IntakeStatus
from yotsu_web.booking.models import new_token


def default_instruments() -> list[str]:
    return list(DEFAULT_INSTRUMENTS)


class IntakeSettings(models.Model):
    """The questionnaires a clinic asks in its intake, in order (only those a patient can answer are asked)."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="intake_settings")
    instruments = models.JSONField(
        _("questionnaires in the intake"),
        default=default_instruments,
        help_text=_('Questionnaire ids in order, e.g. ["start_back", "nrs_pain", "phq4"].'),
    )

    class Meta:
        verbose_name = _("intake settings")
        verbose_name_plural = _("intake settings")

    def __str__(self) -> str:
        return f"intake settings #{self.pk}"

    def clean(self) -> None:
        known = known_instruments()
        if not isinstance(self.instruments, list) or any(i not in known for i in self.instruments):
            raise ValidationError(
                {"instruments": _("A list of questionnaire ids, from: %(ids)s.") % {"ids": ", ".join(sorted(known))}}
            )


STATUS_LABELS = {
    IntakeStatus.NOT_STARTED: _("not started"),
    IntakeStatus.IN_PROGRESS: _("in progress"),
    IntakeStatus.COMPLETE: _("complete"),
    IntakeStatus.RED_FLAG: _("red flag"),
}


class Intake(models.Model):
    booking = models.OneToOneField("booking.Booking", on_delete=models.CASCADE, related_name="intake")
    token = models.CharField(max_length=64, default=new_token, unique=True)
    # The patient record the intake fills: the booking's patient, or for a guest the record made when they
    # gave their identity and consent (so a red flag reaches the desk like any other).
    patient = models.ForeignKey(
        "clinics.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes"
    )
    done = models.JSONField(default=list)  # keys of the steps stored (yotsu.pathway.intake.IntakeStep.key)
    status = models.CharField(_("intake"), max_length=12, default=IntakeStatus.NOT_STARTED.value)
    route = models.CharField(_("triage result"), max_length=24, blank=True)
    raised_flags = models.JSONField(_("red flags"), default=list)
    needs_review = models.BooleanField(_("needs the practitioner's review"), default=False)
    red_flag_event = models.ForeignKey(
        "referrals.RedFlagEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_check = models.ForeignKey(
        "selfcheck.SavedSelfCheck", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    questionnaires = models.JSONField(default=dict)  # instrument id -> the questionnaire response's id
    pain_regions = models.JSONField(_("pain drawing"), default=list)
    pain_extent = models.JSONField(default=dict)  # the pathway's PainExtent, computed on save
    chief_complaint = models.TextField(_("what brings you (主訴)"), max_length=2000, blank=True)
    wishes = models.TextField(_("what you want from the visit"), max_length=2000, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return f"intake #{self.pk}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[IntakeStatus(self.status)])
