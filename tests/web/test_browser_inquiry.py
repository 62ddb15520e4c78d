"""End to end in real headless Chromium: an inquiry in Japanese reaches the practitioner's inbox.

Chromium is Debian's (``YOTSU_CHROMIUM``, default ``/usr/bin/chromium``), driven by Playwright;
nothing is downloaded. Screenshots go to ``YOTSU_SCREENSHOT_DIR`` or a fresh temp directory.
Django's ORM is used only before and after the browser runs (Playwright's sync API runs an
event loop, inside which Django refuses synchronous database calls).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.inquiries.models import Channel, Inquiry

from .conftest import CHROMIUM_ARGS, chromium_path, make_user

PASSWORD = "browser-test-passphrase"
MESSAGE = "半年前から腰が重く、強いマッサージの後はかえって張る気がします。"


@pytest.mark.browser
def test_japanese_inquiry_reaches_the_practitioners_inbox(
    transactional_db: None, live_server: object, screenshots: Path
) -> None:
    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura")
    make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    base = str(live_server)
    csp_errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.on(
            "console",
            lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

        page.goto(f"{base}/c/sakura/")
        page.get_by_label("お名前").fill("山田 太郎")
        page.get_by_label("ご連絡先").fill("taro@example.com")
        page.get_by_label("現在の状態").fill(MESSAGE)
        page.screenshot(path=screenshots / "01-inquiry-form.png", full_page=True)
        page.get_by_role("button", name="送信する").click()
        page.get_by_text("お問い合わせを受け付けました").wait_for()
        page.screenshot(path=screenshots / "02-thanks.png", full_page=True)

        page.goto(f"{base}/accounts/login/?next=/c/sakura/desk/inquiries/")
        page.get_by_label("ユーザー名").fill("sensei")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.get_by_role("heading", name="お問い合わせ").wait_for()
        page.screenshot(path=screenshots / "03-inbox.png", full_page=True)
        page.get_by_role("link", name="山田 太郎").click()
        page.get_by_text(MESSAGE).wait_for()
        page.screenshot(path=screenshots / "04-inquiry.png", full_page=True)
        browser.close()

    inquiry = Inquiry.objects.get()
    assert (inquiry.clinic, inquiry.channel, inquiry.message) == (clinic, Channel.WEB, MESSAGE)
    assert csp_errors == []
    assert all(
        (screenshots / f"0{i}-{name}.png").stat().st_size > 0
        for i, name in [(1, "inquiry-form"), (2, "thanks"), (3, "inbox"), (4, "inquiry")]
    )
