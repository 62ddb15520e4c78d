"""The personal forecast on the patient's page, the desk and the API: fitted in the queue, shown with its date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu_web.diary.models import DiaryDay, DiarySession
from yotsu_web.forecast import service
from yotsu_web.forecast.models import ForecastSnapshot, PersonalForecast, Status
from yotsu_web.plans.models import PlanVersion

from .conftest import Personas


def _diary(patient: object, days: int = 40, massage: bool = True) -> None:
    """A diary where massage eases the pain for a day or two, less each time as the pressure rises."""
    rng = np.random.default_rng(1)
    start = timezone.localdate() - dt.timedelta(days=days - 1)
    for n in range(days):
        day = start + dt.timedelta(days=n)
        eased = max(0.0, 2.5 - 0.25 * (n // 4)) * 0.5 ** (n % 4) if massage else 0.0
        pain = int(np.clip(round(6 - eased + rng.normal(0, 0.6)), 0, 10))
        DiaryDay.objects.create(patient=patient, date=day, pain_nrs=pain,
                                sleep_quality=int(rng.integers(3, 8)), stress=int(rng.integers(3, 8)))  # fmt: skip
        if massage and n % 4 == 0:
            k = n // 4
            DiarySession.objects.create(patient=patient, date=day, kind="massage", pressure=min(10, 4 + k // 2),
                                        relief=max(1, 7 - k), relief_days=max(0.5, 3 - 0.3 * k))  # fmt: skip


def test_page_before_the_first_fit_says_it_is_being_worked_out_and_queues_one(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    from yotsu_web.reminders.tasks import HUEY

    _diary(personas.patient_record)
    client.force_login(personas.patient)
    before = HUEY.pending_count()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        page = client.get(reverse("forecast:mine", args=["sakura"]), headers={"accept-language": "ja"})
    assert page.status_code == 200
    assert "見通しを計算しています" in page.content.decode()
    assert HUEY.pending_count() == before + 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.get(reverse("forecast:mine", args=["sakura"]))
    assert HUEY.pending_count() == before + 1, "a fit already queued is not queued twice"


def test_fitted_forecast_shows_drivers_massage_and_plans_in_japanese(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    _diary(record)
    assert service.refresh(record.pk) == Status.READY
    client.force_login(personas.patient)
    html = client.get(reverse("forecast:mine", args=["sakura"]), headers={"accept-language": "ja"}).content.decode()
    assert "これまでの日誌から" in html and "あなたの痛みを動かしているもの" in html
    assert "マッサージがあなたにどう効いてきたか" in html and "楽になる幅が、最初より小さくなっています" in html
    assert "治療なし" in html and "はっきり良くなる見込み" in html
    assert "モデルによる推定であり、診断ではありません" in html
    svg = client.get(reverse("forecast:my-fan", args=["sakura"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and len(svg.content) > 20_000
    assert svg["Cache-Control"] == "private, no-store"


def test_new_diary_day_marks_the_fit_as_updating_and_the_page_keeps_the_old_one(
    client: Client, personas: Personas
) -> None:
    record = personas.patient_record
    _diary(record, days=30)
    service.refresh(record.pk)
    DiaryDay.objects.filter(patient=record).order_by("-date").first().delete()  # type: ignore[union-attr]
    client.force_login(personas.patient)
    html = client.get(reverse("forecast:mine", args=["sakura"]), headers={"accept-language": "en"}).content.decode()
    assert "An update with your latest entries is on its way." in html
    assert "What moves your pain" in html


def test_short_diary_is_labelled_as_the_answer_for_people_in_general(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    _diary(record, days=8, massage=False)
    service.refresh(record.pk)
    client.force_login(personas.patient)
    html = client.get(reverse("forecast:mine", args=["sakura"]), headers={"accept-language": "en"}).content.decode()
    assert 'id="forecast-population"' in html and "for people in general" in html


def test_open_red_flag_stops_the_forecast(client: Client, personas: Personas) -> None:
    from yotsu_web.referrals.service import record_red_flag

    record = personas.patient_record
    _diary(record)
    assert record_red_flag(record, "diary", "emergency", ["saddle_numbness"]) is not None
    service.refresh(record.pk)
    fit = PersonalForecast.objects.get(patient=record).result
    assert fit is not None and fit["red_flag"] and fit["forecasts"] == []
    client.force_login(personas.patient)
    html = client.get(reverse("forecast:mine", args=["sakura"]), headers={"accept-language": "en"}).content.decode()
    assert 'id="forecast-red-flag"' in html and 'id="forecast-table"' not in html
    fan = client.get(reverse("forecast:my-fan", args=["sakura"]), headers={"accept-language": "en"})
    assert b"No forecast to show yet." in fan.content


def test_desk_shows_informed_parameters_and_the_forecast_made_at_each_plan_change(
    client: Client, personas: Personas
) -> None:
    record = personas.patient_record
    _diary(record)
    service.refresh(record.pk)
    assert ForecastSnapshot.objects.filter(patient=record).count() == 1
    service.refresh(record.pk)
    assert ForecastSnapshot.objects.filter(patient=record).count() == 1, "same plan: no new snapshot"
    PlanVersion.objects.create(patient=record, changed_by=personas.practitioner, start_date=timezone.localdate(),
                               risk_group="medium", weeks=12)  # fmt: skip
    service.refresh(record.pk)
    assert ForecastSnapshot.objects.filter(patient=record).count() == 2
    client.force_login(personas.practitioner)
    html = client.get(
        reverse("forecast:patient", args=["sakura", record.pk]), headers={"accept-language": "en"}
    ).content.decode()
    assert 'id="forecast-informed"' in html and 'id="snapshot-table"' in html
    assert "How much a massage session eases your pain right after it" in html


def test_api_gives_the_readme_contract_to_the_patient_and_the_clinic_staff(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    _diary(record)
    client.force_login(personas.patient)
    first = client.get(reverse("api:my-forecast", args=["sakura"])).json()
    assert first["status"] == "pending" and first["fit"] is None
    service.refresh(record.pk)
    mine = client.get(reverse("api:my-forecast", args=["sakura"])).json()
    assert mine["status"] == "ready" and not mine["updating"]
    fit = mine["fit"]
    assert {"forecasts", "drivers", "massage", "informed"} <= set(fit)
    assert {"plan", "weeks", "median", "band50", "band80", "p_improvement"} <= set(fit["forecasts"][0])
    client.force_login(personas.practitioner)
    staff = client.get(reverse("api:patient-forecast", args=["sakura", record.pk])).json()
    assert staff["fit"] == fit
    client.force_login(personas.other_practitioner)
    assert client.get(reverse("api:patient-forecast", args=["sakura", record.pk])).status_code in (403, 404)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_patients_get_fits_whose_story_matches_their_diary(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    from yotsu_web import demo
    from yotsu_web.clinics.models import Membership

    demo.main(["--no-serve"])
    records = [Membership.objects.get(clinic__slug=demo.DEMO_CLINIC_SLUG, user__username=n) for n in demo.DEMO_PATIENTS]
    fits = []
    for record in records:
        assert service.refresh(record.pk) == Status.READY
        fits.append(PersonalForecast.objects.get(patient=record).result)
    improving, escalating, quiet = fits
    active = next(d for d in improving["drivers"] if d["id"] == "active_care")
    assert active["points"]["high"] < 0, "the improving patient's active care eases the pain"
    assert improving["massage"] is None
    assert escalating["massage"]["trend"] == "shrinking", "the escalating patient's relief is shown shrinking"
    assert quiet["massage"] is None and quiet["source"] == "diary"


def test_forecast_page_speaks_plain_japanese(client: Client, personas: Personas) -> None:
    from .test_plain_words import problems, visible_text

    record = personas.patient_record
    _diary(record)
    service.refresh(record.pk)
    client.force_login(personas.patient)
    text = visible_text(
        client.get(reverse("forecast:mine", args=["sakura"]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    )
    assert "あなたの痛みを動かしているもの" in text
    assert problems(text) == []
