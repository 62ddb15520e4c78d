"""End to end in real headless Chromium (Japanese, phone-sized): the self-check stops at a red flag;
a patient writes a week of diary and sees the chart; the left/right task runs 20 trials and is
stored; the practitioner sees the escalation alert. Screenshots of each step are kept.

Django's ORM is used only before and after the browser runs (see test_browser_inquiry).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from yotsu.pathway.triage import triage_rules
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.diary.models import DiaryDay, DiarySession

from .conftest import CHROMIUM_ARGS, chromium_path, make_user

PASSWORD = "browser-test-passphrase"
pytestmark = [pytest.mark.browser]


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    return Clinic.objects.create(name="さくら整体院", slug="sakura")


@contextmanager
def phone_page() -> Iterator[Page]:
    """A Japanese phone-sized page; fails the test if the CSP blocked anything. Open it only after
    the database set-up: Playwright's event loop makes Django refuse ORM calls inside."""
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    assert csp_errors == []


def chart_is_drawn(page: Page) -> None:
    """The first chart was drawn in the browser (uPlot's canvas) at the phone's width, its legend is at
    least 12 px, and its values are there as a table for screen readers. Checked without page-side
    evaluation, which the CSP (no 'unsafe-eval') rightly refuses."""
    figure = page.locator("figure.chart:has(.chart-host)").first  # the data chart, not an image figure
    figure.scroll_into_view_if_needed()
    canvas = figure.locator('.chart-host[data-drawn="1"] canvas')
    expect(canvas).to_have_count(1, timeout=15_000)
    box = canvas.bounding_box()
    assert box is not None and box["height"] >= 150 and box["width"] <= 390, box
    expect(figure.locator(".u-legend")).to_have_css("font-size", re.compile(r"^(1[2-9]|[2-9]\d)(\.\d+)?px$"))
    expect(figure.locator("details.chart-table table tbody tr").first).to_be_attached()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="マイページ").wait_for()


def test_self_check_stops_at_the_referral_for_a_red_flag(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    flag = triage_rules().flag("saddle_numbness")
    with phone_page() as page:
        self_check_with_a_red_flag(page, str(live_server), flag.referral.ja, screenshots)


def self_check_with_a_red_flag(page: Page, base: str, referral: str, screenshots: Path) -> None:
    page.goto(f"{base}/c/sakura/selfcheck/")
    page.locator('input[name="age_years"]').fill("42")
    page.locator('input[name="pain_duration_weeks"]').fill("30")
    for radio in page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.locator('input[name="saddle_numbness"][value="yes"]').check()
    page.screenshot(path=screenshots / "10-selfcheck-flags.png", full_page=True)
    page.get_by_role("button", name="次へ").click()
    page.get_by_role("heading", name="今日中に救急外来を受診してください").wait_for()
    page.get_by_text(referral).wait_for()
    assert page.locator('input[name="examined_by_doctor"]').count() == 0
    page.screenshot(path=screenshots / "11-selfcheck-referral.png", full_page=True)


def test_patient_writes_a_week_of_diary_and_sees_the_chart(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    make_user("hanako", clinic, Role.PATIENT, password=PASSWORD)
    with phone_page() as page:
        write_a_week(page, str(live_server), timezone.localdate(), screenshots)
    assert sorted(DiaryDay.objects.values_list("pain_nrs", flat=True)) == [4, 5, 5, 6, 6, 7, 7]


def write_a_week(page: Page, live_server: str, today: dt.date, screenshots: Path) -> None:
    log_in(page, live_server, "hanako")
    page.goto(f"{live_server}/c/sakura/me/diary/")
    for n in range(7):
        page.locator("#id_day-date").fill((today - dt.timedelta(days=6 - n)).isoformat())
        page.locator("#id_day-pain_nrs").fill(str(7 - n // 2))
        page.locator("#id_day-sleep_quality").fill("5")
        page.locator("#id_day-stress").fill("6")
        page.get_by_role("button", name="この日を保存").click()
        page.get_by_role("heading", name="日誌", exact=True).wait_for()
    chart_is_drawn(page)
    page.screenshot(path=screenshots / "20-diary-chart.png", full_page=True)
    assert page.locator("table.data tbody tr").count() >= 7


def test_left_right_task_runs_twenty_trials_by_keyboard_and_click(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    make_user("taro", clinic, Role.PATIENT, password=PASSWORD)
    with phone_page() as page:
        run_twenty_trials(page, str(live_server), screenshots)
    session = LeftRightSession.objects.get()
    assert session.n_trials == 20 and len(session.trials) == 20
    assert all(0 < t["rt"] < 15_000 for t in session.trials)
    assert 0 <= session.accuracy <= 1


def run_twenty_trials(page: Page, live_server: str, screenshots: Path) -> None:
    log_in(page, live_server, "taro")
    page.goto(f"{live_server}/c/sakura/me/bodymap/")
    page.get_by_role("button", name="スタート").click()
    for trial in range(20):
        expect(page.locator("#answer-left")).to_be_enabled()
        if trial == 3:
            page.screenshot(path=screenshots / "30-bodymap-trial.png")
        if trial % 4 == 0:
            page.get_by_role("button", name="← 左").click()
        elif trial % 4 == 1:
            page.get_by_role("button", name="右 →").click()
        else:
            page.keyboard.press("ArrowLeft" if trial % 2 else "ArrowRight")
    page.locator("#latest-session").wait_for()
    chart_is_drawn(page)
    page.screenshot(path=screenshots / "31-bodymap-progress.png", full_page=True)


def test_practitioner_sees_the_escalation_alert(clinic: Clinic, live_server: object, screenshots: Path) -> None:
    patient = make_user("jiro", clinic, Role.PATIENT).memberships.get()
    make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    start = timezone.localdate() - dt.timedelta(days=15)
    for n, (pressure, relief_days) in enumerate([(4, 3), (5, 2.5), (6, 2), (7, 1.5), (8, 1), (9, 0.5)]):
        DiarySession.objects.create(patient=patient, date=start + dt.timedelta(days=3 * n), kind="massage",
                                    pressure=pressure, relief=5, relief_days=relief_days)  # fmt: skip
    with phone_page() as page:
        see_the_escalation(page, str(live_server), screenshots)


def see_the_escalation(page: Page, live_server: str, screenshots: Path) -> None:
    log_in(page, live_server, "sensei")
    page.goto(f"{live_server}/c/sakura/desk/patients/")
    page.get_by_text("エスカレーション警告").wait_for()
    page.screenshot(path=screenshots / "40-desk-patients.png", full_page=True)
    page.get_by_role("link", name="jiro").click()
    page.get_by_role("heading", name="マッサージの強さが上がり続けているサイン").wait_for()
    page.get_by_text("臨床的印象（未証明）").wait_for()  # the evidence level, in the pathway's words
    chart_is_drawn(page)
    page.screenshot(path=screenshots / "41-desk-patient-alert.png", full_page=True)
