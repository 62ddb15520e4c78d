"""Settings read strictly from the environment.

Every variable is parsed here, in one place; a malformed value raises
:class:`ConfigError` naming the variable, the value received and what is allowed.
``settings.py`` only copies the result into Django's names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_DEV_SECRET_KEY = "django-insecure-yotsu-local-only-never-in-production"


class ConfigError(ImproperlyConfigured):
    """An environment variable has a value Yotsu cannot use."""


def parse_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    if name not in env:
        return default
    raw = env[name].strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name}={env[name]!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def parse_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    if name not in env:
        return default
    try:
        value = int(env[name])
    except ValueError:
        raise ConfigError(f"{name}={env[name]!r} is not an integer.") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}.")
    return value


def parse_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    if name not in env:
        return list(default)
    return [item.strip() for item in env[name].split(",") if item.strip()]


def parse_database(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """SQLite in the data directory unless ``DATABASE_URL`` names PostgreSQL (or SQLite)."""
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return _hold_under_load({"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "yotsu.sqlite3")})
    scheme = url.split(":", 1)[0]
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ConfigError(
            f"DATABASE_URL uses the scheme {scheme!r}; Yotsu supports postgres://, postgresql:// and sqlite://."
        )
    return _hold_under_load(dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)))


# SQLite shared by the web workers and the queue worker: WAL lets readers run beside the one writer,
# IMMEDIATE takes the write lock when a transaction starts (no upgrade deadlock that fails at once with
# "database is locked"), and a writer waits up to SQLITE_BUSY_TIMEOUT_S for the lock instead of failing.
SQLITE_BUSY_TIMEOUT_S = 20
_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT_S,
}


def _hold_under_load(database: dict[str, Any]) -> dict[str, Any]:
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] != ":memory:":
        database["OPTIONS"] = {**_SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return database


@dataclass(frozen=True)
class Config:
    debug: bool
    production: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    data_dir: Path
    database: dict[str, Any]
    base_url: str
    hsts_seconds: int
    ssl_redirect: bool
    tls_proxy: bool
    email_backend: str
    email_host: str
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    from_email: str

    @property
    def public_secret_key(self) -> bool:
        """True when no secret key was given and the published development key is in use."""
        return self.secret_key == _DEV_SECRET_KEY


def refuse_public_secret_key(config: Config) -> None:
    """Raise :class:`ConfigError` before a server or worker starts with the published development key,
    unless this is a local debugging run on SQLite (the demo makes its own key, see ``demo.py``)."""
    if config.public_secret_key and not (config.debug and config.database["ENGINE"].endswith("sqlite3")):
        raise ConfigError(
            "YOTSU_SECRET_KEY is not set, so the published development key would sign sessions and "
            "password resets; set YOTSU_SECRET_KEY to a random string of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )


def load(env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    debug = parse_bool(env, "YOTSU_DEBUG")
    production = parse_bool(env, "YOTSU_PRODUCTION")
    if debug and production:
        raise ConfigError("YOTSU_DEBUG=1 with YOTSU_PRODUCTION=1: debug pages would leak data in production.")
    secret_key = env.get("YOTSU_SECRET_KEY", "")
    if production and len(secret_key) < 32:
        raise ConfigError("YOTSU_PRODUCTION=1 needs YOTSU_SECRET_KEY of at least 32 characters.")
    allowed_hosts = parse_list(env, "YOTSU_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    if production and "YOTSU_ALLOWED_HOSTS" not in env:
        raise ConfigError("YOTSU_PRODUCTION=1 needs YOTSU_ALLOWED_HOSTS (comma-separated host names).")
    data_dir = Path(env.get("YOTSU_DATA_DIR", "") or Path.home() / ".local" / "share" / "yotsu")
    smtp_host = env.get("YOTSU_SMTP_HOST", "")
    return Config(
        debug=debug,
        production=production,
        secret_key=secret_key or _DEV_SECRET_KEY,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=parse_list(env, "YOTSU_CSRF_TRUSTED_ORIGINS", []),
        data_dir=data_dir,
        database=parse_database(env, data_dir),
        base_url=env.get("YOTSU_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        hsts_seconds=parse_int(env, "YOTSU_HSTS_SECONDS", 31_536_000 if production else 0),
        ssl_redirect=parse_bool(env, "YOTSU_SSL_REDIRECT", default=production),
        tls_proxy=parse_bool(env, "YOTSU_TLS_PROXY"),
        email_backend=(
            "django.core.mail.backends.smtp.EmailBackend"
            if smtp_host
            else "django.core.mail.backends.console.EmailBackend"
        ),
        email_host=smtp_host,
        email_port=parse_int(env, "YOTSU_SMTP_PORT", 587, minimum=1),
        email_user=env.get("YOTSU_SMTP_USER", ""),
        email_password=env.get("YOTSU_SMTP_PASSWORD", ""),
        email_use_tls=parse_bool(env, "YOTSU_SMTP_TLS", default=True),
        from_email=env.get("YOTSU_FROM_EMAIL", "yotsu@localhost"),
    )
