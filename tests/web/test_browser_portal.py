"""The guided portal in real headless Chromium on a phone, in Japanese: the next-step card leads the way,
the save is confirmed on screen and the card moves on. Screenshots are kept.

Django's ORM is used only before and after the browser runs (see test_browser_inquiry).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.messaging.models import Message

from .conftest import make_user
from .test_browser_patient import PASSWORD, log_in, phone_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    return Clinic.objects.create(name="さくら整体院", slug="sakura")


def test_the_next_step_card_leads_a_new_patient_and_a_save_is_confirmed(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    make_user("hanako", clinic, Role.PATIENT, password=PASSWORD)
    base = str(live_server)
    with phone_page() as page:
        log_in(page, base, "hanako")
        page.goto(f"{base}/c/sakura/me/")
        card = page.locator("#next-step")
        expect(card).to_have_attribute("data-step", "self_check")
        expect(card.get_by_role("heading")).to_have_text("まずセルフチェックから")
        expect(page.locator("#progress")).to_contain_text("5つのうち0つ完了")
        box = card.bounding_box()
        assert box is not None and box["y"] < 400 and box["width"] <= 390  # on top, within the phone's width
        page.screenshot(path=screenshots / "70-portal-new-patient.png", full_page=True)
        card.get_by_role("link", name="進む →").click()
        page.wait_for_url("**/c/sakura/selfcheck/")

        page.goto(f"{base}/c/sakura/me/messages/")
        page.get_by_role("textbox").first.fill("はじめまして。よろしくお願いします。")
        page.get_by_role("button", name="送信").click()
        expect(page.locator("ul.messages")).to_contain_text("送信しました")
        page.screenshot(path=screenshots / "71-message-sent.png", full_page=True)
    assert Message.objects.get().text == "はじめまして。よろしくお願いします。"
