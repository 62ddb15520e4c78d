"""When what a patient's explanation rests on is saved, ask the queue for a new one (after the commit).

The explanation rests on the latest questionnaire answers, the body-map tests, the diary's sleep, the two
single questions and the plan in force. Each save below calls :func:`service.request_explanation` once per
patient and transaction, after it commits; that function queues the worker only when the inputs changed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save


class _Request:
    def __init__(self, patient_id: int) -> None:
        self.patient_id = patient_id
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        from yotsu_web.clinics.models import Membership
        from yotsu_web.explain.service import request_explanation

        patient = Membership.objects.filter(pk=self.patient_id).first()
        if patient is not None:
            request_explanation(patient)


def _after_commit(patient_id: int) -> None:
    waiting = transaction.get_connection().run_on_commit  # (savepoints, callback, robust) of this transaction
    if any(isinstance(f := item[1], _Request) and f.patient_id == patient_id and not f.ran for item in waiting):
        return
    transaction.on_commit(_Request(patient_id), robust=True)  # a queue that is down never fails the save


def inputs_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    if getattr(sender, "__name__", "") == "QuestionnaireResponse" and instance.completed_at is None:
        return  # an answer in progress changes nothing yet
    if kwargs.get("raw"):
        return  # fixtures being loaded
    _after_commit(instance.patient_id)


def connect() -> None:
    from yotsu_web.assessments.models import QuestionnaireResponse
    from yotsu_web.bodymap.models import ClinicTest, LeftRightSession
    from yotsu_web.diary.models import DiaryDay
    from yotsu_web.explain.models import ProfileAnswers
    from yotsu_web.plans.models import PlanVersion

    for model in (QuestionnaireResponse, LeftRightSession, ClinicTest, DiaryDay, ProfileAnswers, PlanVersion):
        post_save.connect(inputs_saved, sender=model, dispatch_uid=f"explain-inputs-{model.__name__}")
        post_delete.connect(inputs_saved, sender=model, dispatch_uid=f"explain-inputs-del-{model.__name__}")
