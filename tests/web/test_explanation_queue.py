"""The explanation is computed in the task queue when the patient's inputs change; a page never runs the
model: it shows the last one with its date, or "being prepared" (refreshing itself) before the first."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.diary.models import DiaryDay
from yotsu_web.explain import service
from yotsu_web.explain.models import CachedExplanation
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas, make_user
from .line_fake import running_worker
from .test_explanation import CSI_HIGH, completed

PHQ4_HIGH = {"q1": 3, "q2": 3, "q3": 3, "q4": 3}


def refuse_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request ran the model")

    monkeypatch.setattr(service, "explain", refuse)


def test_first_visit_shows_being_prepared_refreshes_itself_and_queues_once(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable
) -> None:
    refuse_the_model(monkeypatch)
    client.force_login(personas.patient)
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("explain:mine", args=["sakura"]), headers={"accept-language": "ja"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="preparing"' in html and "あなたへの説明を準備しています" in html
    assert 'data-refresh="5"' in html and "yotsu_web/refresh.js" in html  # reloads itself, and a link to do it now
    assert "いますぐ更新する" in html and 'id="dangers"' not in html
    assert HUEY.pending_count() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("explain:mine", args=["sakura"]))
        plan = client.get(reverse("assessments:plan", args=["sakura"]), headers={"accept-language": "ja"})
    assert HUEY.pending_count() == before + 1, "one already queued is not queued twice"
    assert plan.status_code == 200 and 'id="preparing"' in plan.content.decode()
    svg = client.get(reverse("explain:my-course", args=["sakura"]), headers={"accept-language": "en"})
    assert svg.status_code == 200 and b"Your explanation is being prepared." in svg.content


def test_after_an_input_changes_the_page_shows_the_last_one_with_its_date_and_never_waits(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable
) -> None:
    record = personas.patient_record
    assert service.refresh(record.pk) == "computed"
    row = CachedExplanation.objects.get(patient=record)
    assert row.computed_at is not None and row.explanation is not None
    shown = timezone.localtime(row.computed_at).strftime("%Y-%m-%d %H:%M")
    completed(record, "csi_a", CSI_HIGH)  # new inputs (the signal's callback is not run in this transaction)
    refuse_the_model(monkeypatch)
    client.force_login(personas.patient)
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(reverse("explain:mine", args=["sakura"]), headers={"accept-language": "ja"}).content.decode()
    assert f"{shown} 時点の説明です。" in html
    assert 'id="explanation-updating"' in html and "最新の回答を入れた説明を計算中です。" in html
    assert 'id="dangers"' in html and 'id="preparing"' not in html
    assert HUEY.pending_count() == before + 1
    assert client.get(reverse("explain:my-factors", args=["sakura"])).content.lstrip().startswith(b"<?xml")
    monkeypatch.undo()
    assert service.refresh(record.pk) == "computed"
    assert service.refresh(record.pk) == "unchanged"
    html = client.get(reverse("explain:mine", args=["sakura"]), headers={"accept-language": "ja"}).content.decode()
    assert 'id="explanation-updating"' not in html


def test_saving_an_answer_a_diary_day_or_a_body_map_task_queues_one_explanation(
    personas: Personas, django_capture_on_commit_callbacks: Callable
) -> None:
    from yotsu_web.bodymap.models import LeftRightSession

    record = personas.patient_record
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):
        QuestionnaireResponse.objects.create(patient=record, instrument="phq4", answers={"q1": 1})  # in progress
    assert HUEY.pending_count() == before, "an unfinished questionnaire changes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        completed(record, "phq4", PHQ4_HIGH)
        completed(record, "csi_a", CSI_HIGH)  # two saves in one transaction: one request
    assert HUEY.pending_count() == before + 1
    assert service.refresh(record.pk) == "computed"
    with django_capture_on_commit_callbacks(execute=True):
        LeftRightSession.objects.create(patient=record, n_trials=20, accuracy=0.6, median_rt_ms=1800)
    assert HUEY.pending_count() == before + 2
    assert service.refresh(record.pk) == "computed"
    with django_capture_on_commit_callbacks(execute=True):
        DiaryDay.objects.create(patient=record, date=timezone.localdate(), sleep_quality=2)
    assert HUEY.pending_count() == before + 3, "the diary's sleep is one of the inputs"
    assert service.refresh(record.pk) == "computed"
    with django_capture_on_commit_callbacks(execute=True):
        DiaryDay.objects.create(patient=record, date=timezone.localdate() - dt.timedelta(days=1), pain_nrs=3)
    # no sleep rating: the diary's median sleep is unchanged, so nothing new to compute
    assert HUEY.pending_count() == before + 3


def test_the_real_worker_computes_the_explanation_after_a_questionnaire_is_answered(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura")
    patient = make_user("hanako", clinic, Role.PATIENT).memberships.get()
    HUEY.storage.flush_all()
    done = threading.Event()
    results: list[str] = []
    real_refresh = service.refresh

    def refresh_and_tell(patient_id: int) -> str:
        try:
            result = real_refresh(patient_id)
            results.append(result)
            return result
        finally:
            done.set()

    monkeypatch.setattr(service, "refresh", refresh_and_tell)
    with running_worker(HUEY):
        completed(patient, "csi_a", CSI_HIGH)  # autocommit: the signal queues after this commit
        assert done.wait(120), "the worker did not compute the explanation in time"
    assert results == ["computed"]
    row = CachedExplanation.objects.get(patient=patient)
    assert row.explanation is not None and row.fingerprint == service.explanation_key(patient)
    assert {"course-ja", "course-en", "factors-ja", "factors-en"} <= set(row.figures)
    client = Client()
    client.force_login(patient.user)
    html = client.get(reverse("explain:mine", args=["sakura"]), headers={"accept-language": "ja"}).content.decode()
    assert 'id="dangers"' in html and 'id="explanation-date"' in html and 'id="explanation-updating"' not in html
