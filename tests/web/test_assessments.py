"""Questionnaires: one item per screen, saved as they go, scored by the pathway; licensed text."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.urls import reverse

from yotsu.pathway.instruments import instrument, score
from yotsu_web.assessments.models import InstrumentText, QuestionnaireResponse
from yotsu_web.clinics.models import Role

from .conftest import Personas, make_user


def start(client: Client, instrument_id: str) -> QuestionnaireResponse:
    response = client.post(reverse("assessments:start", args=["sakura"]), {"instrument": instrument_id})
    assert response.status_code == 302
    return QuestionnaireResponse.objects.get(instrument=instrument_id, completed_at=None)


def fill_url(pk: int) -> str:
    return reverse("assessments:fill", args=["sakura", pk])


def test_phq4_one_item_per_screen_in_japanese_scored_by_the_pathway(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    inst = instrument("phq4")
    qr = start(client, "phq4")
    answers = {"q1": 1, "q2": 2, "q3": 0, "q4": 3}
    for n, item in enumerate(inst.items):
        page = client.get(fill_url(qr.pk)).content.decode()
        assert item.text["ja"] in page
        assert all(other.text["ja"] not in page for other in inst.items if other is not item)
        assert f"{n + 1} / 4" in page
        client.post(fill_url(qr.pk), {"action": "answer", "answer": answers[item.id]})
        qr.refresh_from_db()
        assert qr.answers[item.id] == answers[item.id]  # saved as it was given
    client.post(fill_url(qr.pk), {"action": "finish"})
    qr.refresh_from_db()
    assert qr.completed_at is not None
    assert qr.total == score("phq4", answers).total.value == 6.0
    assert "6" in client.get(fill_url(qr.pk)).content.decode()


def test_back_keeps_the_answer_and_an_out_of_range_answer_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    qr = start(client, "nrs_pain")
    assert client.post(fill_url(qr.pk), {"action": "answer", "answer": 11}).status_code == 400
    client.post(fill_url(qr.pk), {"action": "answer", "answer": 7})
    client.post(fill_url(qr.pk), {"action": "back"})
    page = client.get(fill_url(qr.pk)).content.decode()
    assert 'value="7" required checked' in page


def test_resuming_returns_to_the_same_response(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    first = start(client, "phq4")
    client.post(fill_url(first.pk), {"action": "answer", "answer": 1})
    assert start(client, "phq4").pk == first.pk


def test_an_instrument_without_licensed_text_is_not_offered_and_no_licence_notice_shows(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.patient)
    page = client.get(reverse("assessments:list", args=["sakura"])).content.decode()
    assert instrument("rmdq").name.ja not in page and 'value="rmdq"' not in page
    assert instrument("phq4").name.ja in page  # shipped in Japanese: offered
    assert "許諾" not in page and "ライセンス" not in page
    assert client.post(reverse("assessments:start", args=["sakura"]), {"instrument": "rmdq"}).status_code == 400


def test_clinic_text_file_makes_a_licensed_instrument_answerable(
    client: Client, personas: Personas, tmp_path: Path
) -> None:
    inst = instrument("pseq2")
    lines = ["instrument: pseq2", "source: test copy", "languages: [ja]", "items:"]
    lines += [f"  {item.id}: {{ja: 質問{item.id}のテキスト}}" for item in inst.items]
    text = InstrumentText(clinic=personas.clinic, source_yaml="\n".join(lines))
    text.full_clean()
    text.save()
    assert text.instrument == "pseq2"
    client.force_login(personas.patient)
    qr = start(client, "pseq2")
    assert f"質問{inst.items[0].id}のテキスト" in client.get(fill_url(qr.pk)).content.decode()


def test_another_patient_of_the_same_clinic_gets_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    qr = start(client, "phq4")
    make_user("carol", personas.clinic, Role.PATIENT)
    client.force_login(personas.patient.__class__.objects.get(username="carol"))
    assert client.get(fill_url(qr.pk)).status_code == 404
    assert client.post(fill_url(qr.pk), {"action": "answer", "answer": 1}).status_code == 404


def test_plan_page_shows_the_models_explanation_instead_of_a_placeholder(client: Client, personas: Personas) -> None:
    from yotsu_web.explain.service import refresh

    client.force_login(personas.patient)
    assert refresh(personas.patient_record.pk) == "computed"  # the worker's job
    page = client.get(reverse("assessments:plan", args=["sakura"])).content.decode()
    assert 'id="model-pending"' not in page
    assert 'id="explanation-summary"' in page and "診断ではありません" in page
    assert reverse("explain:my-course", args=["sakura"]) in page


def test_plan_page_shows_the_pathways_plan_for_the_start_back_risk_group(client: Client, personas: Personas) -> None:
    from django.utils import timezone

    from yotsu.pathway.plan import build_plan, risk_group_of

    answers = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 1, "q8": 1, "q9": 4}
    result = score("start_back", answers)
    QuestionnaireResponse.objects.create(
        patient=personas.patient_record, instrument="start_back", answers=answers, completed_at=timezone.now(),
        total=result.total.value, classification=result.classification.id,
    )  # fmt: skip
    plan = build_plan(risk_group_of(result))
    client.force_login(personas.patient)
    page = client.get(reverse("assessments:plan", args=["sakura"])).content.decode()
    assert plan.summary.ja in page
    # The home programme owns the exercises: until the practitioner picks them, the plan page says so.
    assert "担当の施術者がまだ自宅での運動を選んでいません。" in page


def test_plan_page_without_start_back_shows_the_labelled_default_plan(client: Client, personas: Personas) -> None:
    from yotsu.pathway.plan import plan_from_known

    client.force_login(personas.patient)
    page = client.get(reverse("assessments:plan", args=["sakura"])).content.decode()
    known = plan_from_known()
    assert 'id="plan-basis"' in page and known.label.ja in page  # never a dead end, and said so
    assert known.plan.summary.ja in page
