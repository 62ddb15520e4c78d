"""Visit records: SOAP, what was done, pain drawing; the author's edit window, audited amendments."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.pain_drawing import from_fhir_observation
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.diary.records import alerts_for
from yotsu_web.records.models import Amendment, RecordLockedError, RecordSettings, VisitRecord

from .conftest import Personas


def visits_url(personas: Personas) -> str:
    return reverse("records:visits", args=["sakura", personas.patient_record.pk])


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "visit_date": timezone.localdate().isoformat(),
        "subjective": "腰が重い",
        "objective": "前屈で痛み",
        "assessment": "非特異的腰痛",
        "plan": "歩行を増やす",
        "session_kind": "massage",
        "pressure": 6,
        "pain_before": 6,
        "pain_after": 3,
        "in_clinic_tests": "SLR 陰性",
        "pain_regions": ["low_back_left", "low_back_right"],
    }
    return data | overrides


def make_visit(personas: Personas, **fields: object) -> VisitRecord:
    values: dict[str, object] = {"visit_date": timezone.localdate(), "session_kind": "massage", "pressure": 5}
    visit = VisitRecord(patient=personas.patient_record, author=personas.practitioner, **(values | fields))
    visit.full_clean()
    visit.save()
    return visit


def age(visit: VisitRecord, hours: float) -> None:
    """Move the record's creation back (the edit window counts from it)."""
    visit.created_at -= dt.timedelta(hours=hours)
    visit.save(_amendment=True)  # test set-up only: the clock moves, no content changes


def test_practitioner_records_a_visit_with_its_pain_drawing_and_it_is_audited(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.practitioner)
    page = client.get(visits_url(personas)).content.decode()
    assert 'data-region="low_back_left"' in page and "痛みの図" in page
    response = client.post(visits_url(personas), form_data())
    visit = VisitRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=["sakura", visit.pk])
    assert (visit.author, visit.pain_before, visit.pain_after, visit.pressure) == (personas.practitioner, 6, 3, 6)
    assert visit.body_share == pytest.approx(0.065) and visit.n_regions == 2 and not visit.widespread
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="visitrecord", subject_id=visit.pk).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "印をつけた部位：2 か所、体の面積の 6.5%" in detail and "腰が重い" in detail


def test_bad_input_is_refused_with_a_message_and_nothing_stored(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    response = client.post(visits_url(personas), form_data(session_kind="education", pain_regions=["elbow"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "elbow" in page  # the unknown region is named
    assert "圧はマッサージとやさしい手技のときだけ記録します" in page
    assert not VisitRecord.objects.exists()


def test_a_widespread_drawing_shows_the_sensitisation_sign_with_its_evidence(
    client: Client, personas: Personas
) -> None:
    regions = ["low_back_left", "shoulder_back_left", "shoulder_back_right", "calf_left", "calf_right"]
    visit = make_visit(personas, pain_regions=regions)
    assert visit.widespread
    client.force_login(personas.practitioner)
    page = client.get(reverse("records:detail", args=["sakura", visit.pk])).content.decode()
    assert "広範囲のパターン" in page and "gerhardt2016" in page and "報告あり" in page


def test_author_edits_within_the_window_others_and_later_cannot(client: Client, personas: Personas) -> None:
    visit = make_visit(personas, subjective="before")
    edit = reverse("records:edit", args=["sakura", visit.pk])
    client.force_login(personas.clinic_admin)  # not the author
    assert client.get(edit).status_code == 403
    client.force_login(personas.practitioner)
    assert client.post(edit, form_data(subjective="after")).status_code == 302
    visit.refresh_from_db()
    assert visit.subjective == "after" and not visit.amendments.exists()
    assert AuditEvent.objects.filter(action=Action.CHANGE, subject_id=visit.pk).exists()
    RecordSettings.objects.create(clinic=personas.clinic, edit_window_hours=2)
    age(visit, 3)
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(subjective="silently")).status_code == 403
    visit.refresh_from_db()
    assert visit.subjective == "after"


def test_the_model_refuses_to_rewrite_a_locked_record(personas: Personas) -> None:
    visit = make_visit(personas, subjective="original")
    age(visit, 25)  # past the default 24 h window
    visit.subjective = "rewritten"
    with pytest.raises(RecordLockedError):
        visit.save()
    with pytest.raises(RecordLockedError):
        visit.edit(personas.practitioner, subjective="rewritten")
    with pytest.raises(RecordLockedError):
        VisitRecord.objects.filter(pk=visit.pk).update(subjective="bulk")
    visit.refresh_from_db()
    assert visit.subjective == "original"


def test_an_amendment_is_visible_audited_and_itself_unchangeable(client: Client, personas: Personas) -> None:
    visit = make_visit(personas, subjective="original", pain_after=4)
    age(visit, 48)
    client.force_login(personas.clinic_admin)
    amend = reverse("records:amend", args=["sakura", visit.pk])
    without_reason = form_data(subjective="corrected", pain_after=2, reason="")
    assert client.post(amend, without_reason).status_code == 200 and not Amendment.objects.exists()
    response = client.post(amend, without_reason | {"reason": "記入ミス"})
    assert response.status_code == 302
    visit.refresh_from_db()
    amendment = Amendment.objects.get()
    assert visit.subjective == "corrected" and visit.pain_after == 2
    assert amendment.author == personas.clinic_admin and amendment.reason == "記入ミス"
    assert amendment.changes["subjective"] == ["original", "corrected"]
    assert amendment.changes["pain_after"] == [4, 2]
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="amendment", subject_id=amendment.pk).exists()
    page = client.get(reverse("records:detail", args=["sakura", visit.pk])).content.decode()
    assert "修正履歴" in page and "記入ミス" in page and "original" in page
    amendment.reason = "changed"
    with pytest.raises(RecordLockedError):
        amendment.save()
    with pytest.raises(RecordLockedError):
        amendment.delete()
    with pytest.raises(ValidationError):
        visit.amend(personas.practitioner, "nothing", subjective="corrected")  # changes nothing


def test_clinic_massage_sessions_feed_the_escalation_detector(personas: Personas) -> None:
    start = timezone.localdate() - dt.timedelta(days=20)
    assert not alerts_for(personas.patient_record).escalation.alert
    for n, pressure in enumerate([4, 5, 6, 7, 8, 9]):
        make_visit(personas, visit_date=start + dt.timedelta(days=3 * n), pressure=pressure,
                   pain_before=6, pain_after=2 + n // 2 + n % 2)  # fmt: skip
    escalation = alerts_for(personas.patient_record).escalation
    assert escalation.alert and escalation.n_sessions == 6


def test_pain_drawing_exports_as_fhir_and_charts_over_visits(client: Client, personas: Personas) -> None:
    visit = make_visit(personas, pain_regions=["low_back_left", "buttock_right"])
    make_visit(personas, visit_date=timezone.localdate() - dt.timedelta(days=7), pain_regions=["low_back_left"])
    client.force_login(personas.practitioner)
    response = client.get(reverse("records:fhir", args=["sakura", visit.pk]))
    assert response["Content-Type"] == "application/fhir+json"
    assert from_fhir_observation(json.loads(response.content)) == visit.extent()
    chart = client.get(reverse("records:chart", args=["sakura", personas.patient_record.pk]))
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    assert chart["Cache-Control"] == "private, no-store"


def test_edit_page_wrong_users(client: Client, personas: Personas) -> None:
    """records:edit is for the author only (outside the access matrix's role rule): everyone else is
    refused, the other clinic sees 403 here and 404 through its own slug, anonymous goes to log in."""
    visit = make_visit(personas)
    url = reverse("records:edit", args=["sakura", visit.pk])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for user in (personas.patient, personas.clinic_admin, personas.other_patient, personas.other_practitioner):
        client.force_login(user)
        assert client.get(url).status_code == 403 and client.post(url).status_code == 403, user.username
    client.force_login(personas.other_practitioner)
    assert client.get(reverse("records:edit", args=["other", visit.pk])).status_code == 404
    client.force_login(personas.practitioner)
    assert client.get(url).status_code == 200
