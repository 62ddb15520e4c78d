"""Django settings for Yotsu. Values come from the environment via :mod:`yotsu_web._config`.

Local defaults are safe for one person on one machine (SQLite in the data directory,
console e-mail, DEBUG off). ``YOTSU_PRODUCTION=1`` turns on secure cookies, HSTS and
the TLS redirect, and insists on a real secret key and host list.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from yotsu_web._config import load
from yotsu_web.reminders.queue import make_huey

CONFIG = load()
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
YOTSU_BASE_URL = CONFIG.base_url

INSTALLED_APPS = [
    "yotsu_web.accounts",
    "yotsu_web.clinics",
    "yotsu_web.inquiries",
    "yotsu_web.audit",
    "yotsu_web.selfcheck",
    "yotsu_web.assessments",
    "yotsu_web.diary",
    "yotsu_web.bodymap",
    "yotsu_web.desk",
    "yotsu_web.exports",
    "yotsu_web.plans",
    "yotsu_web.explain",
    "yotsu_web.forecast",
    "yotsu_web.api",
    "yotsu_web.messaging",
    "yotsu_web.programme",
    "yotsu_web.reminders",
    "yotsu_web.records",
    "yotsu_web.referrals",
    "yotsu_web.public",
    "yotsu_web.booking",
    "yotsu_web.journey",
    "yotsu_web.intake",
    "huey.contrib.djhuey",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yotsu_web.middleware.content_security_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yotsu_web.middleware.idle_logout",
    "yotsu_web.accounts.consent.ConsentGate",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yotsu_web.urls"
WSGI_APPLICATION = "yotsu_web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yotsu_web.referrals.context.referral_mode",
            ],
        },
    },
]

if CONFIG.database["ENGINE"].endswith("sqlite3") and CONFIG.database["NAME"] != ":memory:":
    Path(CONFIG.database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Process memory only (each web process its own): the diary page's alerts, charts and tables under the
# revision of the records they come from (yotsu_web.diary.cache), and the empty forms. It holds health data,
# so it must stay in the process: never a file or a shared cache server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "yotsu",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username+address pair after 5 failures for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "yotsu_web.accounts.login.axes_username"  # an e-mail counts against its account
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]  # autonyms: each name in its own language
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CONFIG.data_dir / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise serves static files from the app and package folders under any WSGI server, DEBUG on or off,
# without a collectstatic step (the files ship inside the package).
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600
# STATIC_ROOT exists only after an optional collectstatic; WhiteNoise need not warn that it is absent.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

EMAIL_BACKEND = CONFIG.email_backend
EMAIL_HOST = CONFIG.email_host
EMAIL_PORT = CONFIG.email_port
EMAIL_HOST_USER = CONFIG.email_user
EMAIL_HOST_PASSWORD = CONFIG.email_password
EMAIL_USE_TLS = CONFIG.email_use_tls
DEFAULT_FROM_EMAIL = CONFIG.from_email
EMAIL_TIMEOUT = 30  # seconds; shorter than the delivery lease (messaging.deliver)
YOTSU_DELIVERY_LEASE_S = CONFIG.delivery_lease_s
if CONFIG.line_api_host:
    YOTSU_LINE_API_HOST = CONFIG.line_api_host

# The task queue (reminders, LINE pushes): SQLite in the data directory, Redis when REDIS_URL is set.
HUEY = make_huey(CONFIG.data_dir)

# "shared": what every web process of the installation must count together, and nothing else - the rate
# limits of e-mail-sending requests (accounts.throttle; hashed addresses, no health data): Redis when
# REDIS_URL is set (several machines), else files in the data directory (one machine).
_REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES["shared"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL, "KEY_PREFIX": "yotsu"}
    if _REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(CONFIG.data_dir / "cache")}
)

# Security headers everywhere; the TLS-dependent ones only in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Health data: a login ends when the browser closes, and after the clinic's idle time (staff:
# Clinic.staff_idle_minutes, default 30; patients: Clinic.patient_idle_minutes, default 60;
# yotsu_web.middleware.idle_logout).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
YOTSU_IDLE_LOGOUT = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG.production
CSRF_COOKIE_SECURE = CONFIG.production
LANGUAGE_COOKIE_SECURE = CONFIG.production
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.production
SECURE_SSL_REDIRECT = CONFIG.ssl_redirect
# Behind a TLS-terminating proxy (YOTSU_TLS_PROXY=1) the proxy must set X-Forwarded-Proto and strip any
# the client sent; Django then sees HTTPS requests as secure and redirects only plain-HTTP ones.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CONFIG.tls_proxy else None
YOTSU_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# Logs carry request paths and status codes only; paths hold ids, never health data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
