"""FHIR export and import of instruments, using the R4B models of ``fhir.resources``.

``fhir.resources`` 8 ships R5 at its top level and R4B (4.3, wire-compatible with R4 for the
resources used here: Questionnaire, QuestionnaireResponse, Observation) under ``fhir.resources.R4B``;
there is no plain R4 package, so Yotsu uses R4B throughout. Answers are ``valueCoding`` with the
SDC ``ordinalValue`` extension carrying the item's points; scores are ``Observation`` s with a LOINC
code where one is known (instruments.md) and always a Yotsu code.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from yotsu.i18n import check_lang
from yotsu.pathway.instruments.catalogue import instrument as get_instrument
from yotsu.pathway.instruments.catalogue import instruments
from yotsu.pathway.instruments.errors import InstrumentError
from yotsu.pathway.instruments.schema import Instrument, ScoreMethod
from yotsu.pathway.instruments.scoring import Answers, InstrumentResult, item_points, score
from yotsu.pathway.instruments.texts import ItemTexts, option_label

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SCORE_SYSTEM = "urn:yotsu:score"
CATEGORY_SYSTEM = "urn:yotsu:score-category"
_SURVEY = CodeableConcept(
    coding=[Coding(system="http://terminology.hl7.org/CodeSystem/observation-category", code="survey")]
)


class FhirImportError(InstrumentError):
    """A QuestionnaireResponse that cannot be read back into a Yotsu instrument result."""

    template = "QuestionnaireResponse cannot be imported: {detail}"


def questionnaire_url(inst: Instrument) -> str:
    """The canonical URL of an instrument's Questionnaire."""
    return f"urn:yotsu:questionnaire:{inst.id}"


def answer_system(inst: Instrument, response_set: str) -> str:
    return f"urn:yotsu:answers:{inst.id}:{response_set}"


def to_questionnaire(inst: Instrument | str, lang: str = "en", clinic: ItemTexts | None = None) -> Questionnaire:
    """The instrument as a FHIR ``Questionnaire`` in ``lang``; item text only where licensed or supplied."""
    inst = get_instrument(inst) if isinstance(inst, str) else inst
    lang = check_lang(lang)
    items = []
    for item in inst.items:
        text = item.text.get(lang) or (clinic.items.get(item.id, {}).get(lang) if clinic else None)
        options = [
            QuestionnaireItemAnswerOption(
                valueCoding=Coding(
                    system=answer_system(inst, item.response_set),
                    code=str(o.value),
                    display=option_label(inst, item.response_set, o.value, lang, clinic),
                    extension=[Extension(url=ORDINAL_VALUE, valueDecimal=item_points(inst, item, o.value))],
                )
            )
            for o in inst.response_sets[item.response_set]
        ]
        items.append(
            QuestionnaireItem(
                linkId=item.id,
                type="choice",
                text=text,
                required=inst.missing.max_missing == 0,
                answerOption=options,
            )
        )
    notice = inst.licence.notice(lang) if inst.licence.notice else inst.licence.decision
    return Questionnaire(
        id=inst.id.replace("_", "-"),
        url=questionnaire_url(inst),
        name="Yotsu" + "".join(p.capitalize() for p in inst.id.split("_")),
        title=inst.name(lang),
        language=lang,
        status="active",
        copyright=notice,
        code=[Coding(system=LOINC, code=inst.loinc_panel)] if inst.loinc_panel else None,
        item=items,
    )


def to_questionnaire_response(
    inst: Instrument | str,
    answers: Answers,
    authored: dt.datetime | None = None,
    subject: str | None = None,
    response_id: str | None = None,
) -> QuestionnaireResponse:
    """A completed ``QuestionnaireResponse``; answers are validated by scoring them first."""
    inst = get_instrument(inst) if isinstance(inst, str) else inst
    score(inst, answers)  # refuses unknown items, out-of-range answers and too many missing
    items = []
    for item in inst.items:
        value = answers.get(item.id)
        if value is None:
            continue
        coding = Coding(system=answer_system(inst, item.response_set), code=str(value))
        items.append(
            QuestionnaireResponseItem(linkId=item.id, answer=[QuestionnaireResponseItemAnswer(valueCoding=coding)])
        )
    return QuestionnaireResponse(
        id=response_id,
        questionnaire=questionnaire_url(inst),
        status="completed",
        authored=authored or dt.datetime.now(dt.UTC),
        subject=Reference(reference=subject) if subject else None,
        item=items,
    )


def to_observations(
    result: InstrumentResult,
    response: QuestionnaireResponse | None = None,
    subject: str | None = None,
) -> list[Observation]:
    """One ``Observation`` per score (total first, then subscales), derived from ``response``."""
    inst = get_instrument(result.instrument)
    out = []
    for sdef in inst.scores:
        value = result.scores[sdef.id]
        codings = [Coding(system=LOINC, code=sdef.loinc)] if sdef.loinc else []
        codings.append(Coding(system=SCORE_SYSTEM, code=f"{inst.id}.{sdef.id}", display=sdef.name.en))
        unit = "%" if sdef.method is ScoreMethod.PERCENT else "{score}"
        interpretation = None
        if value.category is not None:
            cat = value.category
            coding = Coding(system=CATEGORY_SYSTEM, code=f"{inst.id}.{sdef.id}.{cat.id}", display=cat.label.en)
            interpretation = [CodeableConcept(coding=[coding], text=cat.label.en)]
        derived = [Reference(reference=f"QuestionnaireResponse/{response.id}")] if response and response.id else None
        out.append(
            Observation(
                status="final",
                category=[_SURVEY],
                code=CodeableConcept(coding=codings, text=f"{inst.short_name} {sdef.name.en}"),
                subject=Reference(reference=subject) if subject else None,
                effectiveDateTime=response.authored if response else None,
                valueQuantity=Quantity(value=round(value.value, 4), unit=unit, system=UCUM, code=unit),
                interpretation=interpretation,
                derivedFrom=derived,
            )
        )
    return out


def from_questionnaire_response(response: QuestionnaireResponse | dict[str, Any] | str) -> InstrumentResult:
    """Read a ``QuestionnaireResponse`` (model, dict or JSON text) back into a scored result."""
    qr = _parse(response)
    by_url = {questionnaire_url(i): i for i in instruments().values()}
    inst = by_url.get(str(qr.questionnaire))
    if inst is None:
        raise FhirImportError(detail=f"questionnaire {qr.questionnaire!r} is not one of {', '.join(by_url)}")
    answers: dict[str, int | None] = {}
    for item in qr.item or []:
        given = item.answer or []
        if len(given) != 1:
            raise FhirImportError(detail=f"item {item.linkId!r} must have exactly one answer")
        answers[str(item.linkId)] = _answer_value(given[0], str(item.linkId))
    return score(inst, answers)


def _parse(response: QuestionnaireResponse | dict[str, Any] | str) -> QuestionnaireResponse:
    if isinstance(response, QuestionnaireResponse):
        return response
    data = json.loads(response) if isinstance(response, str) else response
    try:
        return QuestionnaireResponse.model_validate(data)
    except ValueError as exc:
        raise FhirImportError(detail=str(exc).splitlines()[0]) from exc


def _answer_value(answer: QuestionnaireResponseItemAnswer, link_id: str) -> int:
    if answer.valueInteger is not None:
        return int(answer.valueInteger)
    if answer.valueCoding is not None and answer.valueCoding.code is not None:
        try:
            return int(answer.valueCoding.code)
        except ValueError:
            pass
    raise FhirImportError(detail=f"item {link_id!r}: answer must be valueInteger or valueCoding with a numeric code")
