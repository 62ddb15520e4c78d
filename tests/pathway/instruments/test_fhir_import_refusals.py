"""FHIR QuestionnaireResponse import: every kind of bad response is a FhirImportError naming what is wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yotsu.pathway.instruments import FhirImportError, from_questionnaire_response, to_questionnaire_response
from yotsu.pathway.instruments.errors import AnswerOutOfRangeError

PHQ4 = {"q1": 1, "q2": 0, "q3": 2, "q4": 3}


def good() -> dict[str, Any]:
    return to_questionnaire_response("phq4", PHQ4).model_dump(mode="json")


def coding(resp: dict[str, Any], index: int = 0) -> dict[str, Any]:
    coded: dict[str, Any] = resp["item"][index]["answer"][0]["valueCoding"]
    return coded


def test_a_good_response_imports() -> None:
    assert from_questionnaire_response(good()).total.value == 6
    assert from_questionnaire_response(json.dumps(good())).total.value == 6
    amended = good() | {"status": "amended"}
    assert from_questionnaire_response(amended).total.value == 6


def _change(edit: str) -> dict[str, Any]:
    resp = good()
    if edit == "no resourceType":
        del resp["resourceType"]
    elif edit == "wrong resourceType":
        resp["resourceType"] = "Observation"
    elif edit == "in-progress":
        resp["status"] = "in-progress"
    elif edit == "entered-in-error":
        resp["status"] = "entered-in-error"
    elif edit == "other system":
        coding(resp)["system"] = "urn:yotsu:answers:rmdq:yes_no"
    elif edit == "no system":
        del coding(resp)["system"]
    elif edit == "full-width code":
        coding(resp)["code"] = "１"
    elif edit == "text code":
        coding(resp)["code"] = "one"
    elif edit == "duplicate linkId":
        resp["item"].append(resp["item"][0])
    elif edit == "unknown linkId":
        resp["item"][0]["linkId"] = "q99"
    elif edit == "no answer":
        resp["item"][0]["answer"] = []
    elif edit == "two answers":
        resp["item"][0]["answer"] *= 2
    elif edit == "out of range":
        coding(resp)["code"] = "7"
    elif edit == "huge code":
        coding(resp)["code"] = "9" * 400
    return resp


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("no resourceType", r"resourceType is missing; expected 'QuestionnaireResponse'"),
        ("wrong resourceType", r"resourceType is 'Observation'"),
        ("in-progress", r"status is 'in-progress'; only completed or amended"),
        ("entered-in-error", r"status is 'entered-in-error'"),
        (
            "other system",
            r"item 'q1': the answer has system 'urn:yotsu:answers:rmdq:yes_no'; expected 'urn:yotsu:answers:phq4",
        ),
        ("no system", r"item 'q1': the answer has no system"),
        ("full-width code", r"item 'q1': code '１' is not a plain integer"),
        ("text code", r"item 'q1': code 'one' is not a plain integer"),
        ("huge code", r"item 'q1': code '9+' is not a plain integer"),
        ("duplicate linkId", r"item 'q1' is given twice"),
        ("unknown linkId", r"item 'q99' is not in phq4; the items are: q1, q2, q3, q4"),
        ("no answer", r"item 'q1' must have exactly one answer"),
        ("two answers", r"item 'q1' must have exactly one answer"),
        ("out of range", r"item 'q1' has answer 7.*allowed answers: 0, 1, 2, 3"),
    ],
)
def test_a_bad_response_is_refused_naming_what_is_wrong(edit: str, expected: str) -> None:
    with pytest.raises(FhirImportError, match=expected):
        from_questionnaire_response(_change(edit))


def test_a_refusal_from_scoring_keeps_its_cause_and_its_japanese() -> None:
    with pytest.raises(FhirImportError) as info:
        from_questionnaire_response(_change("out of range"))
    assert isinstance(info.value.cause, AnswerOutOfRangeError)
    assert info.value.localized("ja") != info.value.localized("en") and "q1" in info.value.localized("ja")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"resourceType": "QuestionnaireResponse",', "valid JSON"),
        ('{"resourceType": "QuestionnaireResponse", "resourceType": "Patient"}', "given twice"),
        ('{"resourceType": "QuestionnaireResponse", "x": NaN}', "not a finite number"),
        ('{"a": ' * 100 + "1" + "}" * 100, "nested too deeply"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ("[1, 2]", "expected a JSON object, not list"),
        ('"QuestionnaireResponse"', "expected a JSON object, not str"),
    ],
)
def test_malformed_or_hostile_json_is_refused(text: str, expected: str) -> None:
    with pytest.raises(FhirImportError, match=expected):
        from_questionnaire_response(text)


def test_deep_nesting_in_an_already_parsed_dict_is_refused() -> None:
    deep: dict[str, Any] = good()
    node = deep
    for _ in range(40):
        node["extension"] = [{"url": "x"}]
        node = node["extension"][0]
    with pytest.raises(FhirImportError, match="nested too deeply"):
        from_questionnaire_response(deep)


_leaf = st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.text(max_size=8) | st.floats()
_junk = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["resourceType", "status", "questionnaire", "item", "linkId", "answer", "valueCoding", "code",
                     "system", "valueInteger"]),
    _junk,
)  # fmt: skip
def test_any_field_replaced_by_junk_gives_a_result_or_a_fhir_import_error(field: str, junk: object) -> None:
    resp = good()
    targets = {
        "resourceType": resp, "status": resp, "questionnaire": resp, "item": resp, "linkId": resp["item"][0],
        "answer": resp["item"][0], "valueCoding": resp["item"][0]["answer"][0], "code": coding(resp),
        "system": coding(resp), "valueInteger": resp["item"][0]["answer"][0],
    }  # fmt: skip
    targets[field][field] = junk
    try:
        result = from_questionnaire_response(resp)
    except FhirImportError as exc:
        assert str(exc)
    else:
        assert 0 <= result.total.value <= 12


@pytest.mark.parametrize("value", [True, 4.0, "4"])
def test_value_integer_must_be_written_as_an_integer(value: object) -> None:
    items = [{"linkId": "q5", "answer": [{"valueInteger": value}]}, {"linkId": "q9", "answer": [{"valueInteger": 6}]}]
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}
    response["questionnaire"] = "urn:yotsu:questionnaire:pseq2"
    with pytest.raises(FhirImportError, match=r"item 'q5': valueInteger is .*; expected an integer"):
        from_questionnaire_response(response)
