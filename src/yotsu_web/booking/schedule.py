"""The practitioner's day and week on the desk: who is coming, for what, first visit or not, any open red
flag; and the simple actions (mark attended or no-show, move, cancel). The rules are in ``services``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu_web.audit.log import SCHEDULE, record, record_list
from yotsu_web.audit.models import Action
from yotsu_web.booking import services
from yotsu_web.booking.models import Booking
from yotsu_web.clinics.access import member_of, post_only
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import STAFF_ROLES, Membership, Role
from yotsu_web.intake.models import Intake
from yotsu_web.referrals.service import open_referral

VIEWS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Row:
    """One booking as the schedule shows it."""

    booking: Booking
    visit_name: str
    intake: Intake | None  # the first visit's intake (Web問診票), if it has one
    red_flag: bool
    can_attend: bool
    can_no_show: bool


def _day(raw: str, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        return today


def _rows(bookings: list[Booking], now: dt.datetime, lang: str) -> list[Row]:
    today = timezone.localdate(now)
    intakes = {i.booking_id: i for i in Intake.objects.filter(booking__in=bookings).select_related("patient")}
    out = []
    for b in bookings:
        open_ = b.status == Booking.Status.BOOKED
        intake = intakes.get(b.pk)
        person = b.patient or (intake.patient if intake is not None else None)  # a guest's intake makes a record
        out.append(
            Row(
                booking=b,
                visit_name=b.visit_type.name_for(lang),
                intake=intake,
                red_flag=person is not None and open_referral(person) is not None,
                can_attend=open_ and timezone.localtime(b.starts_at).date() <= today,
                can_no_show=open_ and b.starts_at <= now,
            )
        )
    return out


@login_required
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """``?day=YYYY-MM-DD`` (default today), ``?view=day|week``, ``?who=<staff id>|all`` (default: one's own
    bookings when one has any availability, else the whole clinic's)."""
    staff = member_of(request, slug, STAFF_ROLES)
    clinic = staff.clinic
    now = timezone.now()
    view = request.GET.get("view", "day")
    view = view if view in VIEWS else "day"
    day = _day(request.GET.get("day", ""), timezone.localdate(now))
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    team = list(Membership.objects.filter(clinic=clinic, role__in=[Role.PRACTITIONER, Role.ADMIN])
                .select_related("user").order_by("pk"))  # fmt: skip
    who = request.GET.get("who", "")
    if who == "all":
        chosen = None
    elif who.isdigit() and any(m.pk == int(who) for m in team):
        chosen = next(m for m in team if m.pk == int(who))
    else:
        chosen = staff if staff.availability.exists() else None
    lang = current_lang()
    days = [(d, _rows(b, now, lang)) for d, b in services.schedule(clinic, first, VIEWS[view], chosen)]
    step = dt.timedelta(days=VIEWS[view])
    record_list(request, clinic, SCHEDULE)
    return render(
        request,
        "booking/schedule.html",
        {
            "clinic": clinic,
            "view": view,
            "day": day,
            "days": days,
            "team": team,
            "chosen": chosen,
            "who": "all" if chosen is None else str(chosen.pk),
            "previous": first - step,
            "next": first + step,
            "today": timezone.localdate(now),
            "count": sum(1 for _d, rows in days for r in rows if r.booking.status != Booking.Status.CANCELLED),
        },
    )


def _staff_booking(request: HttpRequest, slug: str, pk: int) -> tuple[Membership, Booking]:
    staff = member_of(request, slug, STAFF_ROLES)
    booking = get_object_or_404(
        Booking.objects.select_related("visit_type", "clinic", "practitioner__user", "patient__user"),
        pk=pk,
        clinic=staff.clinic,
    )
    return staff, booking


def _back(booking: Booking) -> str:
    day = timezone.localtime(booking.starts_at).date().isoformat()
    return reverse("booking:schedule", args=[booking.clinic.slug]) + f"?day={day}&who={booking.practitioner_id}"


@login_required
def mark(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """POST ``status=attended|no_show``."""
    staff, booking = _staff_booking(request, slug, pk)
    if (refused := post_only(request)) is not None:
        return refused
    status = request.POST.get("status", "")
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        messages.error(request, _("Choose “came” or “did not come”."))
        return redirect(_back(booking))
    try:
        services.mark(booking, status)
    except services.NotOpen:
        messages.info(request, _("This booking was already cancelled or marked; nothing was changed."))
    except services.NotYet:
        messages.error(
            request, _("A visit can be marked as attended from its day, and as not attended once it has begun.")
        )
    else:
        record(request, staff.clinic, Action.CHANGE, booking)
        done = _("Marked as attended.") if status == Booking.Status.ATTENDED else _("Marked as not attended.")
        messages.success(request, done)
    return redirect(_back(booking))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks to confirm; POST cancels and tells the patient."""
    staff, booking = _staff_booking(request, slug, pk)
    if request.method == "POST":
        try:
            services.cancel(booking, by_clinic=True)
        except services.NotOpen:
            messages.info(request, _("This booking was already cancelled or marked; nothing was changed."))
        else:
            record(request, staff.clinic, Action.CHANGE, booking)
            messages.success(
                request, _("The booking is cancelled; the patient is told where they have e-mail or LINE.")
            )
        return redirect(_back(booking))
    context = {"clinic": staff.clinic, "booking": booking, "visit_name": booking.visit_type.name_for(current_lang())}
    return render(request, "booking/desk_cancel.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The open times of the same practitioner on a chosen day (``?day=``); POST ``s=<slot key>`` moves."""
    staff, booking = _staff_booking(request, slug, pk)
    if booking.status != Booking.Status.BOOKED:
        messages.info(request, _("This booking was already cancelled or marked; nothing was changed."))
        return redirect(_back(booking))
    days = services.bookable_days(staff.clinic)
    if request.method == "POST":
        slot = services.slot_from_key(booking.visit_type, request.POST.get("s", ""))
        if slot is None or slot.practitioner.pk != booking.practitioner_id:
            messages.error(request, _("Choose one of the times shown."))
            return redirect(request.path)
        at = slot.starts_at
        try:
            services.move(booking, booking.practitioner, at, by_clinic=True)
        except services.SlotTaken:
            messages.error(request, _("Someone has just booked that time. Please choose another."))
            return redirect(request.path + f"?day={timezone.localtime(at).date().isoformat()}")
        except services.NotBookable:
            messages.error(request, _("That time cannot be booked. Please choose one of the times shown."))
            return redirect(request.path)
        record(request, staff.clinic, Action.CHANGE, booking)
        messages.success(request, _("The booking is moved; the patient is told where they have e-mail or LINE."))
        return redirect(_back(booking))
    day = _day(request.GET.get("day", ""), timezone.localtime(booking.starts_at).date())
    day = day if day in days else days[0]
    slots = services.open_slots(booking.visit_type, day, practitioner=booking.practitioner)
    return render(request, "booking/desk_move.html", {
        "clinic": staff.clinic, "booking": booking, "day": day, "days": days, "slots": slots,
        "visit_name": booking.visit_type.name_for(current_lang()),
    })  # fmt: skip
