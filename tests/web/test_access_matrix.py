"""Every clinic-scoped URL, tried by every persona with this clinic's and the other clinic's ids.

Adding a view without listing it here fails ``test_every_clinic_url_is_in_the_matrix``, so no
page can ship without its wrong-user checks.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yotsu_web.assessments.models import QuestionnaireResponse
from yotsu_web.exports.models import DeletionRequest
from yotsu_web.inquiries.models import Channel, Inquiry

from .conftest import Personas
from .programme_helpers import patient_with_programme, record_with_programme

PUBLIC, PATIENT, STAFF = "public", "patient", "staff"


def inquiry_of(clinic: object) -> int:
    return Inquiry.objects.create(clinic=clinic, channel=Channel.WEB, name="n", contact="c", message="m").pk


def response_of(personas: Personas) -> list[object]:
    return [QuestionnaireResponse.objects.create(patient=personas.patient_record, instrument="phq4").pk]


def deletion_of(personas: Personas) -> list[object]:
    record = personas.patient_record
    return [DeletionRequest.objects.create(clinic=record.clinic, patient=record, patient_ref=record.pk).pk]


def visit_of(personas: Personas) -> list[object]:
    from yotsu_web.records.models import VisitRecord

    return [VisitRecord.objects.create(patient=personas.patient_record, author=personas.practitioner,
                                       visit_date="2026-12-01").pk]  # fmt: skip


def no_object(personas: Personas) -> list[object]:
    return []


def visit_type_of(personas: Personas) -> list[object]:
    from yotsu_web.booking.models import VisitType

    return [VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60).pk]


def booking_of(personas: Personas) -> list[object]:
    """The patient's own booking (made directly: the access rules, not the slot rules, are tested here)."""
    import datetime as dt

    from django.utils import timezone

    from yotsu_web.booking.models import Booking, VisitType

    visit = VisitType.objects.create(clinic=personas.clinic, name="初回", minutes=60)
    at = timezone.now() + dt.timedelta(days=3)
    practitioner = personas.practitioner.memberships.get()
    return [Booking.objects.create(clinic=personas.clinic, practitioner=practitioner, visit_type=visit,
                                   patient=personas.patient_record, starts_at=at, ends_at=at).pk]  # fmt: skip


def intake_of(personas: Personas) -> list[object]:
    """The patient's own first-visit booking with its intake (opened from the account, no secret)."""
    from yotsu_web.booking.models import Booking
    from yotsu_web.intake.models import Intake

    booking = Booking.objects.get(pk=booking_of(personas)[0])
    Intake.objects.create(booking=booking, patient=personas.patient_record)
    return [booking.pk]


def patient_record(personas: Personas) -> list[object]:
    return [personas.patient_record.pk]


# URL name -> (who may open it, the URL's ids for an object of the first clinic "sakura", what a
# permitted GET returns: 200 for pages, 405 for POST-only actions, whose access checks still run first)
MATRIX: dict[str, tuple[str, Callable[[Personas], list[object]], int]] = {
    "inquiries:landing": (PUBLIC, no_object, 200),
    "inquiries:thanks": (PUBLIC, no_object, 200),
    "accounts:signup": (PUBLIC, no_object, 302),  # members are sent home
    "accounts:privacy": (PUBLIC, no_object, 200),
    "accounts:send-confirmation": (PATIENT, no_object, 405),
    "accounts:consent": (PATIENT, no_object, 200),
    "accounts:agree-consent": (PATIENT, no_object, 405),
    "accounts:withdraw-consent": (PATIENT, no_object, 405),
    "selfcheck:start": (PUBLIC, no_object, 200),
    "selfcheck:save": (PATIENT, no_object, 405),
    "clinics:portal": (PATIENT, no_object, 200),
    "clinics:words": (PATIENT, no_object, 200),
    "assessments:list": (PATIENT, no_object, 200),
    "assessments:start": (PATIENT, no_object, 405),
    "assessments:fill": (PATIENT, response_of, 200),
    "assessments:plan": (PATIENT, no_object, 200),
    "diary:diary": (PATIENT, no_object, 200),
    "diary:chart": (PATIENT, no_object, 200),
    "diary:symptoms": (PATIENT, no_object, 200),
    "bodymap:training": (PATIENT, no_object, 200),
    "bodymap:progress": (PATIENT, no_object, 200),
    "exports:mine": (PATIENT, no_object, 200),
    "exports:my-fhir": (PATIENT, no_object, 200),
    "exports:my-diary": (PATIENT, no_object, 200),
    "exports:my-everything": (PATIENT, no_object, 200),
    "exports:request-deletion": (PATIENT, no_object, 405),
    "explain:mine": (PATIENT, no_object, 200),
    "explain:questions": (PATIENT, no_object, 405),
    "explain:my-course": (PATIENT, no_object, 200),
    "explain:my-factors": (PATIENT, no_object, 200),
    "forecast:mine": (PATIENT, no_object, 200),
    "forecast:my-fan": (PATIENT, no_object, 200),
    "inquiries:inbox": (STAFF, no_object, 200),
    "desk:patients": (STAFF, no_object, 200),
    "inquiries:detail": (STAFF, lambda p: [inquiry_of(p.clinic)], 200),
    "desk:patient": (STAFF, patient_record, 200),
    "desk:note": (STAFF, patient_record, 405),
    "desk:clinic-test": (STAFF, patient_record, 405),
    "desk:chart": (STAFF, patient_record, 200),
    "referrals:referral": (PATIENT, no_object, 200),
    "referrals:clearance": (STAFF, patient_record, 405),
    "exports:patient-fhir": (STAFF, patient_record, 200),
    "exports:patient-diary": (STAFF, patient_record, 200),
    "exports:deletions": (STAFF, no_object, 200),
    "exports:complete-deletion": (STAFF, deletion_of, 405),
    "explain:patient": (STAFF, patient_record, 200),
    "explain:patient-course": (STAFF, patient_record, 200),
    "explain:patient-factors": (STAFF, patient_record, 200),
    "explain:retry": (STAFF, patient_record, 405),
    "forecast:patient": (STAFF, patient_record, 200),
    "forecast:patient-fan": (STAFF, patient_record, 200),
    "plans:edit": (STAFF, patient_record, 200),
    "programme:today": (PATIENT, no_object, 200),
    "programme:log": (PATIENT, no_object, 405),
    "programme:morning": (PATIENT, no_object, 405),
    "programme:sheet": (PATIENT, patient_with_programme, 200),
    "programme:sheet-pdf": (PATIENT, patient_with_programme, 200),
    "programme:overview": (STAFF, no_object, 200),
    "programme:settings": (STAFF, no_object, 405),
    "programme:patient": (STAFF, record_with_programme, 200),
    "programme:build": (STAFF, patient_record, 200),
    "programme:chart": (STAFF, record_with_programme, 200),
    "programme:decide": (STAFF, patient_record, 405),
    "programme:resolve-alert": (STAFF, patient_record, 405),
    "programme:patient-sheet-pdf": (STAFF, record_with_programme, 200),
    "messaging:thread": (PATIENT, no_object, 200),
    "messaging:link-code": (PATIENT, no_object, 405),
    "messaging:desk-thread": (STAFF, patient_record, 200),
    "reminders:settings": (PATIENT, no_object, 200),
    "records:visits": (STAFF, patient_record, 200),
    "records:chart": (STAFF, patient_record, 200),
    "records:detail": (STAFF, visit_of, 200),
    "records:amend": (STAFF, visit_of, 200),
    "records:fhir": (STAFF, visit_of, 200),
    "public:clinic": (PUBLIC, no_object, 200),
    "booking:start": (PUBLIC, no_object, 200),
    "booking:slots": (PUBLIC, visit_type_of, 200),
    "booking:confirm": (PUBLIC, visit_type_of, 302),  # without a chosen time: back to the times
    "booking:booking": (PATIENT, booking_of, 200),  # a guest's booking: only with its token (test_booking)
    "booking:cancel": (PATIENT, booking_of, 405),
    "booking:change": (PATIENT, booking_of, 200),
    "booking:calendar-feed": (STAFF, no_object, 200),
    "booking:schedule": (STAFF, no_object, 200),
    "booking:desk-mark": (STAFF, booking_of, 405),
    "booking:desk-cancel": (STAFF, booking_of, 200),
    "booking:desk-move": (STAFF, booking_of, 200),
    "intake:fill": (PATIENT, intake_of, 200),  # a guest's intake: only with its own secret (test_intake)
    "intake:desk": (STAFF, intake_of, 200),
}
NOT_CLINIC_PAGES = {"inquiries:line-webhook"}  # signed machine endpoint, tested in test_line_webhook
NOT_CLINIC_PAGES |= {"booking:calendar"}  # a calendar app's secret address (token), tested in test_calendar_feed
NOT_CLINIC_PAGES |= {"records:edit"}  # the author only: its own wrong-user test in test_records
NAMESPACES = {
    *("accounts", "clinics", "inquiries", "selfcheck", "assessments", "diary", "bodymap", "desk", "exports"),
    *("explain", "plans", "forecast"),
    *("programme", "messaging", "reminders"),
    "records",
    *("referrals",),
    "public",
    "booking",
    "intake",
}


def named_patterns(resolver: URLResolver | None = None, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in NAMESPACES:
            found |= named_patterns(entry, f"{entry.namespace}:")
        elif isinstance(entry, URLPattern) and entry.name and prefix:
            found[prefix + entry.name] = str(entry.pattern)
    return found


def test_every_clinic_url_is_in_the_matrix() -> None:
    clinic_urls = {name for name, route in named_patterns().items() if "<slug:slug>" in route}
    assert clinic_urls - NOT_CLINIC_PAGES == set(MATRIX)


def test_urls_carry_only_slugs_and_integer_ids() -> None:
    """Health data never travels in a URL: the only variable parts are the clinic slug and ids."""
    for route in named_patterns().values():
        for part in route.split("<")[1:]:
            assert part.split(">")[0] in {"slug:slug", "int:pk"}, route


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_own_clinics_members_get_what_their_role_allows(client: Client, personas: Personas, name: str) -> None:
    audience, ids, allowed = MATRIX[name]
    url = reverse(name, args=["sakura", *ids(personas)])
    for user, role in [
        (personas.patient, PATIENT),
        (personas.practitioner, STAFF),
        (personas.clinic_admin, STAFF),
    ]:
        client.force_login(user)
        expected = allowed if audience in {PUBLIC, role} else 403
        assert client.get(url).status_code == expected, (name, user.username)


@pytest.mark.parametrize("name", sorted(n for n, (audience, _, _) in MATRIX.items() if audience != PUBLIC))
def test_other_clinics_members_are_forbidden_here(client: Client, personas: Personas, name: str) -> None:
    url = reverse(name, args=["sakura", *MATRIX[name][1](personas)])
    for user in (personas.other_patient, personas.other_practitioner):
        client.force_login(user)
        assert client.get(url).status_code == 403, (name, user.username)
        assert client.post(url).status_code == 403, (name, user.username)


@pytest.mark.parametrize("name", sorted(n for n, (_, ids, _) in MATRIX.items() if ids is not no_object))
def test_this_clinics_ids_through_the_other_clinic_are_404(client: Client, personas: Personas, name: str) -> None:
    """The other clinic's member with the right role, asking for this clinic's object in their own clinic."""
    url = reverse(name, args=["other", *MATRIX[name][1](personas)])
    client.force_login(personas.other_patient if MATRIX[name][0] == PATIENT else personas.other_practitioner)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, (audience, _, _) in MATRIX.items() if audience != PUBLIC))
def test_anonymous_is_sent_to_log_in(client: Client, personas: Personas, name: str) -> None:
    response = client.get(reverse(name, args=["sakura", *MATRIX[name][1](personas)]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# The JSON API (/api/v1/): URL name -> (who may use it, the URL's ids for an object of "sakura", the
# methods it answers). The same wrong-user rules as the pages; an anonymous caller gets 401.
API_MATRIX: dict[str, tuple[str, Callable[[Personas], list[object]], tuple[str, ...]]] = {
    "api:my-diary-days": (PATIENT, no_object, ("get", "post")),
    "api:my-diary-sessions": (PATIENT, no_object, ("get", "post")),
    "api:my-questionnaires": (PATIENT, no_object, ("get",)),
    "api:my-bodymap-sessions": (PATIENT, no_object, ("get",)),
    "api:my-alerts": (PATIENT, no_object, ("get",)),
    "api:my-forecast": (PATIENT, no_object, ("get",)),
    "api:patients": (STAFF, no_object, ("get",)),
    "api:patient-timeline": (STAFF, patient_record, ("get",)),
    "api:patient-forecast": (STAFF, patient_record, ("get",)),
}
API_ALIASES = {"api:my-diary-days-create", "api:my-diary-sessions-create"}  # POST of the same path


def api_patterns() -> dict[str, str]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            return {f"api:{p.name}": str(p.pattern) for p in entry.url_patterns if p.name}
    raise AssertionError("the API is not mounted")


def test_every_api_url_is_in_the_matrix() -> None:
    clinic_urls = {name for name, route in api_patterns().items() if "<slug:slug>" in route}
    assert clinic_urls - API_ALIASES == set(API_MATRIX)
    for route in api_patterns().values():
        for part in route.split("<")[1:]:
            assert part.split(">")[0] in {"slug:slug", "int:pk"}, route


def call(client: Client, method: str, url: str) -> int:
    return getattr(client, method)(url, {}, content_type="application/json").status_code


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_own_clinics_members_get_what_their_role_allows(client: Client, personas: Personas, name: str) -> None:
    audience, ids, _methods = API_MATRIX[name]
    url = reverse(name, args=["sakura", *ids(personas)])
    for user, role in [(personas.patient, PATIENT), (personas.practitioner, STAFF), (personas.clinic_admin, STAFF)]:
        client.force_login(user)
        assert client.get(url).status_code == (200 if audience == role else 403), (name, user.username)


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_other_clinics_members_are_forbidden_here(client: Client, personas: Personas, name: str) -> None:
    _audience, ids, methods = API_MATRIX[name]
    url = reverse(name, args=["sakura", *ids(personas)])
    for user in (personas.other_patient, personas.other_practitioner):
        client.force_login(user)
        for method in methods:
            assert call(client, method, url) == 403, (name, method, user.username)


@pytest.mark.parametrize("name", sorted(n for n, (_, ids, _) in API_MATRIX.items() if ids is not no_object))
def test_api_this_clinics_ids_through_the_other_clinic_are_404(client: Client, personas: Personas, name: str) -> None:
    audience, ids, methods = API_MATRIX[name]
    client.force_login(personas.other_patient if audience == PATIENT else personas.other_practitioner)
    for method in methods:
        assert call(client, method, reverse(name, args=["other", *ids(personas)])) == 404


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_tokens_carry_the_same_rules(client: Client, personas: Personas, name: str) -> None:
    from yotsu_web.api.models import ApiToken

    audience, ids, _methods = API_MATRIX[name]
    url = reverse(name, args=["sakura", *ids(personas)])
    for user, allowed in [(personas.patient, audience == PATIENT), (personas.practitioner, audience == STAFF),
                          (personas.other_patient, False), (personas.other_practitioner, False)]:  # fmt: skip
        headers = {"Authorization": f"Bearer {ApiToken.issue(user, 'matrix')[1]}"}
        assert client.get(url, headers=headers).status_code == (200 if allowed else 403), (name, user.username)


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_anonymous_gets_401(client: Client, personas: Personas, name: str) -> None:
    _audience, ids, methods = API_MATRIX[name]
    for method in methods:
        assert call(client, method, reverse(name, args=["sakura", *ids(personas)])) == 401


# Account pages outside any clinic (yotsu_web.accounts.reset_urls): open to everyone, logged in or not.
# The reset confirmation carries Django's signed user id and token (tested in test_password_reset).
ACCOUNT_PAGES = {"password_reset": 200, "password_reset_done": 200, "password_reset_complete": 200}


def test_every_account_page_is_listed() -> None:
    from yotsu_web.accounts import reset_urls

    # The two pages opened from a link with a token are tested with good and bad tokens in their own files.
    assert {p.name for p in reset_urls.urlpatterns} == set(ACCOUNT_PAGES) | {"password_reset_confirm", "email_confirm"}


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_account_pages_open_to_everyone(client: Client, personas: Personas, name: str) -> None:
    assert client.get(reverse(name)).status_code == ACCOUNT_PAGES[name]
    for user in (personas.patient, personas.practitioner, personas.other_patient):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == ACCOUNT_PAGES[name], (name, user.username)
