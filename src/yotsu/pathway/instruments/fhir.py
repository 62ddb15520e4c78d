"""FHIR export and import of instruments, using the R4B models of ``fhir.resources``.

``fhir.resources`` 8 ships R5 at its top level and R4B (4.3, wire-compatible with R4 for the
resources used here: Questionnaire, QuestionnaireResponse, Observation) under ``fhir.resources.R4B``;
there is no plain R4 package, so Yotsu uses R4B throughout. Answers are ``valueCoding`` with the
SDC ``ordinalValue`` extension carrying the item's points; scores are ``Observation`` s with a LOINC
code where one is known (instruments.md) and always a Yotsu code.
"""

from __future__ import annotations

import datetime as dt
import re
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

from yotsu._strict import StrictInputError, check_depth, parse_json
from yotsu.i18n import check_lang, gettext
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
    """A QuestionnaireResponse that cannot be read back into a Yotsu instrument result.

    When scoring refused the answers (an unknown item, an answer out of range, too many missing), that
    error is ``cause`` and its message, in either language, is the detail.
    """

    template = "QuestionnaireResponse cannot be imported: {detail}"

    def __init__(self, cause: InstrumentError | None = None, **facts: object) -> None:
        self.cause = cause
        if cause is not None:
            facts.setdefault("detail", cause.localized("en"))
        super().__init__(**facts)

    def localized(self, lang: str = "en") -> str:
        if self.cause is None:
            return super().localized(lang)
        return gettext(self.template, lang).format(detail=self.cause.localized(lang))


#: The statuses of a response whose answers are final (FHIR R4 QuestionnaireResponse.status).
IMPORTABLE_STATUSES = ("completed", "amended")
_CODE = re.compile(r"^-?[0-9]{1,6}$")


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


def from_questionnaire_response(
    response: QuestionnaireResponse | dict[str, Any] | str | bytes,
) -> InstrumentResult:
    """Read a ``QuestionnaireResponse`` (model, dict or JSON text) back into a scored result.

    Refused with :class:`FhirImportError` naming what is wrong: JSON that is malformed, nested deeper
    than 32, has a key twice or NaN; a ``resourceType`` other than QuestionnaireResponse; a ``status``
    other than completed or amended; a questionnaire that is not a Yotsu instrument; an item Yotsu does
    not know, given twice, or without exactly one answer; a coded answer from another answer system
    or with none, or whose code is not a plain integer; and answers that scoring refuses.
    """
    qr = _parse(response)
    if qr.status not in IMPORTABLE_STATUSES:
        raise FhirImportError(detail=f"status is {qr.status!r}; only {' or '.join(IMPORTABLE_STATUSES)} is imported")
    by_url = {questionnaire_url(i): i for i in instruments().values()}
    inst = by_url.get(str(qr.questionnaire))
    if inst is None:
        raise FhirImportError(detail=f"questionnaire {qr.questionnaire!r} is not one of {', '.join(by_url)}")
    sets = {item.id: item.response_set for item in inst.items}
    answers: dict[str, int | None] = {}
    for item in qr.item or []:
        link_id = str(item.linkId)
        if link_id not in sets:
            raise FhirImportError(detail=f"item {link_id[:60]!r} is not in {inst.id}; the items are: {', '.join(sets)}")
        if link_id in answers:
            raise FhirImportError(detail=f"item {link_id!r} is given twice; each linkId at most once")
        given = item.answer or []
        if len(given) != 1:
            raise FhirImportError(detail=f"item {link_id!r} must have exactly one answer")
        answers[link_id] = _answer_value(given[0], link_id, answer_system(inst, sets[link_id]))
    try:
        return score(inst, answers)
    except FhirImportError:
        raise
    except InstrumentError as exc:
        raise FhirImportError(cause=exc) from exc


def _parse(response: QuestionnaireResponse | dict[str, Any] | str | bytes) -> QuestionnaireResponse:
    if isinstance(response, QuestionnaireResponse):
        return response
    try:
        data = parse_json(response, "QuestionnaireResponse") if isinstance(response, str | bytes) else response
        check_depth(data, "QuestionnaireResponse")
    except StrictInputError as exc:
        raise FhirImportError(detail=exc.detail) from None
    if not isinstance(data, dict):
        raise FhirImportError(detail=f"expected a JSON object, not {type(data).__name__}")
    kind = data.get("resourceType")
    if kind != "QuestionnaireResponse":
        shown = "missing" if kind is None else repr(kind)[:60]
        raise FhirImportError(detail=f"resourceType is {shown}; expected 'QuestionnaireResponse'")
    _check_integers(data)
    try:
        return QuestionnaireResponse.model_validate(data)
    except ValueError as exc:
        raise FhirImportError(detail=str(exc).splitlines()[0]) from exc


def _check_integers(data: dict[str, Any]) -> None:
    """``valueInteger`` as written must be a JSON integer: not true/false, 4.0 or "4" (the model coerces them)."""
    items = data.get("item")
    for item in items if isinstance(items, list) else []:
        answers = item.get("answer") if isinstance(item, dict) else None
        for answer in answers if isinstance(answers, list) else []:
            value = answer.get("valueInteger") if isinstance(answer, dict) else None
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                link_id = str(item.get("linkId"))[:60]
                raise FhirImportError(detail=f"item {link_id!r}: valueInteger is {value!r:.40}; expected an integer")


def _answer_value(answer: QuestionnaireResponseItemAnswer, link_id: str, system: str) -> int:
    if answer.valueInteger is not None:
        return int(answer.valueInteger)
    coding = answer.valueCoding
    if coding is not None and coding.code is not None:
        if coding.system != system:
            given = "no system" if coding.system is None else f"system {str(coding.system)[:80]!r}"
            raise FhirImportError(detail=f"item {link_id!r}: the answer has {given}; expected {system!r}")
        if _CODE.match(str(coding.code)):
            return int(str(coding.code))
        raise FhirImportError(detail=f"item {link_id!r}: code {str(coding.code)[:20]!r} is not a plain integer (0-9)")
    raise FhirImportError(detail=f"item {link_id!r}: answer must be valueInteger or valueCoding with a numeric code")
