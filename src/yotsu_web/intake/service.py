"""Storing an intake step by step. The pathway decides the steps, the order, completion and what a red flag
does (``yotsu.pathway.intake``, ``triage``, ``referral``); this module only keeps what was answered where the
rest of the app already keeps it (identity on the user, consent, saved self-check, questionnaire responses,
red-flag events) and the rest on the intake."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway import TriageResult
from yotsu.pathway.instruments import instrument, score
from yotsu.pathway.intake import (
    DEFAULT_INSTRUMENTS,
    IntakeProgress,
    IntakeStatus,
    IntakeStep,
    StepKind,
    intake_due,
    intake_progress,
    intake_steps,
)
from yotsu.pathway.pain_drawing import pain_extent
from yotsu.pathway.support import support_needed
from yotsu_web.accounts.consent import consent_due, current_version
from yotsu_web.accounts.models import Consent, User, new_internal_username
from yotsu_web.assessments.catalogue import offer
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.booking.models import Booking
from yotsu_web.clinics.models import Clinic, Membership, Role
from yotsu_web.intake.models import Intake, IntakeSettings
from yotsu_web.referrals.models import Source
from yotsu_web.referrals.service import notify_support, record_red_flag
from yotsu_web.selfcheck.models import SavedSelfCheck


def _new_patient(booking: Booking) -> bool:
    """No earlier booking (other than cancelled ones) and no intake: the clinic does not know them yet."""
    if booking.patient_id is None:
        return True
    earlier = Booking.objects.filter(patient_id=booking.patient_id).exclude(pk=booking.pk)
    earlier = earlier.exclude(status=Booking.Status.CANCELLED)
    return not earlier.exists() and not Intake.objects.filter(patient_id=booking.patient_id).exists()


def create_for(booking: Booking) -> Intake | None:
    """The booking's intake, made when the pathway says a booking sends one (None otherwise)."""
    if not intake_due(first_visit=booking.visit_type.first_visit, new_patient=_new_patient(booking)):
        return None
    return Intake.objects.create(booking=booking, patient=booking.patient)


def intake_link(intake: Intake) -> str:
    """The intake's address (relative), with its secret: the patient opens it on the phone, no log-in."""
    booking = intake.booking
    return reverse("intake:fill", args=[booking.clinic.slug, booking.pk]) + f"?t={intake.token}"


def intake_url(booking: Booking) -> str | None:
    """The intake's full address for a message, or None when the booking has no intake."""
    found = Intake.objects.filter(booking=booking).first()
    return settings.YOTSU_BASE_URL + intake_link(found) if found is not None else None


def chosen_instruments(clinic: Clinic, lang: str) -> list[str]:
    """The clinic's intake questionnaires that a patient can answer in ``lang`` (licensed text present)."""
    row = IntakeSettings.objects.filter(clinic=clinic).first()
    ids = row.instruments if row is not None else list(DEFAULT_INSTRUMENTS)
    return [i for i in ids if offer(clinic, instrument(i), lang).readable]


def steps(intake: Intake, lang: str) -> tuple[IntakeStep, ...]:
    return intake_steps(chosen_instruments(intake.booking.clinic, lang))


def progress(intake: Intake, lang: str) -> IntakeProgress:
    return intake_progress(steps(intake, lang), intake.done, red_flag=bool(intake.raised_flags))


def _mark_done(intake: Intake, step: IntakeStep, lang: str) -> IntakeProgress:
    if step.key not in intake.done:
        intake.done = [*intake.done, step.key]
    now = timezone.now()
    intake.started_at = intake.started_at or now
    state = progress(intake, lang)
    intake.status = state.status.value
    intake.needs_review = state.needs_review
    if state.status in (IntakeStatus.COMPLETE, IntakeStatus.RED_FLAG) and intake.completed_at is None:
        intake.completed_at = now
    intake.save()
    return state


def identity_known(membership: Membership | None) -> bool:
    """The patient's account already has 氏名, フリガナ, date of birth and phone, and consent to the current
    notice: the identity step is skipped."""
    if membership is None:
        return False
    user = membership.user
    known = all([user.full_name, user.furigana, user.birth_date, user.phone])
    return known and not consent_due(membership)


def _guest_record(intake: Intake, identity: dict[str, Any]) -> Membership:
    """A patient record for a guest who gave identity and consent (no password: they cannot log in until
    they set one through the password reset)."""
    booking = intake.booking
    email = booking.guest_email
    if not email or User.objects.filter(email__iexact=email).exists():
        email = ""  # an existing account is never taken over by a booking form
    user = User(username=new_internal_username(), email=email, **identity)  # internal, as at sign-up
    user.set_unusable_password()
    user.save()
    return Membership.objects.create(user=user, clinic=booking.clinic, role=Role.PATIENT)


@transaction.atomic
def store_identity(intake: Intake, identity: dict[str, Any], consented: bool, lang: str) -> IntakeProgress:
    """Identity on the user (a guest gets a patient record), consent recorded when given."""
    patient = intake.patient
    if patient is None:
        patient = _guest_record(intake, identity)
        intake.patient = patient
    else:
        user = patient.user
        for field, value in identity.items():
            setattr(user, field, value)
        user.save(update_fields=list(identity))
    if consented and consent_due(patient):
        Consent.objects.create(
            clinic=patient.clinic, patient=patient, patient_ref=patient.pk, notice_version=current_version()
        )
    return _mark_done(intake, IntakeStep(kind=StepKind.IDENTITY), lang)


@transaction.atomic
def store_triage(
    intake: Intake, answers: dict[str, Any], result: TriageResult, lang: str, actor_id: int | None
) -> IntakeProgress:
    """The self-check as a saved self-check; a red flag recorded and sent to the clinic (the referrals
    service), and the booking marked for review."""
    patient = intake.patient
    assert patient is not None  # the identity step comes first and makes the record
    intake.self_check = SavedSelfCheck.objects.create(
        patient=patient, route=result.route.value, raised_flags=list(result.raised_flags), answers=answers
    )
    intake.route = result.route.value
    if result.is_referral:
        intake.raised_flags = list(result.raised_flags)
        when = timezone.localdate(intake.booking.starts_at).isoformat()
        intake.red_flag_event = record_red_flag(
            patient, Source.INTAKE, result.route.value, result.raised_flags,
            where=f"intake, booking #{intake.booking.pk} ({when})", actor_id=actor_id,
        )  # fmt: skip
    return _mark_done(intake, IntakeStep(kind=StepKind.RED_FLAGS), lang)


@transaction.atomic
def store_questionnaire(
    intake: Intake, instrument_id: str, answers: dict[str, int | None], lang: str
) -> IntakeProgress:
    """A completed questionnaire response scored by the pathway; support the answers warrant is sent on."""
    patient = intake.patient
    assert patient is not None
    result = score(instrument_id, answers)
    response = QuestionnaireResponse.objects.create(
        patient=patient, instrument=instrument_id, answers=answers, position=len(answers),
        completed_at=timezone.now(), total=result.total.value, scores={k: v.value for k, v in result.scores.items()},
        classification=result.classification.id if result.classification else "",
    )  # fmt: skip
    intake.questionnaires = {**intake.questionnaires, instrument_id: response.pk}
    if support_needed(result) is not None:
        notify_support(patient, response.pk)
    return _mark_done(intake, IntakeStep(kind=StepKind.QUESTIONNAIRE, instrument=instrument_id), lang)


def store_drawing(intake: Intake, regions: list[str], lang: str) -> IntakeProgress:
    intake.pain_regions = list(regions)
    intake.pain_extent = pain_extent(regions).model_dump(mode="json")
    return _mark_done(intake, IntakeStep(kind=StepKind.PAIN_DRAWING), lang)


def store_free_text(intake: Intake, chief_complaint: str, wishes: str, lang: str) -> IntakeProgress:
    intake.chief_complaint, intake.wishes = chief_complaint, wishes
    return _mark_done(intake, IntakeStep(kind=StepKind.FREE_TEXT), lang)


def responses(intake: Intake) -> list[QuestionnaireResponse]:
    """The questionnaires answered in this intake, in the order answered."""
    if intake.patient is None:
        return []
    rows = QuestionnaireResponse.objects.filter(patient=intake.patient, pk__in=list(intake.questionnaires.values()))
    return list(rows.order_by("completed_at", "pk"))
