"""Every new page that shows health data records who viewed it; every change records who changed what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.reminders.models import ReminderPreference

from .conftest import Personas
from .programme_helpers import make_programme

PATIENT_PAGES = ["programme:today", "programme:sheet", "programme:sheet-pdf", "messaging:thread", "reminders:settings"]
STAFF_PAGES = ["programme:overview", "programme:patient", "programme:build", "programme:chart",
               "programme:patient-sheet-pdf", "messaging:desk-thread"]  # fmt: skip


@pytest.mark.parametrize("name", PATIENT_PAGES + STAFF_PAGES)
def test_viewing_a_page_is_audited(client: Client, personas: Personas, name: str) -> None:
    make_programme(personas.patient_record)
    ReminderPreference.objects.create(patient=personas.patient_record)
    staff = name in STAFF_PAGES
    client.force_login(personas.practitioner if staff else personas.patient)
    ids = [personas.patient_record.pk] if staff and name != "programme:overview" else []
    before = AuditEvent.objects.count()
    assert client.get(reverse(name, args=["sakura", *ids])).status_code == 200
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() > before and event is not None
    user = personas.practitioner if staff else personas.patient
    assert (event.action, event.actor, event.clinic) == (Action.VIEW, user, personas.clinic)


def test_changes_are_audited_with_the_record_changed(client: Client, personas: Personas) -> None:
    entry = make_programme(personas.patient_record).exercises.first()
    client.force_login(personas.patient)
    client.post(reverse("programme:log", args=["sakura"]), {"entry": entry.pk, "status": "done", "pain": 2})
    client.post(reverse("programme:morning", args=["sakura"]), {"pain": 3})
    client.post(reverse("messaging:thread", args=["sakura"]), {"text": "こんにちは"})
    client.post(reverse("reminders:settings", args=["sakura"]), {"enabled": "on", "time": "08:00"})
    created = set(AuditEvent.objects.filter(action=Action.CREATE).values_list("subject_type", flat=True))
    assert {"sessionlog", "morningpain", "message", "reminderpreference"} <= created
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {personas.patient.pk}
