"""A patient's questionnaires as a FHIR Bundle, built by the pathway's FHIR functions.

``fhir.resources`` validates every resource as it is built; the pathway uses its R4B models, which
are wire-compatible with R4 for QuestionnaireResponse and Observation.
"""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle, BundleEntry

from yotsu.pathway.instruments import to_observations, to_questionnaire_response
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Membership


def patient_reference(patient: Membership) -> str:
    return f"Patient/yotsu-{patient.pk}"


def patient_bundle(patient: Membership) -> Bundle:
    """Every completed questionnaire: its QuestionnaireResponse and one Observation per score."""
    entries = []
    subject = patient_reference(patient)
    done = QuestionnaireResponse.objects.filter(patient=patient, completed_at__isnull=False).order_by("completed_at")
    for stored in done:
        response = to_questionnaire_response(
            stored.instrument, stored.answers, authored=stored.completed_at, subject=subject,
            response_id=f"qr-{stored.pk}",
        )  # fmt: skip
        entries.append(BundleEntry(fullUrl=f"urn:uuid:yotsu-qr-{stored.pk}", resource=response))
        for n, observation in enumerate(to_observations(stored.result(), response, subject=subject)):
            observation.id = f"obs-{stored.pk}-{n}"
            entries.append(BundleEntry(fullUrl=f"urn:uuid:yotsu-obs-{stored.pk}-{n}", resource=observation))
    return Bundle(type="collection", entry=entries or None)


def bundle_json(patient: Membership) -> str:
    return patient_bundle(patient).model_dump_json(exclude_none=True, indent=1)
