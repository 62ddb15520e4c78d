"""The alert a red flag sends the clinic: flag, when, where, a link to the desk; never the patient's name."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yotsu.pathway.triage import triage_rules
from yotsu_web.clinics.lang import current_lang
from yotsu_web.messaging.models import Delivery
from yotsu_web.referrals.models import AlertContact, RedFlagEvent


@dataclass(frozen=True)
class ClinicAlert:
    subject: str
    body: str
    email: str  # the clinic's notification address
    line_user_id: str  # the clinic's alert contact on LINE ("" when none)


def flag_names(flags: list[str], lang: str) -> list[str]:
    """Each flag as its question in ``lang`` (the words the patient answered yes to)."""
    rules = triage_rules()
    out = []
    for flag_id in flags:
        try:
            out.append(rules.flag(flag_id).question(lang))
        except KeyError:
            out.append(flag_id)
    return out


def clinic_alert(delivery: Delivery) -> ClinicAlert:
    """The alert for a ``redflag:<event id>:<channel>`` (or ``support:<response id>:<channel>``) delivery,
    in the clinic's language."""
    if delivery.purpose.startswith("support:"):
        return support_alert(delivery)
    event_id = int(delivery.purpose.split(":")[1])
    event = RedFlagEvent.objects.select_related("patient__clinic").get(pk=event_id, patient=delivery.patient)
    clinic = event.patient.clinic
    contact = AlertContact.objects.filter(clinic=clinic).first()
    url = settings.YOTSU_BASE_URL + reverse("desk:patient", args=[clinic.slug, event.patient.pk])
    with translation.override(clinic.language):
        when = timezone.localtime(event.answered_at).strftime("%Y-%m-%d %H:%M")
        subject = _("Red flag reported: a patient needs a doctor (%(clinic)s)") % {"clinic": clinic.name}
        body = _(
            "A patient answered yes to a red-flag question.\nUrgency: %(route)s\nFlag: %(flags)s\n"
            "When: %(when)s\nWhere: %(source)s %(where)s\nOpen the patient's record on the desk:\n%(url)s\n"
        ) % {
            "route": event.route,
            "flags": "; ".join(flag_names(list(event.flags), current_lang())),
            "when": when,
            "source": event.get_source_display(),
            "where": event.where,
            "url": url,
        }
    return ClinicAlert(subject, body, clinic.notification_email, contact.line_user_id if contact else "")


def support_alert(delivery: Delivery) -> ClinicAlert:
    """A questionnaire answer that warrants support (e.g. a severe PHQ-4): get in touch; no name, no scores."""
    patient = delivery.patient
    clinic = patient.clinic
    contact = AlertContact.objects.filter(clinic=clinic).first()
    url = settings.YOTSU_BASE_URL + reverse("desk:patient", args=[clinic.slug, patient.pk])
    with translation.override(clinic.language):
        subject = _("A patient may need support (%(clinic)s)") % {"clinic": clinic.name}
        body = _(
            "A patient's questionnaire answers fall in a category that warrants support. They were shown the "
            "support lines; please get in touch with them soon.\n%(url)s\n"
        ) % {"url": url}
    return ClinicAlert(subject, body, clinic.notification_email, contact.line_user_id if contact else "")
