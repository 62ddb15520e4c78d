"""End to end in real headless Chromium, Japanese, phone-sized: a guest books a first visit, opens the intake
from the booking page and answers it step by step (identity and consent, warning signs, a questionnaire, the
pain drawing by tapping the outline, free text). Screenshots of each step go to the test's tmp dir.

Django's ORM is used only before and after the browser runs (see test_browser_inquiry)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from yotsu.pathway.triage import triage_rules
from yotsu_web.booking.models import Availability, Booking, VisitType
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.intake.models import Intake, IntakeSettings

from .conftest import make_user
from .test_browser_patient import phone_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura", notification_email="sakura@example.com")
    practitioner = make_user("pat", clinic, Role.PRACTITIONER).memberships.get()
    for weekday in range(7):
        Availability.objects.create(practitioner=practitioner, weekday=weekday, start=dt.time(10), end=dt.time(12))
    VisitType.objects.create(clinic=clinic, name="初回", minutes=60, price_yen=6600, first_visit=True)
    IntakeSettings.objects.create(clinic=clinic, instruments=["nrs_pain"])
    return clinic


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def book_as_guest(page: Page, base: str, folder: Path) -> None:
    page.goto(f"{base}/c/sakura/book/")
    page.get_by_role("link", name="初回").click()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.goto(page.url + f"?day={tomorrow.isoformat()}")
    page.get_by_role("link", name="10:00").click()
    page.locator("[name=guest_name]").fill("山田 花子")
    page.locator("[name=guest_phone]").fill("090-1111-2222")
    page.locator("[name=guest_email]").fill("hanako@example.com")
    page.get_by_role("button", name="この日時で予約する").click()
    expect(page.locator("#intake-link")).to_contain_text("初診前の問診票")
    expect(page.locator("#intake-link")).to_contain_text("問診票: 未回答")
    shot(page, folder, "0-booking")


def answer_intake(page: Page, folder: Path) -> None:
    progress = page.locator("#intake-progress")
    expect(progress).to_contain_text("ステップ 1 / 5")
    expect(page.locator("[name=full_name]")).to_have_value("山田 花子")  # from the booking
    page.locator("[name=furigana]").fill("やまだ はなこ")
    page.locator("[name=birth_date]").fill("1980-04-01")
    page.locator("[name=consent]").check()
    shot(page, folder, "1-identity")
    page.get_by_role("button", name="次へ").click()

    expect(progress).to_contain_text("ステップ 2 / 5")
    expect(page.get_by_role("heading", name="はじめに注意が必要な症状")).to_be_visible()
    expect(page.get_by_text(triage_rules().flag("saddle_numbness").question.ja)).to_be_visible()
    today = timezone.localdate()
    age = today.year - 1980 - ((today.month, today.day) < (4, 1))
    expect(page.locator("[name=age_years]")).to_have_value(str(age))  # from the date of birth just given
    page.locator("[name=pain_duration_weeks]").fill("20")
    for question in triage_rules().flag_question_ids():
        page.locator(f'input[name="{question}"][value="no"]').check()
    page.locator('input[name="examined_by_doctor"][value="yes"]').check()
    page.locator('input[name="doctor_found_serious_cause"][value="no"]').check()
    shot(page, folder, "2-warning-signs")
    page.get_by_role("button", name="次へ").click()

    expect(progress).to_contain_text("ステップ 3 / 5")
    expect(page.get_by_role("heading", name="痛みの強さ（数値評価スケール 0〜10）")).to_be_visible()
    page.locator('input[name="q1"][value="6"]').check()
    shot(page, folder, "3-questionnaire")
    page.get_by_role("button", name="次へ").click()

    expect(progress).to_contain_text("ステップ 4 / 5")
    expect(page.get_by_role("heading", name="どこが痛みますか？")).to_be_visible()
    expect(page.locator(".pain-view figcaption")).to_have_text(["前", "後ろ"])  # the body's sides, not "go back"
    for region in ("low_back_left", "low_back_right"):
        outline = page.locator(f'path[data-region="{region}"]')
        outline.click()
        expect(outline).to_have_attribute("aria-checked", "true")  # the tap marked it
    shot(page, folder, "4-pain-drawing")
    page.get_by_role("button", name="次へ").click()

    expect(progress).to_contain_text("ステップ 5 / 5")
    page.locator("[name=chief_complaint]").fill("朝起きると腰が痛い")
    page.locator("[name=wishes]").fill("自分でできる運動を知りたい")
    shot(page, folder, "5-free-text")
    page.get_by_role("button", name="クリニックに送る").click()

    expect(page.locator("#intake-done")).to_contain_text("問診票はクリニックに届きました")
    shot(page, folder, "6-done")


def test_a_guest_books_a_first_visit_and_answers_the_intake_on_a_phone(
    clinic: Clinic, live_server: object, tmp_path: Path
) -> None:
    with phone_page() as page:
        book_as_guest(page, str(live_server), tmp_path)
        page.locator("#intake-link").get_by_role("link", name="問診票に答える").click()
        answer_intake(page, tmp_path)
    intake = Intake.objects.get(booking=Booking.objects.get(clinic=clinic))
    assert intake.status == "complete" and intake.pain_regions == ["low_back_left", "low_back_right"]
    assert intake.chief_complaint == "朝起きると腰が痛い" and intake.patient.user.furigana == "ヤマダ ハナコ"
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "0-booking.png", "1-identity.png", "2-warning-signs.png", "3-questionnaire.png", "4-pain-drawing.png",
        "5-free-text.png", "6-done.png",
    ]  # fmt: skip
