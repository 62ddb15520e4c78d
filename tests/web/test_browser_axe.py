"""Accessibility: axe-core (vendored from the npm registry) on every patient page, in Chromium on a phone, in
Japanese: no serious or critical violation. The patient has a few weeks of diary and a personal forecast.

Django's ORM is used only before the browser runs (see test_browser_inquiry).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, sync_playwright

import yotsu_web
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.forecast import service

from .conftest import CHROMIUM_ARGS, chromium_path, make_user
from .test_browser_patient import PASSWORD, log_in
from .test_forecast import _diary
from .test_plain_words import PAGES

pytestmark = [pytest.mark.browser]

AXE = Path(yotsu_web.__file__).parent / "static" / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""


@contextmanager
def axe_page() -> Iterator[Page]:
    """A Japanese phone page where the test may inject axe (the site's CSP rightly refuses inline scripts)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    return Clinic.objects.create(name="さくら整体院", slug="sakura")


def test_every_patient_page_has_no_serious_accessibility_violation(clinic: Clinic, live_server: object) -> None:
    assert AXE.exists(), "axe-core is not vendored: run scripts/vendor-js"
    user = make_user("hanako", clinic, Role.PATIENT, password=PASSWORD)
    record = user.memberships.get()
    _diary(record)
    service.refresh(record.pk)
    urls = [reverse(name, args=["sakura"]) for name in (*PAGES, "forecast:mine")]
    base = str(live_server)
    found: dict[str, list[str]] = {}
    with axe_page() as page:
        log_in(page, base, "hanako")
        for url in urls:
            page.goto(base + url)
            page.add_script_tag(path=str(AXE))
            if violations := page.evaluate(SERIOUS):
                found[url] = violations
    assert found == {}, "\n".join(f"{u}: {v}" for u, v in found.items())


def test_desktop_layout_uses_the_screen_and_the_phone_keeps_one_column(clinic: Clinic, live_server: object) -> None:
    make_user("hanako", clinic, Role.PATIENT, password=PASSWORD)
    base = str(live_server)
    with axe_page() as page:
        log_in(page, base, "hanako")
        box = page.locator("main").bounding_box()
        assert box is not None and box["width"] <= 390
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{base}/c/sakura/me/")
        box = page.locator("main").bounding_box()
        assert box is not None and box["width"] >= 1100, box  # was a 640-pixel column on 1366
