"""The whole journey in headless Chromium on a phone (390x844), in Japanese, with the real queue worker: a new
patient signs up, does the self-check, answers every questionnaire the clinic can offer in Japanese, does
the body-map task, reads the explanation (computed by the worker) and the plan, does a week of exercises
and diary (days pass with ``time_machine``), and messages the clinic; the practitioner builds the programme
and sees the patient on the desk. Then the red-flag path: a self-check answer raises a red flag, the portal
is locked into referral mode (119 / #7119), the desk shows it, the practitioner records the doctor's
clearance and the portal is released. A screenshot per step; what the patient sees is asserted at each.

The ORM is used only before and after the browser runs; the live server and the worker use it meanwhile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Browser, Page, expect, sync_playwright

from yotsu.pathway.referral import referral_rules
from yotsu.pathway.triage import triage_rules
from yotsu_web.accounts.models import User
from yotsu_web.assessments.catalogue import offers
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.diary.models import DiaryDay
from yotsu_web.explain.models import CachedExplanation
from yotsu_web.messaging.models import Message
from yotsu_web.programme.models import SessionLog
from yotsu_web.referrals.models import Clearance, RedFlagEvent
from yotsu_web.reminders.tasks import HUEY

from .conftest import CHROMIUM_ARGS, chromium_path, make_user
from .line_fake import running_worker, wait_for
from .test_browser_patient import PASSWORD, chart_is_drawn, self_check_with_a_red_flag
from .test_browser_programme import TOKYO, at

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "a-long-unusual-passphrase"


@pytest.fixture
def clinic(transactional_db: None, settings: object) -> Clinic:
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 90  # type: ignore[attr-defined]  (the test travels a week)
    settings.YOTSU_IDLE_LOGOUT = False  # type: ignore[attr-defined]
    return Clinic.objects.create(name="さくら整体院", slug="sakura", notification_email="sakura@example.com")


def new_page(browser: Browser) -> Page:
    page = browser.new_context(locale="ja-JP", viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: pytest.fail(m.text) if "Content Security Policy" in m.text else None)
    return page


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="マイページ").wait_for()


def next_step_is(page: Page, base: str, step: str) -> None:
    page.goto(f"{base}/c/sakura/me/")
    expect(page.locator("#next-step")).to_have_attribute("data-step", step)


def test_the_whole_journey_on_a_phone_in_japanese(clinic: Clinic, live_server: object, screenshots: Path) -> None:
    make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    make_user("taro", clinic, Role.PATIENT, password=PASSWORD)  # the red-flag path's patient
    answerable = [o.instrument for o in offers(clinic, "ja") if o.readable]
    assert {"phq4", "nrs_pain"} <= {i.id for i in answerable}  # the instruments whose Japanese text ships
    flag = triage_rules().flag("saddle_numbness")
    emergency = referral_rules().routes["emergency"]
    HUEY.storage.flush_all()
    base = str(live_server)
    today = dt.datetime.now(TOKYO).date()
    start = today - dt.timedelta(days=7)
    step = iter(range(1, 100))

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=screenshots / f"journey-{next(step):02d}-{name}.png", full_page=True)

    with running_worker(HUEY), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        with time_machine.travel(at(start, 9), tick=True) as clock:
            # sign up
            phone = new_page(browser)
            phone.goto(f"{base}/accounts/c/sakura/signup/")
            for field, value in {"full_name": "山田 花子", "furigana": "ヤマダ ハナコ", "birth_date": "1980-04-01",
                                 "phone": "090-1234-5678", "email": "hanako@example.com",
                                 "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}.items():  # fmt: skip
                phone.locator(f"#id_{field}").fill(value)
            phone.locator("#id_consent").check()
            shot(phone, "signup")
            phone.get_by_role("button", name="アカウントを作成する").click()
            card = phone.locator("#next-step")
            expect(card).to_have_attribute("data-step", "self_check")
            expect(phone.locator("#progress")).to_contain_text("5つのうち0つ完了")
            shot(phone, "portal-new")

            # self-check, no warning sign
            card.get_by_role("link", name="進む →").click()
            if phone.locator('input[name="age_years"]').count():
                phone.locator('input[name="age_years"]').fill("46")
            phone.locator('input[name="pain_duration_weeks"]').fill("30")
            for radio in phone.locator('input[type="radio"][value="no"]').all():
                radio.check()
            shot(phone, "selfcheck")
            phone.get_by_role("button", name="次へ").click()
            expect(phone.get_by_text("注意すべき徴候はありません", exact=False)).to_be_visible()
            phone.locator('input[name="examined_by_doctor"][value="yes"]').check()
            phone.locator('input[name="doctor_found_serious_cause"][value="no"]').check()
            phone.locator("form.questions button[type=submit]").click()
            phone.get_by_role("heading", name="セルフチェックの結果").wait_for()
            expect(phone.locator("main")).to_contain_text("このプログラムの対象に当てはまります")
            shot(phone, "selfcheck-result")
            phone.get_by_role("button", name="この結果を記録に保存する").click()
            expect(phone.locator("ul.messages")).to_contain_text("保存しました")  # the save confirmed on screen
            expect(phone.locator("#next-step")).to_have_attribute("data-step", "questionnaires")

            # every questionnaire the patient can answer in Japanese; never a licence notice
            phone.goto(f"{base}/c/sakura/me/questionnaires/")
            expect(phone.locator("ul.cards > li")).to_have_count(len(answerable))
            expect(phone.locator("main")).not_to_contain_text("ライセンス")
            shot(phone, "questionnaires")
            for inst in answerable:
                phone.goto(f"{base}/c/sakura/me/questionnaires/")
                phone.locator("ul.cards > li", has_text=inst.name.ja).get_by_role("button", name="回答する").click()
                for _item in inst.items:
                    expect(phone.get_by_role("heading", name=inst.name.ja)).to_be_visible()
                    phone.locator('input[name="answer"]').nth(1).check()  # a mild answer
                    with phone.expect_navigation():
                        phone.get_by_role("button", name="次へ").click()
                phone.get_by_role("button", name="終えて得点を見る").click()
                expect(phone.locator("main")).to_contain_text(inst.name.ja)
                shot(phone, f"questionnaire-{inst.id}")
            next_step_is(phone, base, "body_map")

            # the body-map task: twenty left/right trials
            phone.goto(f"{base}/c/sakura/me/bodymap/")
            phone.get_by_role("button", name="スタート").click()
            for trial in range(20):
                expect(phone.locator("#answer-left")).to_be_enabled()
                phone.get_by_role("button", name="← 左" if trial % 2 else "右 →").click()
            phone.locator("#latest-session").wait_for()
            shot(phone, "bodymap")
            next_step_is(phone, base, "explanation")

            # the explanation: computed by the worker; "being prepared" reloads itself until it is there
            phone.goto(f"{base}/c/sakura/me/explanation/")
            phone.locator("#dangers").wait_for(timeout=90_000)
            expect(phone.locator("#explanation-date")).to_contain_text("時点の説明です")
            expect(phone.locator("main")).to_contain_text("モデルによる推定であり、診断ではありません。")
            shot(phone, "explanation")
            next_step_is(phone, base, "plan")
            phone.goto(f"{base}/c/sakura/me/plan/")
            phone.get_by_role("heading", name="あなたのプラン").wait_for()
            expect(phone.locator("#plan-basis")).to_be_visible()  # the labelled default: no STarT Back in Japanese
            expect(phone.locator("#exercises")).to_contain_text("まだ")  # the practitioner has not chosen yet
            shot(phone, "plan")

            # the practitioner builds the home programme
            desk = new_page(browser)
            log_in(desk, base, "sensei")
            desk.goto(f"{base}/c/sakura/desk/patients/")
            desk.get_by_role("link", name="山田 花子").click()
            desk.get_by_role("heading", name="山田 花子").wait_for()
            patient_url = desk.url
            desk.goto(f"{patient_url.rstrip('/')}/programme/build/?goal=hip_sensorimotor")
            desk.locator("#row-hip_hinge").get_by_label("プログラムに入れる").check()
            desk.get_by_role("button", name="プログラムを保存").click()
            expect(desk.locator("#exercises")).to_contain_text("ヒップヒンジ")
            shot(desk, "desk-programme")

            # a week of exercises and diary
            for day in range(7):
                date = start + dt.timedelta(days=day)
                clock.move_to(at(date, 19))
                phone.goto(f"{base}/c/sakura/me/exercises/")
                if day and phone.locator("#morning").count():
                    phone.locator("#morning").get_by_role("button", name="3", exact=True).click()
                phone.locator("#exercise-hip_hinge").get_by_role("button", name="2", exact=True).click()
                expect(phone.locator("#exercise-hip_hinge .logged-state")).to_be_visible()
                if day == 0:
                    shot(phone, "exercises")
                phone.goto(f"{base}/c/sakura/me/diary/")
                phone.locator("#id_day-date").fill(date.isoformat())
                phone.locator("#id_day-pain_nrs").fill(str(5 - day // 3))
                # no sleep rating: the explanation's inputs stay as they are, so the worker stays idle this week
                # (SQLite's shared in-memory test database refuses a read while another thread writes)
                phone.locator("#id_day-stress").fill("4")
                phone.get_by_role("button", name="この日を保存").click()
                phone.get_by_role("heading", name="日誌", exact=True).wait_for()
            chart_is_drawn(phone)
            expect(phone.locator("table.data tbody tr").nth(6)).to_be_attached()  # the seven days
            shot(phone, "diary-week")

            # a message to the clinic
            clock.move_to(at(today, 10))
            phone.goto(f"{base}/c/sakura/me/messages/")
            phone.get_by_role("textbox").first.fill("一週間続けられました。")
            phone.get_by_role("button", name="送信").click()
            expect(phone.locator("ul.messages")).to_contain_text("送信しました")
            shot(phone, "message")

            # the practitioner's side: the patient on the desk
            desk.goto(patient_url)
            expect(desk.get_by_role("heading", name="山田 花子")).to_be_visible()
            expect(desk.locator("main")).to_contain_text("ヒップヒンジ")  # the programme and its logs
            chart_is_drawn(desk)  # the week's diary
            shot(desk, "desk-patient")
            desk.goto(f"{patient_url.rstrip('/')}/messages/")
            expect(desk.locator("#thread")).to_contain_text("一週間続けられました。")
            shot(desk, "desk-message")

        # the red-flag path: the portal in referral mode until the doctor's clearance
        taro = new_page(browser)
        log_in(taro, base, "taro")
        self_check_with_a_red_flag(taro, base, flag.referral.ja, screenshots)
        taro.goto(f"{base}/c/sakura/me/")
        expect(taro.locator("#next-step")).to_have_attribute("data-step", "referral")
        referral = taro.locator("#referral")
        expect(referral).to_contain_text(emergency.headline.ja)
        expect(referral.locator('a[href="tel:119"]')).to_be_visible()
        expect(referral.locator('a[href="tel:%237119"]')).to_be_visible()
        expect(taro.locator("#referral-mode")).to_be_visible()
        expect(taro.locator('a[href="/c/sakura/me/exercises/"]')).to_have_count(0)  # the programme waits
        shot(taro, "referral-mode")

        desk.goto(f"{base}/c/sakura/desk/patients/")
        row = desk.locator("li, tr", has_text="taro").filter(has=desk.locator(".tag.danger")).first
        expect(row).to_contain_text("レッドフラッグ")
        desk.get_by_role("link", name="taro").first.click()
        open_flag = desk.locator("#open-referral")
        expect(open_flag).to_contain_text("未解除の危険な徴候")
        expect(open_flag).to_contain_text(flag.question.ja)
        shot(desk, "desk-red-flag")
        desk.locator('[name="clearance-doctor"]').fill("山田医院 山田先生")
        desk.locator('[name="clearance-seen_on"]').fill(today.isoformat())
        desk.locator('[name="clearance-outcome"]').select_option("cleared")
        desk.locator("#clearance-form button[type=submit]").click()
        expect(desk.locator("#open-referral")).to_have_count(0)
        expect(desk.locator("main")).to_contain_text("山田医院 山田先生")
        shot(desk, "desk-clearance")

        taro.goto(f"{base}/c/sakura/me/")
        expect(taro.locator("#referral")).to_have_count(0)
        expect(taro.locator("#next-step")).not_to_have_attribute("data-step", "referral")
        shot(taro, "portal-released")
        wait_for(lambda: any("sakura@example.com" in m.to for m in mail.outbox))  # the clinic told by e-mail
        browser.close()

    hanako = User.objects.get(email="hanako@example.com").memberships.get()
    done = set(QuestionnaireResponse.objects.filter(patient=hanako, completed_at__isnull=False)
               .values_list("instrument", flat=True))  # fmt: skip
    assert done == {i.id for i in answerable}
    assert LeftRightSession.objects.get(patient=hanako).n_trials == 20
    assert CachedExplanation.objects.get(patient=hanako).explanation is not None
    assert DiaryDay.objects.filter(patient=hanako).count() == 7
    assert SessionLog.objects.filter(patient=hanako).count() >= 7
    assert Message.objects.filter(patient=hanako, text="一週間続けられました。").exists()
    event = RedFlagEvent.objects.get(patient__user__username="taro")
    assert event.flags == ["saddle_numbness"] and event.cleared_by == Clearance.objects.get()
