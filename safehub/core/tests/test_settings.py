"""Fail-closed settings: production refuses to start without its secrets, or with unsafe values."""

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks

PRODUCTION = {
    "SAFEHUB_ENV": "production",
    "SECRET_KEY": "a-long-random-secret-for-tests-only-0123456789abcdef",
    "ALLOWED_HOSTS": "safehub.example.org",
    "DATABASE_URL": "postgres://safehub@127.0.0.1:5432/safehub",
}


def run_check(env_changes: dict, *, drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEHUB_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"))
    }
    env.update(PRODUCTION)
    env.update(env_changes)
    for name in drop:
        env.pop(name, None)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='safehub.settings'; django.setup();"
        "from django.core.checks import run_checks;"
        "errs=[e.id for e in run_checks(include_deployment_checks=True, tags=['safehub']) if e.is_serious()];"
        "print(','.join(errs))"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = run_check({}, drop=(missing,))
    assert result.returncode != 0
    assert f"{missing}" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-secret-0123456789abcdefghijklmnop\n")
    result = run_check({"SECRET_KEY_FILE": str(secret)}, drop=("SECRET_KEY",))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_good_production_settings_pass():
    result = run_check({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    ("changes", "error_id"),
    [
        ({"DEBUG": "true"}, "safehub.E001"),
        ({"SAFEHUB_DEMO_LOGINS": "true"}, "safehub.E005"),
        ({"SAFEHUB_REQUIRE_TOTP": "false"}, "safehub.E006"),
        ({"SAFEHUB_SECURE_COOKIES": "false"}, "safehub.E007"),
        ({"ALLOWED_HOSTS": "*"}, "safehub.E003"),
    ],
)
def test_unsafe_production_values_are_refused(changes, error_id):
    result = run_check(changes)
    assert error_id in result.stdout.strip().split(",")


def test_malformed_boolean_is_refused():
    result = run_check({"DEBUG": "perhaps"})
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_wsgi_refuses_to_start_with_failing_checks():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEHUB_")}
    env.update(PRODUCTION, SAFEHUB_DEMO_LOGINS="true")
    result = subprocess.run(
        [sys.executable, "-c", "import safehub.wsgi"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "safehub.E005" in result.stderr


def test_dev_and_test_need_no_environment(settings):
    assert run_checks(include_deployment_checks=True, tags=["safehub"]) == []


def test_production_hashes_passwords_with_argon2():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEHUB_")}
    env.update(PRODUCTION)
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='safehub.settings';"
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0], settings.SESSION_COOKIE_AGE,"
        " settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "1800",
        "True",
        "31536000",
    ]
