"""A local demo: migrate a SQLite database, create a demo clinic with people, serve it.

``python -m yotsu_web demo`` or, as a console script, ``yotsu_web.demo:main``.
The demo logins are printed; they are for a machine nobody else can reach.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

DEMO_CLINIC_SLUG = "demo"
DEMO_PASSWORD = "yotsu-demo-password"
DEMO_PATIENTS = ("demo-patient-1", "demo-patient-2", "demo-patient-3")
# 氏名, フリガナ, date of birth and phone of the demo patients (invented; 555 numbers are not in use).
DEMO_IDENTITIES = {
    "demo-patient-1": ("佐藤 美咲", "サトウ ミサキ", "1988-05-14", "090-0555-0101"),
    "demo-patient-2": ("鈴木 健一", "スズキ ケンイチ", "1961-11-03", "090-0555-0102"),
    "demo-patient-3": ("高橋 陽子", "タカハシ ヨウコ", "1975-02-27", "090-0555-0103"),
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str = DEMO_PASSWORD


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yotsu-web demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where the SQLite database lives (default: YOTSU_DATA_DIR or ~/.local/share/yotsu/demo)",
    )
    parser.add_argument("--addr", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    parser.add_argument("--no-serve", action="store_true", help="set up the data and exit")
    return parser


def create_demo_data() -> list[DemoLogin]:
    """Create (or reset) the demo clinic, its staff and three patients with several weeks of records.
    Safe to run again."""
    from django.utils import timezone

    from yotsu_web.accounts.models import User
    from yotsu_web.clinics.models import Clinic, Membership, Role
    from yotsu_web.inquiries.models import Channel, Inquiry

    clinic, _ = Clinic.objects.get_or_create(
        slug=DEMO_CLINIC_SLUG,
        defaults={"name": "デモ整体院 (Yotsu demo clinic)", "notification_email": "clinic@example.com"},
    )
    people = [("demo-admin", Role.ADMIN), ("demo-practitioner", Role.PRACTITIONER)]
    people += [(name, Role.PATIENT) for name in DEMO_PATIENTS]
    logins = []
    for username, role in people:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
        user.is_staff = role == Role.ADMIN  # the Django admin needs is_staff; ClinicAdmin scopes it
        if username in DEMO_IDENTITIES:
            user.full_name, user.furigana, birth, user.phone = DEMO_IDENTITIES[username]
            user.birth_date = dt.date.fromisoformat(birth)
        user.email_confirmed_at = user.email_confirmed_at or timezone.now()  # demo addresses count as confirmed
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, clinic=clinic, defaults={"role": role})
        logins.append(DemoLogin(username, str(role)))
    from yotsu_web.accounts.consent import current_version
    from yotsu_web.accounts.models import Consent

    for membership in Membership.objects.filter(clinic=clinic, user__username__in=DEMO_PATIENTS):
        Consent.objects.filter(patient=membership).delete()  # a reset also undoes a withdrawal tried in the demo
        Consent.objects.create(
            clinic=clinic, patient=membership, patient_ref=membership.pk, notice_version=current_version()
        )
    from yotsu_web.demo_records import create_demo_records

    practitioner = User.objects.get(username="demo-practitioner")
    patients = [Membership.objects.get(user__username=name, clinic=clinic) for name in DEMO_PATIENTS]
    create_demo_records(patients, practitioner)
    from yotsu_web.programme.demo import create_demo_programmes

    create_demo_programmes(patients, practitioner)
    if not Inquiry.objects.filter(clinic=clinic).exists():
        Inquiry.objects.create(
            clinic=clinic,
            channel=Channel.WEB,
            name="山田 花子",
            contact="hanako@example.com",
            message="半年前から腰が重く、強いマッサージの後はかえって張る気がします。",
        )
    return logins


def _demo_secret_key(data_dir: Path) -> str:
    """A random key kept beside the demo database (owner-only), so no demo signs with a published key."""
    import secrets

    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _stop_on_signals(consumer: object) -> None:
    """Ctrl-C and SIGTERM stop the in-process worker (finishing the task in hand), then the server.
    (The consumer installs handlers that only set a flag for a loop the demo does not run.)"""
    import signal

    def stop(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C stops at once
        consumer.stop(graceful=True)  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.data_dir is not None:
        os.environ["YOTSU_DATA_DIR"] = str(args.data_dir)
    elif "YOTSU_DATA_DIR" not in os.environ:
        os.environ["YOTSU_DATA_DIR"] = str(Path.home() / ".local" / "share" / "yotsu" / "demo")
    if not os.environ.get("YOTSU_SECRET_KEY"):
        os.environ["YOTSU_SECRET_KEY"] = _demo_secret_key(Path(os.environ["YOTSU_DATA_DIR"]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
    os.environ.setdefault("YOTSU_BASE_URL", f"http://{args.addr}:{args.port}")

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.db import transaction

    with transaction.atomic():  # one commit: each demo patient's explanation is queued once, after it
        logins = create_demo_data()
    address = f"http://{args.addr}:{args.port}/c/{DEMO_CLINIC_SLUG}/"
    print(f"Yotsu demo — database: {settings.DATABASES['default']['NAME']}")
    print(f"Open {address}  (staff log in at http://{args.addr}:{args.port}/accounts/login/)")
    for login in logins:
        print(f"  {login.role:<13} {login.username:<18} password: {login.password}")
    sys.stdout.flush()
    if not args.no_serve:
        from yotsu_web.reminders.queue import start_background_worker

        consumer = start_background_worker()  # reminders and LINE pushes on this machine, no second command
        _stop_on_signals(consumer)
        call_command("runserver", f"{args.addr}:{args.port}", use_reloader=False, insecure_serving=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
