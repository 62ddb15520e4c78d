"""Storing a new inquiry and telling the clinic, whichever channel it came by."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yotsu_web.clinics.models import Clinic
from yotsu_web.inquiries.models import Channel, Inquiry


def receive_inquiry(
    clinic: Clinic,
    channel: Channel,
    *,
    name: str,
    contact: str,
    message: str,
    line_event_id: str | None = None,
) -> Inquiry:
    inquiry = Inquiry.objects.create(
        clinic=clinic,
        channel=channel,
        name=name,
        contact=contact,
        message=message,
        line_event_id=line_event_id,
    )
    notify_clinic(inquiry)
    return inquiry


def notify_clinic(inquiry: Inquiry) -> None:
    """E-mail the clinic that an inquiry arrived. The mail holds a link, not the person's words:
    e-mail is not a safe place for health information."""
    clinic = inquiry.clinic
    if not clinic.notification_email:
        return
    url = settings.YOTSU_BASE_URL + reverse("inquiries:detail", args=[clinic.slug, inquiry.pk])
    with translation.override(clinic.language):
        subject = _("New inquiry for %(clinic)s") % {"clinic": clinic.name}
        body = _("A new inquiry arrived by %(channel)s. Read it in your inbox:\n%(url)s\n") % {
            "channel": inquiry.get_channel_display(),
            "url": url,
        }
    send_mail(subject, body, None, [clinic.notification_email])
