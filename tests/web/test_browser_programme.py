"""The home programme end to end in headless Chromium (Japanese, phone-sized), with the real queue worker
and LINE replaced at the HTTP boundary: the practitioner builds a programme; the patient logs two weeks of
low-pain sessions and sees the progression proposed; the practitioner accepts it; a flare raises the alert;
a LINE-linked patient's message appears in the thread and the reply is pushed; a reminder goes out.

Days pass with ``time_machine`` (the live server and the browser's requests see the same dates). The ORM
is used only before and after the browser runs; the live server and the worker use it in their threads.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.messaging.models import LineChannel, Message, SystemText
from yotsu_web.programme.models import Alert, AlertKind, Decision, Proposal
from yotsu_web.reminders.tasks import HUEY, dispatch_reminders

from .conftest import CHROMIUM_ARGS, chromium_path, make_user
from .line_fake import FakeLine, fake_line_server, running_worker, wait_for
from .test_line_webhook import SECRET, body_of, sign, text_event

PASSWORD = "browser-test-passphrase"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
pytestmark = [pytest.mark.browser]


@pytest.fixture
def clinic(transactional_db: None, settings: object) -> Clinic:
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 90  # type: ignore[attr-defined]  (the test travels weeks)
    settings.YOTSU_IDLE_LOGOUT = False  # type: ignore[attr-defined]  (the desk's login spans the weeks too)
    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura", line_channel_secret=SECRET)
    LineChannel.objects.create(clinic=clinic, access_token="sakura-token")
    return clinic


@pytest.fixture
def line(settings: object) -> Iterator[FakeLine]:
    with fake_line_server() as fake:
        settings.YOTSU_LINE_API_HOST = fake.url  # type: ignore[attr-defined]
        yield fake


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def log_in(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: pytest.fail(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    return page


def webhook(base: str, text: str, event_id: str) -> int:
    body = body_of(text_event(text, event_id=event_id, user="U-hanako"))
    request = urllib.request.Request(
        f"{base}/line/sakura/webhook/",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)},
    )
    with urllib.request.urlopen(request) as response:
        return response.status


def log_day(page: Page, base: str, pain: int, morning: int | None) -> None:
    page.goto(f"{base}/c/sakura/me/exercises/")
    if morning is not None:
        page.locator("#morning").get_by_role("button", name=str(morning), exact=True).click()
    page.locator("#exercise-hip_hinge").get_by_role("button", name=str(pain), exact=True).click()
    expect(page.locator("#exercise-hip_hinge .logged-state")).to_be_visible()


def test_home_programme_end_to_end(clinic: Clinic, live_server: object, line: FakeLine, screenshots: Path) -> None:
    practitioner = make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    patient = make_user("hanako", clinic, Role.PATIENT, password=PASSWORD).memberships.get()
    assert practitioner and patient
    HUEY.storage.flush_all()
    base = str(live_server)
    start = timezone.localdate() - dt.timedelta(days=18)
    programme_url = f"{base}/c/sakura/desk/patients/{patient.pk}/programme/"
    with running_worker(HUEY), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        with time_machine.travel(at(start, 9), tick=True) as clock:
            desk = log_in(browser, base, "sensei")
            desk.goto(f"{programme_url}build/")
            desk.locator("#goal").select_option("hip_sensorimotor")
            desk.get_by_role("button", name="絞り込む").click()
            row = desk.locator("#row-hip_hinge")
            row.get_by_label("プログラムに入れる").check()
            expect(row.locator('input[name="hip_hinge-reps"]')).to_have_value("8")  # prefilled from level 1
            desk.screenshot(path=screenshots / "programme-01-builder.png", full_page=True)
            desk.get_by_role("button", name="プログラムを保存").click()
            expect(desk.locator("#exercises")).to_contain_text("ヒップヒンジ")

            phone = log_in(browser, base, "hanako")
            for i in range(14):  # two weeks of low pain, the morning after back to baseline
                clock.move_to(at(start + dt.timedelta(days=i), 19))
                log_day(phone, base, pain=2, morning=3 if i else None)
            clock.move_to(at(start + dt.timedelta(days=14), 8))
            phone.goto(f"{base}/c/sakura/me/exercises/")
            phone.locator("#morning").get_by_role("button", name="3", exact=True).click()
            expect(phone.locator("#proposed")).to_contain_text("レベル 1 → 2")
            phone.screenshot(path=screenshots / "programme-02-patient-proposal.png", full_page=True)

            clock.move_to(at(start + dt.timedelta(days=14), 10))
            desk.goto(programme_url)
            desk.screenshot(path=screenshots / "programme-03-desk-proposal.png", full_page=True)
            desk.locator("section.proposal").get_by_role("button", name="承認する").click()
            expect(desk.locator("#exercises tbody tr").first.locator("td").nth(1)).to_have_text("2")

            clock.move_to(at(start + dt.timedelta(days=14), 19))
            log_day(phone, base, pain=8, morning=None)
            clock.move_to(at(start + dt.timedelta(days=15), 19))
            log_day(phone, base, pain=8, morning=6)
            clock.move_to(at(start + dt.timedelta(days=15), 20))
            desk.goto(f"{base}/c/sakura/desk/programmes/")
            expect(desk.locator("section.alert.flare")).to_contain_text("hanako")
            desk.screenshot(path=screenshots / "programme-04-flare-alert.png", full_page=True)

        phone.goto(f"{base}/c/sakura/me/messages/")
        expect(phone.locator("#thread")).to_contain_text("いつもより強い")  # the gentle message
        phone.get_by_role("button", name="LINEを連携する").click()
        code = phone.locator("#line-code").inner_text().strip()
        assert webhook(base, code, "01HE2ELINK") == 200
        assert webhook(base, "運動のあと少し張りました", "01HE2EMSG") == 200
        phone.reload()
        expect(phone.locator("#line-linked")).to_be_visible()
        phone.screenshot(path=screenshots / "programme-05-line-linked.png", full_page=True)

        desk.goto(f"{base}/c/sakura/desk/patients/{patient.pk}/messages/")
        expect(desk.locator("#thread")).to_contain_text("運動のあと少し張りました")
        desk.locator("textarea[name=text]").fill("明日は一段軽くしてみましょう")
        desk.get_by_role("button", name="返信").click()
        wait_for(lambda: ("U-hanako", "明日は一段軽くしてみましょう") in line.texts())
        desk.screenshot(path=screenshots / "programme-06-desk-thread.png", full_page=True)

        phone.goto(f"{base}/c/sakura/me/reminders/")
        phone.get_by_label("時刻").fill("00:00")
        phone.get_by_role("button", name="保存").click()
        dispatch_reminders()
        wait_for(lambda: len(line.accepted) == 2 and len(mail.outbox) == 1)
        phone.screenshot(path=screenshots / "programme-07-reminder-set.png", full_page=True)
        browser.close()

    assert Proposal.objects.get(step="progress").decision == Decision.ACCEPTED
    assert Alert.objects.filter(kind=AlertKind.FLARE, patient=patient).exists()
    assert Message.objects.filter(patient=patient, system_text=SystemText.FLARE).exists()
    reminder_push = line.accepted[1]
    assert (
        reminder_push.body["to"] == "U-hanako"
        and "/c/sakura/me/exercises/" in reminder_push.body["messages"][0]["text"]
    )
    assert mail.outbox[0].to == ["hanako@example.com"]
