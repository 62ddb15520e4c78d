from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu_web.accounts import confirm, throttle
from yotsu_web.accounts.consent import current_version, notice
from yotsu_web.accounts.forms import EMAIL_TAKEN, PatientSignupForm
from yotsu_web.accounts.models import Consent, User
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import own_record, post_only
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Clinic, Membership, Role
from yotsu_web.exports.models import DeletionRequest
from yotsu_web.reminders.models import ReminderPreference


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after logging in: their clinics and what they can open there."""
    memberships = Membership.objects.filter(user_id=request.user.pk).select_related("clinic")
    return render(request, "accounts/home.html", {"memberships": memberships})


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    """A new patient creates an account with one clinic."""
    clinic = get_object_or_404(Clinic, slug=slug)
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = PatientSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                membership = Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
                consent = Consent.objects.create(
                    clinic=clinic, patient=membership, patient_ref=membership.pk, notice_version=current_version()
                )
        except IntegrityError:  # the same address signed up a moment ago (the database's unique index)
            if not User.objects.filter(email__iexact=form.cleaned_data["email"]).exists():
                raise
            form.add_error("email", EMAIL_TAKEN)
            return render(request, "accounts/signup.html", {"clinic": clinic, "form": form})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        record(request, clinic, Action.CREATE, consent)
        throttle.allow("confirm", request, user.email)  # the first link counts towards "send again"
        confirm.send_confirmation(user, clinic.name)
        return redirect("clinics:portal", clinic.slug)
    return render(request, "accounts/signup.html", {"clinic": clinic, "form": form})


@login_required
def send_confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the e-mail confirmation link again (from the portal's banner), a few times an hour at most."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    user = patient.user
    if not user.email:
        messages.info(request, _("Your account has no e-mail address. Please ask the clinic to add it."))
    elif user.email_confirmed_at is not None:
        messages.info(request, _("Your e-mail address is already confirmed."))
    elif not throttle.allow("confirm", request, user.email):
        messages.error(request, _("Several links were asked for in the last hour. Please wait an hour and try again."))
    elif confirm.send_confirmation(user, patient.clinic.name):
        messages.success(
            request, _("We have sent a new link to %(email)s. It may take a few minutes.") % {"email": user.email}
        )
    else:
        messages.error(request, _("The e-mail could not be sent just now. Please try again later."))
    return redirect("clinics:portal", slug)


@require_http_methods(["GET", "HEAD"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: marks the address confirmed (no log-in needed: the signed link
    is the proof that its owner received it)."""
    user = confirm.user_for(token)
    if user is not None:
        confirm.confirm(user)
    return render(request, "accounts/email_confirm/done.html", {"confirmed": user})


@require_http_methods(["GET", "HEAD"])
def privacy(request: HttpRequest, slug: str) -> HttpResponse:
    """The clinic's privacy notice, current version, in the reader's language."""
    clinic = get_object_or_404(Clinic, slug=slug)
    return render(request, "accounts/privacy.html", {"clinic": clinic, "notice": notice(clinic.name, current_lang())})


@login_required
def consent(request: HttpRequest, slug: str) -> HttpResponse:
    """The patient's consent in this clinic: which notice version, since when; and the way to withdraw it."""
    patient = own_record(request, slug, after_withdrawal=True)
    given = Consent.objects.filter(patient=patient).first()
    pending = DeletionRequest.objects.filter(patient=patient, completed_at=None).first()
    return render(
        request,
        "accounts/consent.html",
        {"clinic": patient.clinic, "consent": given, "pending": pending, "current": current_version()},
    )


@login_required
def agree_consent(request: HttpRequest, slug: str) -> HttpResponse:
    """Consent to the current notice: for an account from before online consent, or after the notice
    changed. A new record; the earlier one stays as it was."""
    patient = own_record(request, slug)
    if (refused := post_only(request)) is not None:
        return refused
    version = current_version()
    if request.POST.get("version") != version:  # the page showed another text than the one now current
        messages.info(request, _("The privacy notice changed while the page was open. Please read it again."))
        return redirect("accounts:consent", slug)
    latest = Consent.objects.filter(patient=patient).first()
    if latest is None or latest.notice_version != version:
        given = Consent.objects.create(
            clinic=patient.clinic, patient=patient, patient_ref=patient.pk, notice_version=version
        )
        record(request, patient.clinic, Action.CREATE, given)
    messages.success(request, _("Thank you: your consent is recorded."))
    return redirect("accounts:consent", slug)


@login_required
def withdraw_consent(request: HttpRequest, slug: str) -> HttpResponse:
    """Withdraw consent: recorded with its time, stops the patient's pages, and asks the clinic to delete."""
    patient = own_record(request, slug, after_withdrawal=True)
    if (refused := post_only(request)) is not None:
        return refused
    with transaction.atomic():
        given = Consent.objects.select_for_update().filter(patient=patient, withdrawn_at=None).first()
        if given is None and not Consent.objects.filter(patient=patient).exists():
            # An account from before consent was asked: record the withdrawal all the same.
            given = Consent.objects.create(
                clinic=patient.clinic, patient=patient, patient_ref=patient.pk, notice_version=""
            )
        if given is not None:
            given.withdrawn_at = timezone.now()
            given.save(update_fields=["withdrawn_at"])
            record(request, patient.clinic, Action.CHANGE, given)
        deletion, created = DeletionRequest.objects.get_or_create(
            clinic=patient.clinic, patient=patient, completed_at=None, defaults={"patient_ref": patient.pk}
        )
        if created:
            record(request, patient.clinic, Action.CREATE, deletion)
        ReminderPreference.objects.filter(patient=patient).update(enabled=False)  # no more reminders
    messages.info(request, _("Your consent is withdrawn. The clinic has been asked to delete your data."))
    return redirect("accounts:consent", slug)
