"""The printable weekly sheet: the page, and the PDF opened and read back (Japanese included)."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from yotsu.pathway.exercises import exercise_library

from .conftest import Personas
from .programme_helpers import make_programme

EXERCISES = ("pelvic_tilt_awareness", "hip_hinge", "single_leg_stance", "graded_walking", "gaze_stabilisation")


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_reads_back_in_japanese_with_names_doses_and_tick_boxes(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, EXERCISES)
    client.force_login(personas.patient)
    response = client.get(reverse("programme:sheet-pdf", args=["sakura"]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    reader, text = pdf_text(response.content)
    compact = text.replace(" ", "").replace("\n", "")
    assert "週間運動シート" in compact and "さくら整体院" in compact
    for exercise_id in EXERCISES:
        assert exercise_library().get(exercise_id).name("ja").replace(" ", "") in compact
    assert "8回×2セット、週5日" in compact  # pelvic tilt, level 1
    assert "10分×1回" in compact  # graded walking, 600 s shown in minutes
    assert "実施した日にチェックを入れ" in compact
    fonts = {str(f.get("/BaseFont")) for p in reader.pages for f in p["/Resources"]["/Font"].get_object().values()}
    assert any("IPAexGothic" in f for f in fonts)  # the Japanese font is embedded, not substituted


def test_pdf_in_english_when_the_page_language_is_english(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, ("hip_hinge",))
    client.force_login(personas.patient)
    client.cookies["django_language"] = "en"
    _, text = pdf_text(client.get(reverse("programme:sheet-pdf", args=["sakura"])).content)
    assert "Weekly exercise sheet" in text and "Hip hinge" in text and "2 × 8 repetitions, on 3 of 7 days" in text


def test_pdf_draws_the_figures(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, ("hip_hinge",))
    client.force_login(personas.patient)
    reader, _ = pdf_text(client.get(reverse("programme:sheet-pdf", args=["sakura"])).content)
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert content.count(" l S") + content.count(" re") >= 20  # limb lines and tick boxes are drawn


def test_print_page_has_figures_doses_and_a_box_per_day(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, ("hip_hinge",))
    client.force_login(personas.patient)
    page = client.get(reverse("programme:sheet", args=["sakura"])).content.decode()
    assert page.count('class="box"') == 7 and "exercise-figure" in page and "8回×2セット" in page


def test_practitioner_downloads_the_patients_sheet_and_not_another_clinics(client: Client, personas: Personas) -> None:
    make_programme(personas.patient_record, ("hip_hinge",))
    client.force_login(personas.practitioner)
    url = reverse("programme:patient-sheet-pdf", args=["sakura", personas.patient_record.pk])
    assert client.get(url).status_code == 200
    client.force_login(personas.other_practitioner)
    assert (
        client.get(reverse("programme:patient-sheet-pdf", args=["other", personas.patient_record.pk])).status_code
        == 404
    )
