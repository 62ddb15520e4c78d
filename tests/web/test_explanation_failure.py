"""Never a dead end: when the worker cannot compute a patient's explanation, the failure is recorded (when,
a short technical reason, for which inputs) without losing the last good explanation; the patient reads a
plain notice instead of "being prepared" forever, and the desk shows the reason with a retry."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.diary.models import DiaryDay
from yotsu_web.explain import service
from yotsu_web.explain.models import FAILURE_LENGTH, CachedExplanation
from yotsu_web.reminders.tasks import HUEY

from .conftest import Personas, make_user
from .line_fake import running_worker
from .test_explanation import CSI_HIGH, completed
from .test_plain_words import problems, visible_text

JA = {"accept-language": "ja"}
EN = {"accept-language": "en"}


def break_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise FloatingPointError("non-finite draw in the brake kernel")

    monkeypatch.setattr(service, "explain", broken)


def no_self_reload(html: str) -> bool:
    return 'id="preparing"' not in html and "data-refresh" not in html and "yotsu_web/refresh.js" not in html


def test_the_real_worker_records_the_failure_the_patient_is_told_plainly_and_the_desks_retry_clears_it(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura")
    patient = make_user("hanako", clinic, Role.PATIENT).memberships.get()
    practitioner = make_user("pat", clinic, Role.PRACTITIONER)
    HUEY.storage.flush_all()
    done = threading.Event()
    results: list[str] = []
    real_refresh = service.refresh

    def refresh_and_tell(patient_id: int) -> str:
        try:
            result = real_refresh(patient_id)
            results.append(result)
            return result
        except Exception as error:
            results.append(f"raised {type(error).__name__}")
            raise
        finally:
            connection.close()  # the worker thread's own: no session left behind for the database's teardown
            done.set()

    monkeypatch.setattr(service, "refresh", refresh_and_tell)
    break_the_model(monkeypatch)
    try:
        with caplog.at_level(logging.ERROR, logger="yotsu_web.explain.service"), running_worker(HUEY):
            completed(patient, "csi_a", CSI_HIGH)  # autocommit: the signal queues after this commit
            assert done.wait(120), "the worker did not try the explanation in time"
        assert results == ["raised FloatingPointError"]
        assert any("failed" in r.getMessage() and r.exc_info for r in caplog.records), "the failure is logged"

        row = CachedExplanation.objects.get(patient=patient)
        assert row.explanation is None and row.failed_at is not None
        assert row.failure == "model: FloatingPointError: non-finite draw in the brake kernel"
        assert row.failed_key == service.explanation_key(patient) and row.failed_for(row.failed_key)

        # The patient: a plain notice with what to do meanwhile, no "being prepared", no reloading.
        client = Client()
        client.force_login(patient.user)
        before = HUEY.pending_count()
        html = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
        assert 'id="explanation-failed"' in html and no_self_reload(html)
        assert "今回は、あなたへの説明を用意できませんでした" in html and "院にはすでに伝わっていて" in html
        for name in ("diary:diary", "programme:today", "messaging:thread"):
            assert f'href="{reverse(name, args=["sakura"])}"' in html, name
        assert "FloatingPointError" not in html and "model:" not in html  # no technical words for the patient
        assert problems(visible_text(html)) == []
        english = client.get(reverse("explain:mine", args=["sakura"]), headers=EN).content.decode()
        assert "We could not prepare your explanation this time" in english and no_self_reload(english)
        plan = client.get(reverse("assessments:plan", args=["sakura"]), headers=JA).content.decode()
        assert 'id="explanation-failed"' in plan and no_self_reload(plan)
        assert HUEY.pending_count() == before, "the same inputs are not queued again on every visit"

        # The practitioner: when, the technical reason, and a retry.
        desk = Client()
        desk.force_login(practitioner)
        page = desk.get(reverse("desk:patient", args=["sakura", patient.pk]), headers=EN).content.decode()
        assert 'id="explanation-failure"' in page and "The explanation could not be computed" in page
        assert "model: FloatingPointError: non-finite draw in the brake kernel" in page
        assert timezone.localtime(row.failed_at).strftime("%Y-%m-%d %H:%M") in page
        assert f'action="{reverse("explain:retry", args=["sakura", patient.pk])}"' in page
        assert "csrfmiddlewaretoken" in page
        listing = desk.get(reverse("desk:patients", args=["sakura"]), headers=EN).content.decode()
        assert "explanation failed" in listing
        detail = desk.get(reverse("explain:patient", args=["sakura", patient.pk]), headers=EN).content.decode()
        assert 'id="explanation-failure"' in detail and no_self_reload(detail)

        monkeypatch.undo()  # the model works again (and refresh is the real one: wrap it again to wait on it)
        monkeypatch.setattr(service, "refresh", refresh_and_tell)
        done.clear()
        HUEY.storage.flush_all()  # the queue's own automatic retry (in 30 s) is not what is tested here
        retry_url = reverse("explain:retry", args=["sakura", patient.pk])
        answer = desk.post(retry_url, {"next": reverse("desk:patient", args=["sakura", patient.pk])})
        assert answer.status_code == 302 and answer["Location"] == reverse("desk:patient", args=["sakura", patient.pk])
        assert AuditEvent.objects.filter(actor=practitioner, action=Action.CHANGE,
                                         subject_type="cachedexplanation", subject_id=row.pk).exists()  # fmt: skip
        assert HUEY.pending_count() == 1
        waiting = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
        assert 'id="preparing"' in waiting, "after a retry the patient's page waits for it again"
        with running_worker(HUEY):
            assert done.wait(120), "the worker did not compute the retried explanation in time"
        assert results[-1] == "computed"
        row.refresh_from_db()
        assert row.explanation is not None and row.failed_at is None and row.failure == "" and row.failed_key == ""
        page = desk.get(reverse("desk:patient", args=["sakura", patient.pk]), headers=EN).content.decode()
        assert 'id="explanation-failure"' not in page
        html = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
        assert 'id="dangers"' in html and 'id="explanation-failed"' not in html
    finally:
        HUEY.storage.flush_all()


def test_with_a_last_good_explanation_the_page_shows_it_with_its_date_and_a_short_note(
    client: Client,
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    record = personas.patient_record
    assert service.refresh(record.pk) == "computed"
    good = CachedExplanation.objects.get(patient=record)
    shown = timezone.localtime(good.computed_at).strftime("%Y-%m-%d %H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        completed(record, "csi_a", CSI_HIGH)  # new inputs: queued (the worker is this test, below)
    break_the_model(monkeypatch)
    with pytest.raises(FloatingPointError):
        service.refresh(record.pk)  # raised again, so the queue's own retry applies
    row = CachedExplanation.objects.get(patient=record)
    assert row.explanation == good.explanation and row.fingerprint == good.fingerprint, "the last good one stays"
    assert row.computed_at == good.computed_at and set(row.figures) == set(good.figures)
    assert row.failed_key == service.explanation_key(record) != row.fingerprint
    assert row.failure.startswith("model: FloatingPointError")

    client.force_login(personas.patient)
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
    assert f"{shown} 時点の説明です。" in html and 'id="dangers"' in html
    assert 'id="explanation-not-updated"' in html and "前回用意できた説明です" in html
    assert 'id="explanation-updating"' not in html and no_self_reload(html)
    assert problems(visible_text(html)) == []
    assert HUEY.pending_count() == before, "a failed computation is not queued again for the same inputs"
    desk = Client()
    desk.force_login(personas.practitioner)
    page = desk.get(reverse("desk:patient", args=["sakura", record.pk]), headers=EN).content.decode()
    assert "no new attempt is made until their inputs change or you retry" in page

    # A later input change queues it again, and the page says an update is on its way.
    with django_capture_on_commit_callbacks(execute=True):
        DiaryDay.objects.create(patient=record, date=timezone.localdate(), sleep_quality=2)  # the diary's sleep
    assert HUEY.pending_count() == before + 1
    html = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
    assert 'id="explanation-updating"' in html and 'id="explanation-not-updated"' not in html
    page = desk.get(reverse("desk:patient", args=["sakura", record.pk]), headers=EN).content.decode()
    assert 'id="explanation-failure"' in page and "A newer attempt" in page  # kept until a success
    monkeypatch.undo()
    assert service.refresh(record.pk) == "computed"
    row.refresh_from_db()
    assert row.failed_at is None and row.failure == "" and row.fingerprint == service.explanation_key(record)


def test_red_flags_still_come_first_on_a_failed_explanation_page(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yotsu_web.referrals.models import RedFlagEvent

    record = personas.patient_record
    break_the_model(monkeypatch)
    with pytest.raises(FloatingPointError):
        service.refresh(record.pk)
    RedFlagEvent.objects.create(patient=record, source="diary", route="emergency", flags=["saddle_numbness"],
                                answered_at=timezone.now())  # fmt: skip
    client.force_login(personas.patient)
    html = client.get(reverse("explain:mine", args=["sakura"]), headers=JA).content.decode()
    assert 'id="referral"' in html and 'id="explanation-failed"' in html
    assert html.index('id="referral"') < html.index('id="explanation-failed"')


def test_a_failure_before_the_model_names_its_stage_and_the_inputs_asked_for(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    record = personas.patient_record
    with django_capture_on_commit_callbacks(execute=False):
        wanted = service.request_explanation(record).wanted

    def broken(patient: object) -> None:
        raise KeyError("sleep")

    monkeypatch.setattr(service, "patient_inputs", broken)
    with pytest.raises(KeyError):
        service.refresh(record.pk)
    row = CachedExplanation.objects.get(patient=record)
    assert row.failure == "inputs: KeyError: 'sleep'" and row.failed_key == wanted


def test_the_reason_is_short_and_on_one_line() -> None:
    reason = service.failure_reason("model", ValueError("bad\n  value " * 100))
    assert len(reason) == FAILURE_LENGTH and reason.endswith("…") and "\n" not in reason
    assert service.failure_reason("figures", RuntimeError()) == "figures: RuntimeError"


def test_the_retry_is_for_this_clinics_staff_by_post_with_csrf(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    record = personas.patient_record
    url = reverse("explain:retry", args=["sakura", record.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.practitioner)
    assert strict.post(url).status_code == 403, "no CSRF token: refused"
    for user in (personas.patient, personas.other_practitioner):
        client = Client()
        client.force_login(user)
        assert client.post(url).status_code == 403, user.username
    client = Client()
    client.force_login(personas.practitioner)
    assert client.get(url).status_code == 405
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"next": "https://elsewhere.example/"})
    assert answer.status_code == 302 and answer["Location"] == reverse("desk:patient", args=["sakura", record.pk])
    assert HUEY.pending_count() == before + 1
