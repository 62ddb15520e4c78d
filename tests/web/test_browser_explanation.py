"""End to end in real headless Chromium (Japanese): the patient opens "what is pressing your brake" and
sees the figures and the dangers/safeties; the practitioner edits the plan and the patient sees it.
Screenshots of each step are kept (see README). The ORM is used only before and after the browser runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from yotsu.pathway.exercises import exercise_library
from yotsu.pathway.instruments import score
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.clinics.models import Clinic, Role
from yotsu_web.explain import service as explain_service
from yotsu_web.plans.models import PlanVersion

from .conftest import make_user
from .line_fake import running_worker
from .test_browser_patient import PASSWORD, log_in, phone_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    return Clinic.objects.create(name="さくら整体院", slug="sakura")


def figure_is_drawn(page: Page, selector: str) -> None:
    figure = page.locator(selector)
    figure.scroll_into_view_if_needed()
    expect(figure).to_have_js_property("complete", True)
    box = figure.bounding_box()
    assert box is not None and box["height"] > 150, box


def test_patient_reads_what_is_pressing_the_brake(clinic: Clinic, live_server: object, screenshots: Path) -> None:
    patient = make_user("hanako", clinic, Role.PATIENT, password=PASSWORD).memberships.get()
    answers = {f"q{i}": 3 for i in range(1, 26)}
    result = score("csi_a", answers)
    QuestionnaireResponse.objects.create(patient=patient, instrument="csi_a", answers=answers,
                                         completed_at=timezone.now(), total=result.total.value)  # fmt: skip
    assert explain_service.refresh(patient.pk) == "computed"  # the worker's job (the real one: below)
    with phone_page() as page:
        log_in(page, str(live_server), "hanako")
        page.goto(f"{live_server}/c/sakura/me/explanation/")
        page.get_by_role("heading", name="あなたのブレーキを踏ませているもの").wait_for()
        page.get_by_text("モデルによる推定であり、診断ではありません。").first.wait_for()
        page.get_by_role("heading", name="私の中の危険：ブレーキを踏ませているもの").wait_for()
        page.get_by_role("heading", name="私の中の安全：ブレーキをゆるめるもの").wait_for()
        assert page.locator("ol.findings li.danger").count() >= 1
        assert page.locator("ul.findings li.safety").count() >= 1
        page.get_by_text("平均的な人の値を使用").first.wait_for()
        page.screenshot(path=screenshots / "50-explanation-top.png", full_page=False)
        figure_is_drawn(page, "#factors-figure")
        figure_is_drawn(page, "#course-figure")
        page.locator("#course-figure").screenshot(path=screenshots / "51-explanation-course.png")
        page.screenshot(path=screenshots / "52-explanation-full.png", full_page=True)


def test_practitioner_edits_the_plan_and_the_patient_sees_it(
    clinic: Clinic, live_server: object, screenshots: Path
) -> None:
    make_user("hanako", clinic, Role.PATIENT, password=PASSWORD)
    make_user("sensei", clinic, Role.PRACTITIONER, password=PASSWORD)
    hip_hinge = exercise_library().get("hip_hinge")
    from yotsu_web.reminders.tasks import HUEY

    HUEY.storage.flush_all()
    with running_worker(HUEY), phone_page() as page:  # the worker computes the explanation for the new plan
        log_in(page, str(live_server), "sensei")
        page.goto(f"{live_server}/c/sakura/desk/patients/")
        page.get_by_role("link", name="hanako").click()
        page.get_by_role("link", name="プランを編集").click()
        page.get_by_label("リスク群").select_option("medium")
        page.get_by_label("週数").fill("8")
        page.get_by_label("変更の理由").fill("前屈の練習を追加")
        page.screenshot(path=screenshots / "60-plan-edit.png", full_page=True)
        page.get_by_role("button", name="プランを保存").click()
        page.get_by_role("heading", name="hanako").wait_for()
        page.get_by_text(re.compile(r"週数：.+ → 8")).wait_for()  # from the labelled default plan or from none
        page.screenshot(path=screenshots / "61-desk-timeline-plan.png", full_page=True)
        page.get_by_role("link", name="プランを編集").click()  # the exercises: one place, the programme builder
        page.get_by_role("link", name="運動を選ぶ").click()
        row = page.locator("#row-hip_hinge")
        row.get_by_label("プログラムに入れる").check()
        row.get_by_label("レベル").select_option("2")
        page.get_by_role("button", name="プログラムを保存").click()
        expect(page.locator("#exercises")).to_contain_text(hip_hinge.name.ja)
        page.get_by_role("button", name="ログアウト").click()

        log_in(page, str(live_server), "hanako")
        page.goto(f"{live_server}/c/sakura/me/plan/")
        page.locator("#plan-changed").wait_for()
        page.get_by_text("8 週のうち第 1 週").wait_for()
        # "being prepared" reloads itself until the worker has the explanation for the new plan
        page.locator("#explanation-summary img").wait_for(timeout=60_000)
        card = page.locator("#exercises li", has_text=hip_hinge.name.ja)
        expect(card).to_contain_text("レベル 2 / 3")
        figure_is_drawn(page, "#explanation-summary img")
        page.screenshot(path=screenshots / "62-patient-plan.png", full_page=True)
    version = PlanVersion.objects.get()
    assert version.note == "前屈の練習を追加" and version.weeks == 8
