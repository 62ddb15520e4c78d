"""Red flags followed through: recorded from every face, the clinic told at once, the portal in referral
mode until a practitioner records a doctor's clearance (audited), builders guarded meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from yotsu.pathway.referral import referral_for, referral_rules
from yotsu.pathway.triage import triage_rules
from yotsu_web.audit.models import AuditEvent
from yotsu_web.messaging import deliver
from yotsu_web.messaging.models import Delivery, LineChannel
from yotsu_web.referrals.models import AlertContact, Clearance, RedFlagEvent
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas
from .line_fake import FakeLine, fake_line_server, running_worker, wait_for


def flags_answers(**yes: str) -> dict[str, str]:
    flags = {q: "no" for q in triage_rules().flag_question_ids()}
    return {"step": "flags", "age_years": "40", "pain_duration_weeks": "30", **flags, **yes}


def portal(client: Client) -> str:
    return client.get(reverse("clinics:portal", args=["sakura"])).content.decode()


def raise_saddle_flag(client: Client, personas: Personas) -> RedFlagEvent:
    client.force_login(personas.patient)
    response = client.post(reverse("selfcheck:start", args=["sakura"]), flags_answers(saddle_numbness="yes"))
    assert response.status_code == 200
    return RedFlagEvent.objects.get(patient=personas.patient_record)


def test_pathway_gives_what_when_where_for_every_urgency_with_119_and_7119() -> None:
    for urgency, advice in referral_rules().routes.items():
        assert advice.headline.ja and advice.what.ja and advice.when.ja and advice.where.ja
        if urgency != "routine_medical":
            assert "119" in advice.where.ja and "#7119" in advice.where.ja
    emergency = referral_for(["significant_trauma", "saddle_numbness"])
    assert emergency is not None and emergency.urgency == "emergency"  # the most urgent flag decides
    assert referral_for([]) is None


def test_a_patients_self_check_red_flag_is_recorded_and_the_clinic_emailed(client: Client, personas: Personas) -> None:
    event = raise_saddle_flag(client, personas)
    assert event.flags == ["saddle_numbness"] and event.route == "emergency" and event.source == "selfcheck"
    delivery = Delivery.objects.get(purpose=f"redflag:{event.pk}:email")
    assert deliver.send(str(delivery.key)) == Delivery.State.SENT
    sent = mail.outbox[-1]
    assert sent.to == ["sakura@example.com"]
    question = triage_rules().flag("saddle_numbness").question.ja
    assert question in sent.body and "web self-check" in sent.body  # which flag, where
    assert reverse("desk:patient", args=["sakura", personas.patient_record.pk]) in sent.body
    assert personas.patient.username not in sent.body + sent.subject  # no name in an e-mail


def test_an_anonymous_self_check_stores_nothing(client: Client, personas: Personas) -> None:
    client.post(reverse("selfcheck:start", args=["sakura"]), flags_answers(saddle_numbness="yes"))
    assert not RedFlagEvent.objects.exists() and not Delivery.objects.exists()


def test_the_portal_is_in_referral_mode_until_a_doctors_clearance(client: Client, personas: Personas) -> None:
    raise_saddle_flag(client, personas)
    page = portal(client)
    advice = referral_rules().routes["emergency"]
    assert advice.headline.ja in page and advice.where.ja.split("。")[0] in page
    assert page.index(advice.headline.ja) < page.index('id="referral-mode"')  # the referral first
    assert reverse("programme:today", args=["sakura"]) not in page  # the programme waits
    diary_page = client.get(reverse("diary:diary", args=["sakura"])).content.decode()
    assert advice.headline.ja in diary_page  # every portal page shows it first

    client.force_login(personas.practitioner)
    desk = reverse("desk:patient", args=["sakura", personas.patient_record.pk])
    assert 'id="open-referral"' in client.get(desk).content.decode()
    url = reverse("referrals:clearance", args=["sakura", personas.patient_record.pk])
    data = {"clearance-doctor": "山田医院 山田先生", "clearance-seen_on": "2026-12-01", "clearance-outcome": "cleared"}
    assert client.post(url, data).status_code == 302
    clearance = Clearance.objects.get()
    assert clearance.recorded_by == personas.practitioner and RedFlagEvent.objects.get().cleared_by == clearance
    assert AuditEvent.objects.filter(subject_type="clearance", subject_id=clearance.pk, action="create").exists()
    timeline = client.get(desk).content.decode()
    assert "山田医院 山田先生" in timeline and 'id="open-referral"' not in timeline

    client.force_login(personas.patient)
    page = portal(client)
    assert advice.headline.ja not in page and reverse("programme:today", args=["sakura"]) in page


def test_under_medical_care_keeps_the_referral_open(client: Client, personas: Personas) -> None:
    raise_saddle_flag(client, personas)
    client.force_login(personas.practitioner)
    url = reverse("referrals:clearance", args=["sakura", personas.patient_record.pk])
    data = {"clearance-doctor": "A病院", "clearance-seen_on": "2026-12-01", "clearance-outcome": "under_care"}
    assert client.post(url, data).status_code == 302
    assert RedFlagEvent.objects.get().cleared_by is None


def test_a_clearance_with_a_future_date_or_no_doctor_is_refused(client: Client, personas: Personas) -> None:
    raise_saddle_flag(client, personas)
    client.force_login(personas.practitioner)
    url = reverse("referrals:clearance", args=["sakura", personas.patient_record.pk])
    bad = {"clearance-doctor": "", "clearance-seen_on": "2999-01-01", "clearance-outcome": "cleared"}
    assert client.post(url, bad).status_code == 400
    assert not Clearance.objects.exists()


def test_another_clinics_practitioner_cannot_record_a_clearance(client: Client, personas: Personas) -> None:
    raise_saddle_flag(client, personas)
    client.force_login(personas.other_practitioner)
    url = reverse("referrals:clearance", args=["sakura", personas.patient_record.pk])
    data = {"clearance-doctor": "x", "clearance-seen_on": "2026-12-01", "clearance-outcome": "cleared"}
    assert client.post(url, data).status_code == 403
    assert not Clearance.objects.exists()


@pytest.mark.parametrize("builder", ["plans:edit", "programme:build"])
def test_builders_warn_and_ask_for_the_clearance_first(client: Client, personas: Personas, builder: str) -> None:
    raise_saddle_flag(client, personas)
    client.force_login(personas.practitioner)
    url = reverse(builder, args=["sakura", personas.patient_record.pk])
    page = client.get(url).content.decode()
    assert 'id="clearance-form"' in page
    assert client.post(url, {}).status_code == 409


def test_a_diary_symptom_records_the_flag_and_shows_the_referral(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    response = client.post(reverse("diary:symptoms", args=["sakura"]), {"flags": ["significant_trauma"]})
    assert response.url == reverse("referrals:referral", args=["sakura"])
    event = RedFlagEvent.objects.get()
    assert event.source == "diary" and event.route == "urgent"
    page = client.get(response.url).content.decode()
    assert referral_rules().routes["urgent"].headline.ja in page


@pytest.fixture
def line(settings: object) -> Iterator[FakeLine]:
    with fake_line_server() as fake:
        settings.YOTSU_LINE_API_HOST = fake.url  # type: ignore[attr-defined]
        yield fake


@pytest.mark.django_db(transaction=True)
def test_the_practitioner_gets_the_alert_by_line_where_set(client: Client, personas: Personas, line: FakeLine) -> None:
    HUEY.storage.flush_all()
    LineChannel.objects.create(clinic=personas.clinic, access_token="sakura-token")
    AlertContact.objects.create(clinic=personas.clinic, line_user_id="U-practitioner")
    with running_worker(HUEY):
        raise_saddle_flag(client, personas)
        wait_for(lambda: len(line.accepted) == 1)
    to, text = line.texts()[0]
    assert to == "U-practitioner" and triage_rules().flag("saddle_numbness").question.ja in text


def answer_phq4(client: Client, values: list[int]) -> str:
    from yotsu_web.assessments.models import QuestionnaireResponse

    client.post(reverse("assessments:start", args=["sakura"]), {"instrument": "phq4"})
    response = QuestionnaireResponse.objects.get(instrument="phq4", completed_at=None)
    url = reverse("assessments:fill", args=["sakura", response.pk])
    for value in values:
        client.post(url, {"action": "answer", "answer": value})
    assert client.post(url, {"action": "finish"}).status_code == 302
    return client.get(url).content.decode()


def test_a_severe_phq4_shows_support_lines_and_tells_the_practitioner(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = answer_phq4(client, [3, 3, 2, 2])  # total 10: the published "severe" band 9-12
    assert 'id="support"' in page and "よりそいホットライン" in page and "0120-279-338" in page
    delivery = Delivery.objects.get(purpose__startswith="support:")
    assert deliver.send(str(delivery.key)) == Delivery.State.SENT
    assert mail.outbox[-1].to == ["sakura@example.com"] and personas.patient.username not in mail.outbox[-1].body


def test_a_mild_phq4_shows_no_support_message(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = answer_phq4(client, [1, 1, 1, 0])
    assert 'id="support"' not in page and not Delivery.objects.exists()
