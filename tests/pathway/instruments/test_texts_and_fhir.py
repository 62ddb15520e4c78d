"""Clinic-supplied item text, and FHIR Questionnaire / QuestionnaireResponse / Observation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yotsu.pathway.instruments import (
    ClinicTextError,
    FhirImportError,
    ItemTextUnavailableError,
    UnknownItemError,
    from_questionnaire_response,
    instrument,
    item_text,
    load_item_texts,
    score,
    to_observations,
    to_questionnaire,
    to_questionnaire_response,
)


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "texts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rmdq_texts(**overrides: object) -> dict:
    data = {
        "instrument": "rmdq",
        "source": "clinic's licensed RDQ-J copy",
        "languages": ["ja"],
        "items": {f"q{i}": {"ja": f"項目{i}"} for i in range(1, 25)},
        "options": {"yes_no": {0: {"ja": "いいえ"}, 1: {"ja": "はい"}}},
    }
    data.update(overrides)
    return data


def test_clinic_text_fills_the_items_yotsu_may_not_ship(tmp_path: Path) -> None:
    texts = load_item_texts(write(tmp_path, rmdq_texts()))
    inst = instrument("rmdq")
    assert item_text(inst, "q3", "ja", texts) == "項目3"
    with pytest.raises(ItemTextUnavailableError, match=r"en text for item 'q3'"):
        item_text(inst, "q3", "en", texts)
    questionnaire = to_questionnaire(inst, "ja", texts)
    assert questionnaire.item[0].text == "項目1"
    assert questionnaire.item[0].answerOption[1].valueCoding.display == "はい"


def test_clinic_text_missing_an_item_is_refused(tmp_path: Path) -> None:
    items = {f"q{i}": {"ja": "x"} for i in range(1, 24)}
    with pytest.raises(ClinicTextError, match=r"item 'q24' has no text in ja"):
        load_item_texts(write(tmp_path, rmdq_texts(items=items)))


def test_clinic_text_for_an_unknown_item_is_refused(tmp_path: Path) -> None:
    data = rmdq_texts()
    data["items"]["q25"] = {"ja": "x"}
    with pytest.raises(ClinicTextError, match=r"q25"):
        load_item_texts(write(tmp_path, data))


def test_clinic_text_without_a_source_is_refused(tmp_path: Path) -> None:
    data = rmdq_texts()
    del data["source"]
    with pytest.raises(ClinicTextError, match=r"source"):
        load_item_texts(write(tmp_path, data))


def test_questionnaire_carries_loinc_panel_and_copyright() -> None:
    questionnaire = to_questionnaire("start_back")
    assert "Keele" in (questionnaire.copyright or "")
    assert questionnaire.item[8].text.startswith("Overall, how bothersome")
    assert to_questionnaire("phq4").code[0].code == "69724-3"
    assert to_questionnaire("csi_a").item[0].text is None  # not licensed to ship


def test_observations_for_total_and_subscales_with_loinc_where_known() -> None:
    answers = {"q1": 2, "q2": 1, "q3": 1, "q4": 1}
    response = to_questionnaire_response("phq4", answers, response_id="qr1", subject="Patient/p1")
    observations = to_observations(score("phq4", answers), response, subject="Patient/p1")
    # total 2+1+1+1 = 5, anxiety 2+1 = 3, depression 1+1 = 2
    assert [o.valueQuantity.value for o in observations] == [5, 3, 2]
    assert observations[1].interpretation[0].coding[0].code == "phq4.anxiety.positive"
    assert observations[0].derivedFrom[0].reference == "QuestionnaireResponse/qr1"
    nrs = to_observations(score("nrs_pain", {"q1": 6}))[0]
    assert nrs.code.coding[0].code == "72514-3"
    odi = to_observations(score("odi", {f"s{i}": 1 for i in range(1, 11)}))[0]
    assert (odi.valueQuantity.value, odi.valueQuantity.unit) == (20.0, "%")  # 10 / 50 x 100


def test_round_trip_keeps_missing_sections_missing() -> None:
    answers = {f"s{i}": 3 for i in range(1, 10)} | {"s10": None}
    back = from_questionnaire_response(to_questionnaire_response("odi", answers).model_dump())
    assert back.missing == ("s10",)
    assert back.total.value == pytest.approx(27 / 45 * 100)


def test_response_refuses_invalid_answers_before_export() -> None:
    with pytest.raises(UnknownItemError):
        to_questionnaire_response("phq4", {"q9": 1})


def test_import_of_a_foreign_questionnaire_is_refused() -> None:
    response = to_questionnaire_response("phq4", {"q1": 0, "q2": 0, "q3": 0, "q4": 0}).model_dump()
    response["questionnaire"] = "http://example.org/Questionnaire/other"
    with pytest.raises(FhirImportError, match=r"example.org"):
        from_questionnaire_response(response)


def test_import_with_integer_answers_from_another_system() -> None:
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "urn:yotsu:questionnaire:pseq2",
        "item": [
            {"linkId": "q5", "answer": [{"valueInteger": 4}]},
            {"linkId": "q9", "answer": [{"valueInteger": 6}]},
        ],
    }
    assert from_questionnaire_response(response).total.value == 10
