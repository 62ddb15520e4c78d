"""Booking on a phone in three taps: visit type, time, confirm. A guest's booking page opens only with its
token (``?t=``); a patient's own booking opens from their account; nobody sees anyone else's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu_web.booking import services
from yotsu_web.booking.forms import GuestForm
from yotsu_web.booking.models import Booking, VisitType
from yotsu_web.clinics.access import own_record, post_only
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Clinic, Membership, Role
from yotsu_web.intake.service import intake_link

DAYS_SHOWN = 14


def _patient_of(request: HttpRequest, clinic: Clinic) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    return Membership.objects.filter(user_id=request.user.pk, clinic=clinic, role=Role.PATIENT).first()


def start(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = get_object_or_404(Clinic, slug=slug)
    types = VisitType.objects.filter(clinic=clinic, active=True).order_by("order", "pk")
    rows = [(t, t.name_for(current_lang())) for t in types]
    return render(request, "booking/start.html", {"clinic": clinic, "types": rows})


def _day(request: HttpRequest, days: list[dt.date]) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return days[0]
    return day if day in days else days[0]


def slots(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    visit_type = get_object_or_404(VisitType, clinic__slug=slug, pk=pk, active=True)
    days = services.bookable_days(visit_type.clinic)
    day = _day(request, days)
    context = {
        "clinic": visit_type.clinic,
        "visit_type": visit_type,
        "visit_name": visit_type.name_for(current_lang()),
        "days": days[:DAYS_SHOWN] if day in days[:DAYS_SHOWN] else [*days[: DAYS_SHOWN - 1], day],
        "day": day,
        "slots": services.open_slots(visit_type, day),
    }
    return render(request, "booking/slots.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    visit_type = get_object_or_404(VisitType, clinic__slug=slug, pk=pk, active=True)
    clinic = visit_type.clinic
    slot = services.slot_from_key(visit_type, request.GET.get("s", ""))
    back = reverse("booking:slots", args=[slug, pk])
    if slot is None:
        messages.info(request, _("Please choose a time."))
        return redirect(back)
    patient = _patient_of(request, clinic)
    form = None if patient else GuestForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            booking = services.book(visit_type, slot.practitioner, slot.starts_at, patient=patient,
                                    **(form.cleaned_data if form else {}))  # fmt: skip
        except services.SlotTaken:
            messages.info(request, _("Someone booked this time a moment ago. Please choose another."))
            return redirect(back)
        except services.NotBookable:
            messages.info(request, _("This time can no longer be booked. Please choose another."))
            return redirect(back)
        return redirect(booking_link(booking))
    context = {
        "clinic": clinic,
        "visit_type": visit_type,
        "visit_name": visit_type.name_for(current_lang()),
        "slot": slot,
        "starts_at": timezone.localtime(slot.starts_at),
        "form": form,
    }
    return render(request, "booking/confirm.html", context)


def booking_link(booking: Booking) -> str:
    """The booking's own page: with its token for a guest, plain for a patient (who logs in)."""
    url = reverse("booking:booking", args=[booking.clinic.slug, booking.pk])
    return url if booking.patient_id else f"{url}?t={booking.token}"


def _visible_booking(request: HttpRequest, slug: str, pk: int, token: str) -> Booking | HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("clinic", "visit_type", "patient__user"),
                                clinic__slug=slug, pk=pk)  # fmt: skip
    if token and constant_time_compare(token, booking.token):
        return booking
    if token:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    patient = own_record(request, slug)
    if booking.patient_id != patient.pk:
        raise Http404  # another patient's booking does not exist for you
    return booking


def booking_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _visible_booking(request, slug, pk, request.GET.get("t", ""))
    if isinstance(found, HttpResponse):
        return found
    context = {
        "clinic": found.clinic,
        "booking": found,
        "visit_name": found.visit_type.name_for(current_lang()),
        "starts_at": timezone.localtime(found.starts_at),
        "can_change": services.can_change(found),
        "token": request.GET.get("t", ""),
        "cutoff_hours": found.clinic.booking_cutoff_hours,
        "intake": getattr(found, "intake", None),
    }
    if context["intake"] is not None:
        context["intake_link"] = request.build_absolute_uri(intake_link(context["intake"]))
    return render(request, "booking/booking.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The patient or guest moves their booking to another open time, until the clinic's cut-off."""
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    found = _visible_booking(request, slug, pk, token)
    if isinstance(found, HttpResponse):
        return found
    if not services.can_change(found):
        messages.info(request, _("It is too late to change this booking online. Please call the clinic."))
        return redirect(booking_link(found))
    here = reverse("booking:change", args=[slug, pk]) + (f"?t={token}" if token else "")
    if request.method == "POST":
        slot = services.slot_from_key(found.visit_type, request.POST.get("s", ""))
        if slot is None:
            messages.info(request, _("Please choose a time."))
            return redirect(here)
        try:
            services.move(found, slot.practitioner, slot.starts_at)
        except services.SlotTaken:
            messages.info(request, _("Someone booked this time a moment ago. Please choose another."))
            return redirect(here)
        except (services.NotBookable, services.TooLate):
            messages.info(request, _("This time can no longer be booked. Please choose another."))
            return redirect(here)
        messages.success(request, _("Your booking has its new time."))
        return redirect(booking_link(found))
    days = services.bookable_days(found.clinic)[:DAYS_SHOWN]
    day = _day(request, days)
    context = {
        "clinic": found.clinic,
        "booking": found,
        "visit_name": found.visit_type.name_for(current_lang()),
        "starts_at": timezone.localtime(found.starts_at),
        "days": days,
        "day": day,
        "slots": services.open_slots(found.visit_type, day),
        "token": token,
    }
    return render(request, "booking/change.html", context)


def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _visible_booking(request, slug, pk, request.POST.get("t", "") if request.method == "POST" else "")
    if isinstance(found, HttpResponse):
        return found
    if (refused := post_only(request)) is not None:
        return refused
    try:
        services.cancel(found)
    except services.NotOpen:
        messages.info(request, _("This booking is no longer open: it was cancelled or the visit has taken place."))
    except services.TooLate:
        messages.info(request, _("It is too late to cancel online. Please call the clinic."))
    else:
        messages.info(request, _("Your booking is cancelled."))
    return redirect(booking_link(found))
