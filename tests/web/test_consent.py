"""APPI consent: the privacy notice (versioned text), consent recorded at sign-up, withdrawal that stops the
patient's pages and starts the deletion path; all audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yotsu_web.accounts.consent import current_version, notice
from yotsu_web.accounts.models import Consent, User
from yotsu_web.audit.models import Action, AuditEvent
from yotsu_web.exports.models import DeletionRequest

from .conftest import Personas
from .test_signup import GOOD


def url(name: str, slug: str = "sakura") -> str:
    return reverse(name, args=[slug])


def give_consent(personas: Personas) -> Consent:
    record = personas.patient_record
    return Consent.objects.create(
        clinic=record.clinic, patient=record, patient_ref=record.pk, notice_version=current_version()
    )


@pytest.mark.parametrize(
    ("lang", "title"), [("ja", "個人情報の取り扱いについて"), ("en", "How your personal information")]
)
def test_privacy_notice_is_public_names_the_clinic_and_its_version(client: Client, personas: Personas,
                                                                   lang: str, title: str) -> None:  # fmt: skip
    page = client.get(url("accounts:privacy"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert title in page and "さくら整体院" in page and "要配慮個人情報" in page
    assert current_version() in page and "{clinic}" not in page


def test_every_notice_version_has_both_languages_with_the_same_sections() -> None:
    from yotsu_web.accounts.consent import _notices

    for version in _notices()["versions"]:
        ja, en = notice("C", "ja", version), notice("C", "en", version)
        assert len(ja.sections) == len(en.sections) >= 4 and ja.title != en.title


def test_privacy_notice_of_an_unknown_clinic_is_404(client: Client, personas: Personas) -> None:
    assert client.get(url("accounts:privacy", "nowhere")).status_code == 404


def test_signup_links_the_notice_and_records_consent_with_version_and_date(client: Client, personas: Personas) -> None:
    assert url("accounts:privacy") in client.get(url("accounts:signup")).content.decode()
    client.post(url("accounts:signup"), GOOD)
    membership = User.objects.get(email=GOOD["email"]).memberships.get()
    consent = Consent.objects.get(patient=membership)
    assert (consent.clinic, consent.notice_version, consent.withdrawn_at) == (personas.clinic, current_version(), None)
    assert consent.given_at is not None and consent.patient_ref == membership.pk
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="consent", subject_id=consent.pk).exists()


def test_signup_without_consent_is_refused_and_says_why(client: Client, personas: Personas) -> None:
    response = client.post(url("accounts:signup"), {**GOOD, "consent": ""}, HTTP_ACCEPT_LANGUAGE="ja")
    assert "同意" in " ".join(response.context["form"].errors["consent"])
    assert not User.objects.filter(email=GOOD["email"]).exists() and not Consent.objects.exists()


def test_consent_page_shows_what_was_agreed(client: Client, personas: Personas) -> None:
    consent = give_consent(personas)
    client.force_login(personas.patient)
    page = client.get(url("accounts:consent"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="consent-given"' in page and consent.notice_version in page and "Withdraw my consent" in page


def test_withdrawal_is_recorded_audited_and_starts_the_deletion_path(client: Client, personas: Personas) -> None:
    consent = give_consent(personas)
    client.force_login(personas.patient)
    response = client.post(url("accounts:withdraw-consent"))
    assert response.status_code == 302 and response["Location"] == url("accounts:consent")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    deletion = DeletionRequest.objects.get(patient=personas.patient_record, completed_at=None)
    audited = set(AuditEvent.objects.values_list("action", "subject_type", "subject_id"))
    assert {(Action.CHANGE, "consent", consent.pk), (Action.CREATE, "deletionrequest", deletion.pk)} <= audited
    client.post(url("accounts:withdraw-consent"))  # a second press changes nothing
    assert DeletionRequest.objects.count() == 1
    page = client.get(url("accounts:consent"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'id="consent-withdrawn"' in page and "削除" in page
    desk = Client()
    desk.force_login(personas.practitioner)
    assert "consent-withdrawn" in desk.get(reverse("desk:patients", args=["sakura"])).content.decode()


@pytest.mark.parametrize("name", ["clinics:portal", "diary:diary", "assessments:list", "programme:today",
                                  "messaging:thread", "selfcheck:save", "diary:chart"])  # fmt: skip
def test_after_withdrawal_patient_pages_show_only_the_notice(client: Client, personas: Personas, name: str) -> None:
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    for method in (client.get, client.post):
        response = method(url(name), HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 403, name
        page = response.content.decode()
        assert 'id="withdrawn-notice"' in page and url("exports:mine") in page, name


def test_after_withdrawal_the_data_and_deletion_pages_still_work(client: Client, personas: Personas) -> None:
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert client.get(url("exports:mine")).status_code == 200
    assert client.get(url("exports:my-everything")).status_code == 200
    assert client.get(url("accounts:consent")).status_code == 200


def test_after_withdrawal_the_api_refuses_too(client: Client, personas: Personas) -> None:
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert client.get(reverse("api:my-diary-days", args=["sakura"])).status_code == 403


def test_withdrawal_stays_with_its_clinic(client: Client, personas: Personas) -> None:
    """A withdrawal in one clinic does not close the patient's pages elsewhere, nor touch another patient."""
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    other = Client()
    other.force_login(personas.other_patient)
    assert other.get(url("clinics:portal", "other")).status_code == 200
    assert other.post(url("accounts:withdraw-consent")).status_code == 403  # not their clinic
    assert not DeletionRequest.objects.filter(patient=personas.other_patient_record).exists()


def test_a_patient_from_before_online_consent_can_withdraw(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert 'id="consent-none"' in client.get(url("accounts:consent")).content.decode()
    client.post(url("accounts:withdraw-consent"))
    assert Consent.objects.get(patient=personas.patient_record).withdrawn_at is not None
    assert client.get(url("clinics:portal")).status_code == 403


def test_staff_cannot_withdraw_for_a_patient(client: Client, personas: Personas) -> None:
    give_consent(personas)
    client.force_login(personas.practitioner)
    assert client.post(url("accounts:withdraw-consent")).status_code == 403
    assert Consent.objects.get().withdrawn_at is None


def test_completed_deletion_keeps_the_consent_record_without_the_patient(client: Client, personas: Personas) -> None:
    consent = give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    deletion = DeletionRequest.objects.get()
    staff = Client()
    staff.force_login(personas.practitioner)
    staff.post(reverse("exports:complete-deletion", args=["sakura", deletion.pk]))
    consent.refresh_from_db()
    assert consent.patient is None and consent.withdrawn_at is not None and consent.patient_ref > 0


def test_withdrawal_turns_the_reminders_off(client: Client, personas: Personas) -> None:
    from yotsu_web.reminders.models import ReminderPreference

    give_consent(personas)
    ReminderPreference.objects.create(patient=personas.patient_record, enabled=True)
    other = ReminderPreference.objects.create(patient=personas.other_patient_record, enabled=True)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert not ReminderPreference.objects.get(patient=personas.patient_record).enabled
    other.refresh_from_db()
    assert other.enabled


def test_consents_in_the_admin_are_read_only_and_scoped(client: Client, personas: Personas) -> None:
    ours = give_consent(personas)
    other = personas.other_patient_record
    theirs = Consent.objects.create(clinic=other.clinic, patient=other, patient_ref=other.pk, notice_version="x")
    personas.clinic_admin.is_staff = True
    personas.clinic_admin.save()
    client.force_login(personas.clinic_admin)
    assert client.get(reverse("admin:accounts_consent_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_consent_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:accounts_consent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_consent_delete", args=[ours.pk]), {"post": "yes"}).status_code == 403
    assert Consent.objects.count() == 2


def test_after_withdrawal_no_inactivity_alert_or_message_is_raised(client: Client, personas: Personas) -> None:
    import datetime as dt

    from yotsu_web.programme.services import check_inactivity

    from .programme_helpers import make_programme

    make_programme(personas.patient_record, start=dt.date(2026, 3, 2))
    make_programme(personas.other_patient_record, start=dt.date(2026, 3, 2))
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert check_inactivity(dt.date(2026, 3, 5)) == 1  # the other clinic's patient only


def test_desk_patient_page_warns_that_consent_was_withdrawn(client: Client, personas: Personas) -> None:
    give_consent(personas)
    page_url = reverse("desk:patient", args=["sakura", personas.patient_record.pk])
    staff = Client()
    staff.force_login(personas.practitioner)
    assert 'id="consent-withdrawn"' not in staff.get(page_url).content.decode()
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert 'id="consent-withdrawn"' in staff.get(page_url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()


def test_an_older_account_gives_consent_online_and_the_portal_stops_asking(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    assert 'id="consent-due"' in client.get(url("clinics:portal")).content.decode()
    assert 'id="agree-form"' in client.get(url("accounts:consent")).content.decode()
    response = client.post(url("accounts:agree-consent"), {"version": current_version()})
    assert response.status_code == 302
    consent = Consent.objects.get(patient=personas.patient_record)
    assert consent.notice_version == current_version() and consent.withdrawn_at is None
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="consent", subject_id=consent.pk).exists()
    assert 'id="consent-due"' not in client.get(url("clinics:portal")).content.decode()
    client.post(url("accounts:agree-consent"), {"version": current_version()})  # twice: still one record
    assert Consent.objects.count() == 1


def test_a_changed_notice_asks_again_and_keeps_the_earlier_consent(client: Client, personas: Personas) -> None:
    record = personas.patient_record
    old = Consent.objects.create(
        clinic=record.clinic, patient=record, patient_ref=record.pk, notice_version="2020-01-01"
    )
    client.force_login(personas.patient)
    assert 'id="consent-due"' in client.get(url("clinics:portal")).content.decode()
    client.post(url("accounts:agree-consent"), {"version": current_version()})
    assert [c.notice_version for c in Consent.objects.order_by("pk")] == ["2020-01-01", current_version()]
    old.refresh_from_db()
    assert old.withdrawn_at is None


def test_agreeing_to_a_text_that_is_not_the_current_one_records_nothing(client: Client, personas: Personas) -> None:
    client.force_login(personas.patient)
    response = client.post(url("accounts:agree-consent"), {"version": "1999-01-01"})
    assert response.status_code == 302 and not Consent.objects.exists()


def test_agreeing_is_the_patients_own_act(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)
    assert client.post(url("accounts:agree-consent"), {"version": current_version()}).status_code == 403
    client.force_login(personas.other_patient)
    assert client.post(url("accounts:agree-consent"), {"version": current_version()}).status_code == 403
    assert not Consent.objects.exists()


def test_after_withdrawal_agreeing_again_is_not_offered(client: Client, personas: Personas) -> None:
    give_consent(personas)
    client.force_login(personas.patient)
    client.post(url("accounts:withdraw-consent"))
    assert client.post(url("accounts:agree-consent"), {"version": current_version()}).status_code == 403
    assert Consent.objects.get().withdrawn_at is not None
