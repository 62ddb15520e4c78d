"""The intake before a first visit: made with a first-visit booking by a new patient, opened by its link,
identity and consent, the red-flag self-check first, the clinic's questionnaires, the pain drawing and free
text, each stored on submit; resume; a red flag stops it, tells the clinic and marks the booking; the desk."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yotsu.pathway.triage import triage_rules
from yotsu_web.accounts.consent import current_version
from yotsu_web.accounts.models import Consent
from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.booking import services
from yotsu_web.booking.models import Availability, Booking, VisitType
from yotsu_web.booking.notify import text
from yotsu_web.clinics.models import Membership
from yotsu_web.intake.models import Intake, IntakeSettings
from yotsu_web.messaging.models import Delivery
from yotsu_web.referrals.models import RedFlagEvent, Source
from yotsu_web.selfcheck.models import SavedSelfCheck

from .conftest import Personas

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # Monday 08:00, Tokyo
VISIT = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # Wednesday 10:00


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def first_visit(personas: Personas) -> tuple[VisitType, Membership]:
    practitioner = personas.practitioner.memberships.get()
    visit = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60, first_visit=True)
    Availability.objects.create(practitioner=practitioner, weekday=2, start=dt.time(10), end=dt.time(12))
    IntakeSettings.objects.create(clinic=personas.clinic, instruments=["nrs_pain"])
    return visit, practitioner


def guest_booking(first_visit: tuple[VisitType, Membership]) -> Booking:
    visit, practitioner = first_visit
    return services.book(
        visit,
        practitioner,
        VISIT,
        guest_name="山田 花子",
        guest_phone="090-1111-2222",
        guest_email="hanako@example.com",
    )


def link(booking: Booking, token: str | None = None) -> str:
    url = reverse("intake:fill", args=[booking.clinic.slug, booking.pk])
    return url + (f"?t={token or booking.intake.token}" if token != "" else "")


def identity(**extra: object) -> dict[str, object]:
    return {
        "step": "identity", "full_name": "山田 花子", "furigana": "やまだ はなこ", "birth_date": "1980-04-01",
        "phone": "090-1111-2222", "consent": "on", **extra,
    }  # fmt: skip


def flags(**yes: str) -> dict[str, object]:
    answers: dict[str, object] = {q: "no" for q in triage_rules().flag_question_ids()}
    return {
        "step": "red_flags", "age_years": 45, "pain_duration_weeks": 20, **answers, **yes,
        "examined_by_doctor": "yes", "doctor_found_serious_cause": "no",
    }  # fmt: skip


def post(client: Client, booking: Booking, data: dict[str, object], lang: str = "ja") -> str:
    response = client.post(link(booking, ""), {**data, "t": booking.intake.token}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(link(booking), HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_a_first_visit_by_a_guest_gets_an_intake_a_repeat_visit_does_not(
    personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    booking = guest_booking(first_visit)
    assert Intake.objects.get(booking=booking).status == "not_started"
    repeat = VisitType.objects.create(clinic=personas.clinic, name="2回目以降", minutes=40)
    later = services.book(repeat, first_visit[1], VISIT + dt.timedelta(hours=1), guest_name="x", guest_phone="090")
    assert not Intake.objects.filter(booking=later).exists()


def test_a_known_patients_first_visit_type_sends_no_second_intake(
    personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    visit, practitioner = first_visit
    record = personas.patient_record
    one = services.book(visit, practitioner, VISIT, patient=record)
    two = services.book(visit, practitioner, VISIT + dt.timedelta(hours=1), patient=record)
    assert Intake.objects.filter(booking=one).exists() and not Intake.objects.filter(booking=two).exists()


def test_the_confirmation_carries_the_intake_link_and_the_booking_page_shows_it(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    visit, practitioner = first_visit
    booking = services.book(visit, practitioner, VISIT, patient=personas.patient_record)
    _subject, body = text(booking.pk, "made", personas.patient_record.pk)
    assert link(booking) in body
    client.force_login(personas.patient)
    page = client.get(reverse("booking:booking", args=["sakura", booking.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    html = page.content.decode()
    assert "初診前の問診票" in html and booking.intake.token in html and "line.me/R/share" in html


def test_a_guest_walks_the_whole_intake_step_by_step_and_the_desk_has_it(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    booking = guest_booking(first_visit)
    page = client.get(link(booking), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "ステップ 1 / 5" in page and "山田 花子" in page  # the booking's name prefilled
    assert "要配慮個人情報" in page

    page = post(client, booking, identity())
    assert "ステップ 2 / 5" in page
    assert triage_rules().flag("saddle_numbness").question.ja in page  # the red flags come first
    intake = Intake.objects.get(booking=booking)
    user = intake.patient.user
    assert (user.full_name, user.furigana, user.birth_date) == ("山田 花子", "ヤマダ ハナコ", dt.date(1980, 4, 1))
    assert not user.has_usable_password()
    assert Consent.objects.get(patient=intake.patient).notice_version == current_version()
    assert intake.status == "in_progress"

    page = post(client, booking, flags())
    assert "ステップ 3 / 5" in page and "痛みの強さ" in page
    assert SavedSelfCheck.objects.get(patient=intake.patient).route == "in_scope"

    page = post(client, booking, {"step": "questionnaire:nrs_pain", "q1": "6"})
    assert "ステップ 4 / 5" in page and 'data-region="low_back_left"' in page
    assert QuestionnaireResponse.objects.get(patient=intake.patient, instrument="nrs_pain").total == 6

    page = post(client, booking, {"step": "pain_drawing", "pain_regions": ["low_back_left", "low_back_right"]})
    assert "ステップ 5 / 5" in page and "主訴" in page

    page = post(client, booking, {"step": "free_text", "chief_complaint": "朝、腰が痛い", "wishes": "運動を知りたい"})
    assert "問診票はクリニックに届きました" in page
    intake.refresh_from_db()
    assert intake.status == "complete" and intake.completed_at is not None and not intake.needs_review
    assert intake.pain_regions == ["low_back_left", "low_back_right"] and intake.pain_extent["n_regions"] == 2

    client.force_login(personas.practitioner)
    desk = client.get(reverse("intake:desk", args=["sakura", booking.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    html = desk.content.decode()
    assert "問診票: 完了" in html and "朝、腰が痛い" in html and "運動を知りたい" in html
    assert "レッドフラッグなし" in html and "痛みの強さ" in html
    assert html.index("レッドフラッグなし") < html.index("朝、腰が痛い")  # the triage route on top
    patient_page = client.get(reverse("desk:patient", args=["sakura", intake.patient.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    assert "問診票: 完了" in patient_page.content.decode()


def test_coming_back_resumes_at_the_first_unfinished_step_and_an_old_tab_changes_nothing(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    booking = guest_booking(first_visit)
    post(client, booking, identity())
    fresh = Client()  # another day, another browser: only the link
    page = fresh.get(link(booking), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Step 2 of 5" in page and 'value="red_flags"' in page
    stale = fresh.post(
        link(booking, ""), {**identity(full_name="別人"), "t": booking.intake.token}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert stale.status_code == 200 and "Step 2 of 5" in stale.content.decode()
    assert Intake.objects.get(booking=booking).patient.user.full_name == "山田 花子"


def test_a_wrong_answer_is_asked_again_naming_the_field(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    booking = guest_booking(first_visit)
    response = client.post(
        link(booking, ""), {**identity(furigana="Yamada", consent=""), "t": booking.intake.token},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400 and "katakana" in page and "Without this consent" in page
    assert Intake.objects.get(booking=booking).status == "not_started"
    post(client, booking, identity())
    response = client.post(link(booking, ""), {"step": "red_flags", "t": booking.intake.token, "age_years": "abc"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


@pytest.mark.parametrize(("flag_id", "route"), [("saddle_numbness", "emergency"), ("progressive_weakness", "urgent")])
def test_a_red_flag_stops_the_intake_with_its_referral_tells_the_clinic_and_marks_the_booking(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership], flag_id: str, route: str
) -> None:
    booking = guest_booking(first_visit)
    post(client, booking, identity())
    page = post(client, booking, flags(**{flag_id: "yes"}), lang="ja")
    assert "route-" + route in page and "tel:119" in page and "tel:%237119" in page
    if route == "emergency":
        assert "今日中に救急外来を受診してください" in page
    else:
        assert "整形外科" in page
    assert "ステップ 3" not in page and "痛みの強さ" not in page  # nothing more is asked
    intake = Intake.objects.get(booking=booking)
    assert intake.status == "red_flag" and intake.needs_review and intake.raised_flags == [flag_id]
    event = RedFlagEvent.objects.get(patient=intake.patient)
    assert event.source == Source.INTAKE and event.route == route and event.flags == [flag_id]
    assert Delivery.objects.filter(purpose=f"redflag:{event.pk}:email").exists()  # the clinic is told
    # a later answer for a later step is not taken
    client.post(link(booking, ""), {"step": "questionnaire:nrs_pain", "q1": "3", "t": intake.token})
    assert not QuestionnaireResponse.objects.filter(patient=intake.patient).exists()

    client.force_login(personas.practitioner)
    html = client.get(reverse("intake:desk", args=["sakura", booking.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "問診票: レッドフラッグ" in html and "要確認" in html
    assert triage_rules().flag(flag_id).question.ja in html


def test_a_logged_in_patient_with_identity_and_consent_starts_at_the_red_flags(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    visit, practitioner = first_visit
    user = personas.patient
    user.full_name, user.furigana, user.birth_date, user.phone = (
        "有田 アリス",
        "アリタ アリス",
        dt.date(1950, 1, 2),
        "090",
    )
    user.save()
    record = personas.patient_record
    Consent.objects.create(
        clinic=personas.clinic, patient=record, patient_ref=record.pk, notice_version=current_version()
    )
    booking = services.book(visit, practitioner, VISIT, patient=record)
    client.force_login(user)
    page = client.get(link(booking, ""), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Step 2 of 5" in page and 'value="76"' in page  # the age from the date of birth
    assert Consent.objects.filter(patient=record).count() == 1


def test_a_logged_in_patient_without_identity_fills_it_and_is_not_asked_consent_twice(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    visit, practitioner = first_visit
    record = personas.patient_record
    Consent.objects.create(
        clinic=personas.clinic, patient=record, patient_ref=record.pk, notice_version=current_version()
    )
    booking = services.book(visit, practitioner, VISIT, patient=record)
    client.force_login(personas.patient)
    page = client.get(link(booking, ""), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Step 1 of 5" in page and 'name="consent"' not in page
    data = identity()
    del data["consent"]
    assert client.post(link(booking, ""), data).status_code == 302
    personas.patient.refresh_from_db()
    assert personas.patient.furigana == "ヤマダ ハナコ" and Intake.objects.get(booking=booking).patient == record


def test_a_wrong_or_other_token_is_404_and_nobody_else_sees_the_intake(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    visit, practitioner = first_visit
    mine = services.book(visit, practitioner, VISIT, patient=personas.patient_record)
    guest = services.book(visit, practitioner, VISIT + dt.timedelta(hours=1), guest_name="山田", guest_phone="090")
    assert client.get(link(guest, "wrong")).status_code == 404
    assert client.get(link(guest, mine.intake.token)).status_code == 404  # another intake's secret
    assert client.get(link(guest, guest.token)).status_code == 404  # the booking's own secret is not the intake's
    assert client.post(link(guest, ""), {"t": "wrong", **identity()}).status_code == 404
    other_clinic = reverse("intake:fill", args=["other", guest.pk]) + f"?t={guest.intake.token}"
    assert client.get(other_clinic).status_code == 404
    anonymous = client.get(link(guest, ""))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    client.force_login(personas.patient)
    assert client.get(link(guest, "")).status_code == 404  # not my booking
    assert client.get(link(mine, "")).status_code == 200
    client.force_login(personas.other_practitioner)
    assert client.get(reverse("intake:desk", args=["sakura", guest.pk])).status_code == 403
    assert client.get(reverse("intake:desk", args=["other", guest.pk])).status_code == 404
    client.force_login(personas.practitioner)
    assert client.get(reverse("intake:desk", args=["sakura", guest.pk])).status_code == 200


def test_a_booking_without_an_intake_has_no_intake_page(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    repeat = VisitType.objects.create(clinic=personas.clinic, name="2回目以降", minutes=40)
    booking = services.book(repeat, first_visit[1], VISIT, patient=personas.patient_record)
    client.force_login(personas.patient)
    assert client.get(link(booking, "")).status_code == 404
    client.force_login(personas.practitioner)
    assert client.get(reverse("intake:desk", args=["sakura", booking.pk])).status_code == 404


def test_withdrawn_consent_stops_the_intake(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    booking = guest_booking(first_visit)
    post(client, booking, identity())
    intake = Intake.objects.get(booking=booking)
    Consent.objects.filter(patient=intake.patient).update(withdrawn_at=timezone.now())
    assert client.get(link(booking)).status_code == 403


def test_only_questionnaires_the_patient_can_answer_in_their_language_become_steps(
    client: Client, personas: Personas, first_visit: tuple[VisitType, Membership]
) -> None:
    """start_back ships English item text only (its Japanese text needs the clinic's licensed copy)."""
    IntakeSettings.objects.filter(clinic=personas.clinic).update(instruments=["start_back", "nrs_pain"])
    booking = guest_booking(first_visit)
    assert "ステップ 1 / 5" in client.get(link(booking), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Step 1 of 6" in client.get(link(booking), HTTP_ACCEPT_LANGUAGE="en").content.decode()
