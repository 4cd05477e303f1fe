"""Fail-closed settings, as registered system checks (run by `check --deploy` and at WSGI start)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PRODUCTION_LIKE = ("staging", "production")


@register(Tags.security, "safehub", deploy=True)
def production_settings(app_configs, **kwargs):
    if settings.SAFEHUB_ENV not in PRODUCTION_LIKE:
        return []
    errors = []
    if settings.DEBUG:
        errors.append(Error("DEBUG is on outside dev and test", hint="Unset DEBUG", id="safehub.E001"))
    if not settings.SECRET_KEY or settings.SECRET_KEY.startswith("dev-only"):
        errors.append(Error("SECRET_KEY is missing or the dev key", id="safehub.E002"))
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        errors.append(Error("ALLOWED_HOSTS is empty or a wildcard", id="safehub.E003"))
    if not settings.DATABASE_URL:
        errors.append(Error("DATABASE_URL is not set", id="safehub.E004"))
    if settings.DEMO_LOGINS_ENABLED:
        errors.append(Error("Demo logins are enabled", hint="Unset SAFEHUB_DEMO_LOGINS", id="safehub.E005"))
    if settings.SAFEHUB_ENV == "production" and not settings.REQUIRE_TOTP:
        errors.append(Error("TOTP second factor is not required in production", id="safehub.E006"))
    if not settings.SESSION_COOKIE_SECURE or not settings.CSRF_COOKIE_SECURE:
        errors.append(Error("Session and CSRF cookies must be secure", id="safehub.E007"))
    return errors
