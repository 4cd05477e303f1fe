"""Core pages: sign-in, lockout, second factor, health, home, clocks, audit pages."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.core.access import break_glass_open
from safehub.core.models import AuditEvent, BreakGlass


def test_sign_in_with_correct_password(client, owner, password):
    response = client.post(reverse("core:sign_in"), {"username": "owner", "password": password})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="sign_in", actor=owner).exists()


def test_wrong_password_shows_error_summary(client, owner):
    response = client.post(reverse("core:sign_in"), {"username": "owner", "password": "nope"})
    assert "Enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account(client, owner, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:sign_in"), {"username": "owner", "password": "nope"})
    response = client.post(reverse("core:sign_in"), {"username": "owner", "password": password})
    assert response.status_code == 429
    assert "locked" in response.content.decode()


def test_pages_need_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:sign_in"))


def test_sign_out_is_post_only(client, owner):
    client.force_login(owner)
    assert client.get(reverse("core:sign_out")).status_code == 405
    assert client.post(reverse("core:sign_out")).status_code == 302


def test_healthz_and_readyz(client, db):
    assert client.get("/healthz").json() == {"status": "alive"}
    assert client.get("/readyz").json()["status"] == "ready"


def test_readyz_says_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import OperationalError

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("safehub.core.views.connection", Unreachable())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "not answering"}


def test_pages_say_503_when_the_database_does_not_answer(client, owner, monkeypatch):
    from django.db import OperationalError

    client.force_login(owner)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server failed")

    monkeypatch.setattr("safehub.core.views.presenters.home_context", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


@pytest.mark.parametrize("persona", ["owner", "analyst", "commissioner", "auditor"])
def test_home_and_clocks_for_every_role(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("core:home")).status_code == 200
    body = client.get(reverse("core:clocks")).content.decode()
    assert "dvpo-hearing" in body and "Crime and Security Act 2010" in body


@pytest.mark.parametrize(("persona", "expected"), [("auditor", 200), ("owner", 403), ("analyst", 403)])
def test_audit_page_is_for_auditors(request, client, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("core:audit_search")).status_code == expected
    assert client.get(reverse("core:break_glass_reviews")).status_code == expected


def test_audit_search_by_record(client, auditor, owner, person):
    from safehub.core.access import load_for
    from safehub.people.models import Person

    load_for(owner, Person, person.pk)
    client.force_login(auditor)
    body = client.get(reverse("core:audit_search"), {"object_id": str(person.pk)}).content.decode()
    assert "owner" in body and str(person.pk) in body


def test_audit_search_with_a_bad_date_shows_the_error(client, auditor):
    client.force_login(auditor)
    body = client.get(reverse("core:audit_search"), {"date_from": "31/02/2026"}).content.decode()
    assert "Enter the from date as DD/MM/YYYY" in body


def test_auditor_reviews_break_glass(client, auditor, outsider, person):
    grant = break_glass_open(
        user=outsider, obj=person, reason="Immediate risk: child missing from care tonight"
    )
    client.force_login(auditor)
    assert "Immediate risk" in client.get(reverse("core:break_glass_reviews")).content.decode()
    url = reverse("core:break_glass_review", args=[grant.pk])
    response = client.post(url, {"outcome": "not_justified", "note": ""})
    assert "Enter why the emergency access was not justified" in response.content.decode()
    client.post(url, {"outcome": "justified", "note": "Missing child, verified with duty inspector"})
    grant.refresh_from_db()
    assert grant.review == "justified" and grant.reviewed_by == auditor
    assert AuditEvent.objects.filter(action="break_glass_review", person_id=person.pk).exists()


def test_review_of_unknown_grant_is_404(client, auditor, db):
    client.force_login(auditor)
    assert client.get("/audit/emergency-access/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert not BreakGlass.objects.exists()


class TestSecondFactor:
    @pytest.fixture(autouse=True)
    def _require(self, settings):
        settings.REQUIRE_TOTP = True

    def test_signed_in_user_without_device_must_enrol(self, client, owner):
        client.force_login(owner)
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response.url == reverse("core:two_factor")
        body = client.get(reverse("core:two_factor")).content.decode()
        assert "Set up your authenticator app" in body and "<svg" in body

    def test_correct_code_confirms_the_device_and_lets_the_user_in(self, client, owner):
        client.force_login(owner)
        client.get(reverse("core:two_factor"))
        device = TOTPDevice.objects.get(user=owner)
        code = f"{totp(device.bin_key):06d}"
        assert client.post(reverse("core:two_factor"), {"token": code}).status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(reverse("core:home")).status_code == 200

    def test_wrong_code_is_refused(self, client, owner):
        client.force_login(owner)
        client.get(reverse("core:two_factor"))
        body = client.post(reverse("core:two_factor"), {"token": "000000"}).content.decode()
        assert "The code is not right" in body
        assert client.get(reverse("core:home")).status_code == 302

    def test_api_token_needs_the_code(self, api_client, owner, password):
        device = TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "owner", "password": password}, format="json"
        )
        assert response.status_code == 400 and "otp_token" in response.json()
        code = f"{totp(device.bin_key):06d}"
        response = api_client.post(
            "/api/v1/auth/token/",
            {"username": "owner", "password": password, "otp_token": code},
            format="json",
        )
        assert response.status_code == 200 and response.json()["token"]


def test_csrf_failure_is_a_govuk_page(owner, password):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:sign_in"), {"username": "owner", "password": password})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
    assert "govuk-template" in response.content.decode()
