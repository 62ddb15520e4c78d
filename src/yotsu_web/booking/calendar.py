"""The practitioner's bookings as an iCalendar feed (RFC 5545, written with the ``icalendar`` package), and
the desk page that gives its secret address. The feed holds visit type, time and a booking number only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.booking.models import Booking, CalendarFeed, new_token
from yotsu_web.clinics.access import member_of
from yotsu_web.clinics.models import STAFF_ROLES, Membership

#: The feed shows bookings from this long ago onwards (a calendar app keeps its own history).
PAST = dt.timedelta(days=30)


def feed_calendar(practitioner: Membership) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Yotsu//clinic bookings//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{practitioner.clinic.name}")
    since = timezone.now() - PAST
    bookings = (
        Booking.objects.filter(practitioner=practitioner, status=Booking.Status.BOOKED, starts_at__gte=since)
        .select_related("visit_type")
        .order_by("starts_at")
    )
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@yotsu")
        first = "（初回）" if booking.visit_type.first_visit else ""
        event.add("summary", f"{booking.visit_type.name}{first} — 予約 #{booking.pk}")
        event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
        event.add("dtend", booking.ends_at.astimezone(dt.UTC))
        event.add("dtstamp", booking.created_at.astimezone(dt.UTC))
        cal.add_component(event)
    return bytes(cal.to_ical())


def feed(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The feed at its secret address (``?t=``); any other token, or none, is 404. No login: calendar apps
    cannot log in; the token is the key, and the desk can replace it."""
    row = get_object_or_404(CalendarFeed.objects.select_related("practitioner__clinic"), practitioner__pk=pk,
                            practitioner__clinic__slug=slug, practitioner__role__in=STAFF_ROLES)  # fmt: skip
    if not constant_time_compare(request.GET.get("t", ""), row.token):
        raise Http404
    response = HttpResponse(feed_calendar(row.practitioner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff member's own feed address; POST makes a new one (the old address stops working)."""
    staff = member_of(request, slug, STAFF_ROLES)
    row, created = CalendarFeed.objects.get_or_create(practitioner=staff)
    if created:
        record(request, staff.clinic, Action.CREATE, row)
    if request.method == "POST":
        row.token = new_token()
        row.save(update_fields=["token", "created_at"])
        record(request, staff.clinic, Action.CHANGE, row)
        return redirect("booking:calendar-feed", slug)
    address = request.build_absolute_uri(reverse("booking:calendar", args=[slug, staff.pk])) + f"?t={row.token}"
    return render(request, "booking/calendar_feed.html", {"clinic": staff.clinic, "address": address,
                                                           "title": _("Your bookings in a calendar app")})  # fmt: skip
