"""Settings are parsed strictly from the environment, with safe local defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from yotsu_web._config import ConfigError, load

PRODUCTION = {
    "YOTSU_PRODUCTION": "1",
    "YOTSU_SECRET_KEY": "x" * 50,
    "YOTSU_ALLOWED_HOSTS": "clinic.example.jp",
    "YOTSU_DATA_DIR": "/srv/yotsu",
}


def test_local_defaults_are_sqlite_console_mail_and_no_debug(tmp_path: Path) -> None:
    config = load({"YOTSU_DATA_DIR": str(tmp_path)})
    assert config.debug is False and config.production is False
    assert {k: config.database[k] for k in ("ENGINE", "NAME")} == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "yotsu.sqlite3"),
    }
    assert config.email_backend == "django.core.mail.backends.console.EmailBackend"
    assert config.hsts_seconds == 0 and config.ssl_redirect is False


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    config = load({"DATABASE_URL": "postgres://u:p@db.internal:5433/yotsu", "YOTSU_DATA_DIR": str(tmp_path)})
    assert config.database["ENGINE"] == "django.db.backends.postgresql"
    assert (config.database["HOST"], config.database["PORT"], config.database["NAME"]) == (
        "db.internal",
        5433,
        "yotsu",
    )


def test_unsupported_database_scheme_is_named() -> None:
    with pytest.raises(ConfigError, match="'mysql'"):
        load({"DATABASE_URL": "mysql://u@h/db"})


@pytest.mark.parametrize("value", ["2", "maybe", "enabled"])
def test_malformed_boolean_names_the_variable_and_value(value: str) -> None:
    with pytest.raises(ConfigError, match=f"YOTSU_DEBUG={value!r}"):
        load({"YOTSU_DEBUG": value})


def test_debug_turns_on_only_when_asked() -> None:
    assert load({"YOTSU_DEBUG": "1"}).debug is True
    assert load({"YOTSU_DEBUG": "0"}).debug is False


def test_malformed_integer_is_refused() -> None:
    with pytest.raises(ConfigError, match="YOTSU_SMTP_PORT='smtp'"):
        load({"YOTSU_SMTP_PORT": "smtp"})


def test_production_turns_on_hsts_tls_redirect_and_keeps_debug_off() -> None:
    config = load(PRODUCTION)
    assert config.production and not config.debug
    assert config.hsts_seconds == 31_536_000 and config.ssl_redirect is True
    assert config.allowed_hosts == ["clinic.example.jp"]


def test_production_refuses_a_missing_or_short_secret_key() -> None:
    with pytest.raises(ConfigError, match="YOTSU_SECRET_KEY"):
        load({**PRODUCTION, "YOTSU_SECRET_KEY": "short"})


def test_production_refuses_default_hosts() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "YOTSU_ALLOWED_HOSTS"}
    with pytest.raises(ConfigError, match="YOTSU_ALLOWED_HOSTS"):
        load(env)


def test_production_and_debug_together_are_refused() -> None:
    with pytest.raises(ConfigError, match="YOTSU_DEBUG"):
        load({**PRODUCTION, "YOTSU_DEBUG": "1"})


def test_smtp_host_switches_to_smtp_mail() -> None:
    config = load({"YOTSU_SMTP_HOST": "smtp.example.jp", "YOTSU_SMTP_PORT": "465", "YOTSU_SMTP_TLS": "0"})
    assert config.email_backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (config.email_host, config.email_port, config.email_use_tls) == ("smtp.example.jp", 465, False)


def test_running_settings_hash_with_argon2_and_throttle_logins() -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
