"""pytest-django set-up for the web app, and the personas every view test uses.

Database: ``YOTSU_TEST_DB=sqlite`` (default) or ``YOTSU_TEST_DB=postgres``. For PostgreSQL the
server is ``YOTSU_TEST_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``;
pytest-django creates and drops ``test_<name>`` beside it). An unreachable server stops the run
with an error: it never turns into skipped tests.

Browser: see ``README`` in this directory.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def requested_database() -> str:
    which = os.environ.get("YOTSU_TEST_DB", "sqlite")
    if which not in {"sqlite", "postgres"}:
        raise pytest.UsageError(f"YOTSU_TEST_DB={which!r}; use 'sqlite' or 'postgres'.")
    return which


def _require_postgres(url: str) -> None:
    import psycopg

    try:
        psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5).close()
    except psycopg.OperationalError as error:
        raise pytest.UsageError(f"YOTSU_TEST_DB=postgres but PostgreSQL at {url} is unreachable: {error}") from None


def _configure_environment() -> None:
    if requested_database() == "postgres":
        url = os.environ.get("YOTSU_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
        _require_postgres(url)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    for name in ("YOTSU_DEBUG", "YOTSU_PRODUCTION", "YOTSU_SMTP_HOST"):
        os.environ.pop(name, None)
    os.environ["YOTSU_DATA_DIR"] = tempfile.mkdtemp(prefix="yotsu-web-test-")
    # A key of the test run's own: the published development key is refused outside debug on SQLite.
    os.environ.setdefault("YOTSU_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yotsu_web.settings"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium through Playwright")
    import django.apps

    if django.apps.apps.ready:
        return
    _configure_environment()
    from django.conf import settings

    settings.DATABASES  # noqa: B018  (load settings now, so pytest-django sees them configured)
    # When pytest starts from the repository root this conftest loads after pytest-django's own
    # pytest_configure, so finish its set-up here (django.setup() and the database blocker).
    from pytest_django.plugin import _setup_django

    _setup_django(config)


@dataclass
class Personas:
    """Two clinics; in each a patient and a practitioner. Healthchecks-style wrong-user testing."""

    clinic: Clinic
    other_clinic: Clinic
    patient: User
    practitioner: User
    clinic_admin: User
    other_patient: User
    other_practitioner: User

    @property
    def patient_record(self) -> Membership:
        return self.patient.memberships.get()

    @property
    def other_patient_record(self) -> Membership:
        return self.other_patient.memberships.get()


def make_user(username: str, clinic: Clinic, role: str, password: str | None = None) -> User:
    """A member of ``clinic``, with a confirmed e-mail address. Without a password the account cannot log in
    by form (tests use force_login), which keeps the suite off the deliberately slow Argon2 hasher."""
    from django.utils import timezone

    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Membership

    user = User.objects.create_user(
        username=username, email=f"{username}@example.com", password=password, email_confirmed_at=timezone.now()
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


@pytest.fixture
def personas(db: None) -> Personas:
    from yotsu_web.clinics.models import Clinic, Role

    clinic = Clinic.objects.create(name="さくら整体院", slug="sakura", notification_email="sakura@example.com")
    other = Clinic.objects.create(name="Other clinic", slug="other", notification_email="other@example.com")
    return Personas(
        clinic=clinic,
        other_clinic=other,
        patient=make_user("alice", clinic, Role.PATIENT),
        practitioner=make_user("pat", clinic, Role.PRACTITIONER),
        clinic_admin=make_user("ada", clinic, Role.ADMIN),
        other_patient=make_user("bob", other, Role.PATIENT),
        other_practitioner=make_user("otto", other, Role.PRACTITIONER),
    )


# Browser tests (marker "browser"): Debian's Chromium through Playwright, nothing downloaded.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("YOTSU_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        pytest.fail(f"Chromium not found at {path}; apt-get install -y chromium, or set YOTSU_CHROMIUM")
    return path


@pytest.fixture
def screenshots() -> Path:
    directory = Path(os.environ.get("YOTSU_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="yotsu-screens-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {directory}")
    return directory


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty process cache (yotsu_web.diary.cache): a rolled-back test database
    may hand the next test the same ids and times are all that tells records apart), and an empty shared
    cache, so rate-limit counts (accounts.throttle) never carry over."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["shared"].clear()
