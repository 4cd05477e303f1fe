"""Safehub settings: one module, driven by environment variables.

Every variable is listed with a comment in `.env.example`. The embedded default (SQLite under
`var/`, demo logins) needs no env file. Outside SAFEHUB_ENV=dev|test the settings fail closed:
a missing SECRET_KEY, ALLOWED_HOSTS or DATABASE_URL stops start-up here, and the registered
system checks in `safehub.core.checks` refuse DEBUG, demo logins and a missing TOTP requirement.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read") from exc
    return os.environ.get(name, default)


SAFEHUB_ENV = env_str("SAFEHUB_ENV", "dev")
if SAFEHUB_ENV not in ("dev", "test", "staging", "production"):
    raise ImproperlyConfigured(f"SAFEHUB_ENV must be dev, test, staging or production, not {SAFEHUB_ENV!r}")
RELAXED = SAFEHUB_ENV in ("dev", "test")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set outside dev and test")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105 (dev/test only)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if RELAXED else "")
if not ALLOWED_HOSTS and not RELAXED:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set outside dev and test")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "safehub.core.views.csrf_failure"

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL and not RELAXED:
    raise ImproperlyConfigured("DATABASE_URL must be set outside dev and test")
VAR_DIR = Path(env_str("SAFEHUB_VAR_DIR", str(BASE_DIR / "var")))
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'safehub.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))

# Demo logins (the demo world's personas) are refused outside dev/test by check safehub.E005.
DEMO_LOGINS_ENABLED = env_bool("SAFEHUB_DEMO_LOGINS", RELAXED)
# TOTP second factor: required in production (check safehub.E006), optional elsewhere.
REQUIRE_TOTP = env_bool("SAFEHUB_REQUIRE_TOTP", SAFEHUB_ENV == "production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "safehub.core",
    "safehub.people",
    "safehub.instruments",
    "safehub.contacts",
    "safehub.referrals",
    "safehub.missing",
    "safehub.meetings",
    "safehub.protection",
    "safehub.recommendations",
    "safehub.activities",
    "safehub.reviews",
    "safehub.slavery",
    "safehub.fund",
    "safehub.linkage",
    "safehub.analytics",
    "safehub.reports",
    "safehub.retention",  # last of the domain apps: its demo schedules reviews over everyone's records
    "safehub.api",
]

MIDDLEWARE = [
    "safehub.core.middleware.RequestIdMiddleware",
    "safehub.core.middleware.PayloadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safehub.core.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safehub.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safehub.core.middleware.AdminStyleMiddleware",
    "axes.middleware.AxesMiddleware",
    "safehub.core.middleware.DatabaseUnavailableMiddleware",
    "safehub.core.middleware.RequestLogMiddleware",
]

ROOT_URLCONF = "safehub.urls"
WSGI_APPLICATION = "safehub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safehub.core.navigation.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if SAFEHUB_ENV == "test":
    # Tests create many users; production hashing is checked in test_settings.py.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:sign_in"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = env_int("SAFEHUB_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("SAFEHUB_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("SAFEHUB_LOCKOUT_ENABLED", True)

# Sessions: inactivity timeout, renewed by a page view at most once a minute (a write each time:
# core.middleware.SessionRenewalMiddleware), secure cookies outside dev/test.
SESSION_COOKIE_AGE = env_int("SAFEHUB_SESSION_IDLE_MINUTES", 30) * 60
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SAFEHUB_SECURE_COOKIES", not RELAXED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SAFEHUB_SSL_REDIRECT", not RELAXED)
SECURE_HSTS_SECONDS = env_int("SAFEHUB_HSTS_SECONDS", 0 if RELAXED else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not RELAXED
SECURE_HSTS_PRELOAD = env_bool("SAFEHUB_HSTS_PRELOAD", not RELAXED)
if env_bool("SAFEHUB_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy with nonces; nothing from any CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Request and upload sizes: larger payloads get 413 with a clear message (PayloadLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SAFEHUB_MAX_REQUEST_BYTES", 1_048_576)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if RELAXED
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = RELAXED
if RELAXED:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if RELAXED
    else "django.core.mail.backends.smtp.EmailBackend",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "safehub.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"token": "20/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safehub API",
    "DESCRIPTION": "Multi-agency safeguarding platform. Every call is scoped to the caller's agency, "
    "district and role, and every read of a person's record is audited.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for choice sets that several fields share (the six THRIVE element levels).
    "ENUM_NAME_OVERRIDES": {
        "ThriveLevelEnum": "safehub.contacts.models.Level",
        "DisabilityEnum": "safehub.people.models.Disability",
        "MeetingStatusEnum": "safehub.meetings.models.MeetingStatus",
        "MeetingActionStatusEnum": "safehub.meetings.models.ActionStatus",
        "MeetingRiskLevelEnum": "safehub.meetings.models.RiskLevel",
        "MeetingCaseDecisionEnum": "safehub.meetings.models.Decision",
        "NrmDecisionEnum": "safehub.slavery.models.Decision",
        "NrmOutcomeEnum": "safehub.slavery.models.Outcome",
        "NrmSexEnum": "safehub.slavery.models.Sex",
        "SexEnum": "safehub.people.models.Sex",
        "RecommendationStatusEnum": "safehub.recommendations.models.Status",
        "RecommendationSourceKindEnum": "safehub.recommendations.models.SourceKind",
        "PracticeReviewDecisionEnum": "safehub.reviews.models.Decision",
        "PracticeReviewIncidentKindEnum": "safehub.reviews.models.IncidentKind",
        "LearningThemeEnum": "safehub.reviews.models.LearningTheme",
        "DisclosureDecisionEnum": "safehub.protection.models.Decision",
        "DisclosureStageEnum": "safehub.protection.models.DisclosureStage",
        "HearingOutcomeEnum": "safehub.protection.models.HearingOutcome",
        "CriminalJusticeOutcomeEnum": "safehub.protection.models.CjOutcome",
    },
}

LOG_LEVEL = env_str("SAFEHUB_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "safehub.core.logs.RequestContextFilter"},
        "redact": {"()": "safehub.core.logs.RedactQueryStringFilter"},
    },
    "formatters": {"json": {"()": "safehub.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["context", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

SAFEHUB_VERSION = "0.1.0"
SAFEHUB_SERVICE_NAME = "Safehub"
# Break-glass (emergency) access lasts this long before it must be asked for again.
BREAK_GLASS_MINUTES = env_int("SAFEHUB_BREAK_GLASS_MINUTES", 240)
