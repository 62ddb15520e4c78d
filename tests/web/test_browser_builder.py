"""The programme builder fits on two screens of a 1366x768 desktop in Chromium with the shipped exercise
library (the demo's), and keeps every function: search and goal filter, include, level, the four dose
fields, the figures and the level descriptions (folded), and saving. The ORM is used only before and after
the browser runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from yotsu.pathway.exercises import exercise_library
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.programme.models import ProgrammeExercise

from .conftest import CHROMIUM_ARGS, chromium_path, make_user
from .test_browser_patient import PASSWORD, log_in

pytestmark = [pytest.mark.browser]
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    return Clinic.objects.create(name="さくら整体院", slug="sakura")


@contextmanager
def desktop_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="ja-JP", viewport=SCREEN).new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def page_height(page: Page) -> int:
    """The document's full height in CSS pixels (measured from the layout, without page-side scripts)."""
    box = page.locator("body").bounding_box()
    assert box is not None
    return round(box["y"] + box["height"])


def test_programme_builder_fits_on_two_screens_and_keeps_every_function(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    patient = make_user("hanako", clinic, Role.PATIENT, password=PASSWORD).memberships.get()
    library = exercise_library().exercises
    base = str(live_server)
    with desktop_page() as page:
        log_in(page, base, "sensei")
        page.goto(f"{base}/c/sakura/desk/patients/{patient.pk}/programme/build/")
        height = page_height(page)
        print(f"builder height at 1366x768: {height} px")
        page.screenshot(path=screenshots / "builder-01-desktop.png", full_page=True)
        assert height <= 2 * SCREEN["height"], f"the builder is {height} px high"
        for ex in library:  # every exercise, with every field at hand
            row = page.locator(f"#row-{ex.id}")
            expect(row).to_be_visible()
            for field in ("include", "level", "sets", "reps", "hold_seconds", "days_per_week"):
                expect(row.locator(f'[name="{ex.id}-{field}"]')).to_be_visible()
        first = library[0]
        row = page.locator(f"#row-{first.id}")
        figures = row.locator("svg").first
        expect(figures).to_be_hidden()  # folded
        row.locator("details.more summary").click()
        expect(figures).to_be_visible()
        expect(row.locator("details.more")).to_contain_text(first.levels[-1].description.ja)

        row.get_by_label("プログラムに入れる").check()
        row.get_by_label("レベル").select_option(str(len(first.levels)))
        row.locator(f'[name="{first.id}-days_per_week"]').fill("4")
        page.get_by_role("button", name="プログラムを保存").click()
        expect(page.locator("#exercises")).to_contain_text(first.name.ja)

        page.goto(f"{base}/c/sakura/desk/patients/{patient.pk}/programme/build/?q={library[1].name.ja}")
        expect(page.locator("article.exercise, .exercise-row")).to_have_count(1)
        page.screenshot(path=screenshots / "builder-02-search.png", full_page=True)
    chosen = ProgrammeExercise.objects.get(patient=patient, exercise_id=first.id)  # (the plan's own are kept too)
    assert (chosen.exercise_id, chosen.level, chosen.dose.days_per_week) == (first.id, len(first.levels), 4)
