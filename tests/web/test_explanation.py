"""The personal explanation: built by the pathway from the patient's stored records, stored per patient
until the inputs change, with figures as SVG in the page's language; on the desk for the clinic's staff.
The worker computes it (``service.refresh``, called here as the worker would; the real worker in
``test_explanation_queue``); pages only show the stored one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.i18n import gettext
from yotsu.pathway.explain import explain as pathway_explain
from yotsu.pathway.instruments import score
from yotsu.pathway.profile import build_profile, profile_mapping
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
from yotsu_web.clinics.models import Membership
from yotsu_web.diary.models import DiaryDay
from yotsu_web.explain import service
from yotsu_web.explain.inputs import patient_inputs
from yotsu_web.explain.models import CachedExplanation, ProfileAnswers

from .conftest import Personas

CSI_HIGH = {f"q{i}": 3 for i in range(1, 26)}  # CSI part A total 75 of 100


def completed(patient: Membership, instrument_id: str, answers: dict[str, int]) -> QuestionnaireResponse:
    result = score(instrument_id, answers)
    return QuestionnaireResponse.objects.create(
        patient=patient, instrument=instrument_id, answers=answers, completed_at=timezone.now(),
        total=result.total.value, classification=result.classification.id if result.classification else "",
    )  # fmt: skip


def mine(client: Client, patient: Membership) -> str:
    service.refresh(patient.pk)  # what the worker does when the inputs change
    response = client.get(reverse("explain:mine", args=["sakura"]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_records_every_input_uses_the_population_prior_visibly(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    page = mine(client, personas.patient_record)
    assert gettext("Model estimate, not a diagnosis.", "ja") in page
    assert 'id="uses-prior"' in page
    assert page.count('class="prior"') == len(profile_mapping().inputs)
    assert "平均的な人の値" in page  # "population prior" in plain Japanese, on the inputs and the findings


def test_dangers_and_safeties_are_the_pathways_for_the_patients_scores(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    completed(record, "csi_a", CSI_HIGH)
    client.force_login(personas.patient)
    page = mine(client, personas.patient_record)
    personal = service.personal_explanation(record)
    assert personal.profile.inputs["csi_a.total"].value == 75
    assert personal.plan is not None and personal.plan.is_default  # no STarT Back: the labelled default
    expected = pathway_explain(build_profile(personal.inputs.measurements()), personal.plan.plan, n=service.N_DRAWS,
                               seed=service.SEED, days=service.DAYS)  # fmt: skip
    assert personal.explanation == expected
    assert expected.dangers, "a high CSI gives the model something pressing the brake"
    for finding in expected.dangers:
        assert finding.title.ja in page and finding.text.ja in page
        assert finding.evidence.level.label("ja") in page
    for safety in expected.safeties:
        assert safety.text.ja in page
    assert profile_mapping().inputs["csi_a.total"].name.ja in page
    assert page.count('class="prior"') == len(profile_mapping().inputs) - 1


def test_explanation_is_cached_until_an_input_changes(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = personas.patient_record
    first = service.personal_explanation(record)
    assert not first.from_cache and CachedExplanation.objects.filter(patient=record).count() == 1

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model ran although nothing changed")

    monkeypatch.setattr(service, "explain", refuse)
    again = service.personal_explanation(record)
    assert again.from_cache and again.explanation == first.explanation
    monkeypatch.undo()

    completed(record, "phq4", {"q1": 3, "q2": 3, "q3": 3, "q4": 3})
    changed = service.personal_explanation(record)
    assert not changed.from_cache and "phq4.total" in changed.profile.inputs
    assert CachedExplanation.objects.get(patient=record).fingerprint == service.fingerprint(
        changed.profile, changed.plan
    )


def test_body_map_and_diary_sleep_feed_the_profile(personas: Personas) -> None:
    record = personas.patient_record
    LeftRightSession.objects.create(patient=record, n_trials=20, accuracy=0.6, median_rt_ms=1800)
    ClinicTest.objects.create(patient=record, date=timezone.localdate(), tpd_mm=70)
    for n, sleep in enumerate([2, 3, 4]):
        DiaryDay.objects.create(patient=record, date=timezone.localdate() - dt.timedelta(days=n), sleep_quality=sleep)
    inputs = patient_inputs(record)
    assert inputs.body_map_tests == ["left_right", "two_point"]
    assert inputs.sleep_quality == 3 and inputs.sleep_from_diary
    ProfileAnswers.objects.create(patient=record, sleep_quality=8, life_pressure=6)
    inputs = patient_inputs(record)
    assert inputs.sleep_quality == 8 and not inputs.sleep_from_diary and inputs.life_pressure == 6
    assert set(inputs.measurements()) == {"body_map.precision", "sleep_quality", "life_pressure"}


def test_two_questions_are_saved_and_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    url = reverse("explain:questions", args=["sakura"])
    response = client.post(url, {"profile-sleep_quality": "3", "profile-life_pressure": "8"})
    assert response.status_code == 302
    answers = ProfileAnswers.objects.get(patient=personas.patient_record)
    assert (answers.sleep_quality, answers.life_pressure) == (3, 8)
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="profileanswers").count() == 1
    assert client.get(url).status_code == 405


def test_an_out_of_range_answer_is_refused_with_the_field_named(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    response = client.post(reverse("explain:questions", args=["sakura"]), {"profile-sleep_quality": "11"})
    assert response.status_code == 400
    assert "10 以下" in response.content.decode()  # Django's message for the limit, beside the field
    assert not ProfileAnswers.objects.exists()


@pytest.mark.parametrize("which", ["course", "factors"])
def test_figures_are_private_svg_with_japanese_glyphs(client: Client, personas: Personas, which: str) -> None:
    client.force_login(personas.patient)
    service.refresh(personas.patient_record.pk)
    response = client.get(reverse(f"explain:my-{which}", args=["sakura"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "IPAexGothic-" in svg  # Japanese glyphs drawn from a font that has them
    title = "プラン開始からの週" if which == "course" else "危険（オレンジ）と安全（青）"
    assert title in svg
    assert set(CachedExplanation.objects.get().figures) == {
        f"{f}-{lang}" for f in ("course", "factors") for lang in ("ja", "en")
    }, "the worker drew all four"


def test_english_page_and_figure(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = mine(client, personas.patient_record)
    assert "Model estimate, not a diagnosis." in page and "Danger in me" in page
    svg = client.get(reverse("explain:my-course", args=["sakura"])).content.decode()
    assert "Week of the plan" in svg


def test_staff_see_the_patients_explanation_with_parameters_and_it_is_audited(
    client: Client, personas: Personas
) -> None:
    record = personas.patient_record
    completed(record, "csi_a", CSI_HIGH)
    client.force_login(personas.practitioner)
    service.refresh(record.pk)
    response = client.get(reverse("explain:patient", args=["sakura", record.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<code>gain_init</code>" in page and gettext("Model estimate, not a diagnosis.", "ja") in page
    event = AuditEvent.objects.get(actor=personas.practitioner, action=Action.VIEW)
    assert (event.subject_type, event.subject_id) == ("membership", record.pk)
    svg = client.get(reverse("explain:patient-course", args=["sakura", record.pk]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"


def test_the_page_names_the_answerable_questionnaires_that_would_sharpen_it_most(
    client: Client, personas: Personas
) -> None:
    from yotsu_web.assessments.catalogue import offers

    client.force_login(personas.patient)
    page = mine(client, personas.patient_record)
    explanation = service.personal_explanation(personas.patient_record).explanation
    readable = {o.instrument.id for o in offers(personas.clinic, "ja") if o.readable}
    unreadable = [s.instrument for s in explanation.sharpen if s.instrument not in readable]
    assert unreadable, "some shipped instrument has no Japanese text, so the filter is tested"
    shown = explanation.sharpest(readable)
    assert shown and len(shown) <= 2 and {s.instrument for s in shown} <= readable
    assert 'id="sharpen"' in page
    start = reverse("assessments:start", args=["sakura"])
    for s in shown:
        assert f'<input type="hidden" name="instrument" value="{s.instrument}">' in page
        assert f"およそ{max(1, round(100 * s.shrink))}%狭く" in page
        assert s.title.ja in page
    assert page.count(f'action="{start}"') == len(shown)
    for inst in unreadable:
        assert f'value="{inst}"' not in page  # never a questionnaire the patient cannot answer

    # answered: the questionnaire leaves the list
    first = shown[0].instrument
    answers = {"q1": 5} if first == "nrs_pain" else {f"q{i}": 1 for i in range(1, 5)}
    completed(personas.patient_record, first, answers)
    assert (
        f'value="{first}"' not in mine(client, personas.patient_record).split('id="sharpen"')[-1].split("</section>")[0]
    )


def test_a_cached_explanation_from_before_the_sharpeners_is_recomputed(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = personas.patient_record
    fresh = service.personal_explanation(record)
    old = fresh.explanation.model_dump(mode="json")
    del old["sharpen"]
    with monkeypatch.context() as m:
        m.setattr(service, "CACHE_VERSION", "1")  # the version that had no sharpeners
        stale = service.fingerprint(fresh.profile, fresh.plan)
    CachedExplanation.objects.filter(patient=record).update(fingerprint=stale, explanation=old)
    again = service.personal_explanation(record)
    assert not again.from_cache and again.explanation.sharpen == fresh.explanation.sharpen
