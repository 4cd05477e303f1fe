"""Structured logs without personal data; security headers on every response."""

import json
import logging
from datetime import UTC, datetime, timedelta

import time_machine

from safehub.core.logs import JsonFormatter, RedactQueryStringFilter, RequestContextFilter


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.addFilter(RequestContextFilter())
        self.addFilter(RedactQueryStringFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record):
        self.lines.append(self.format(record))


def test_request_log_is_json_with_request_id_and_no_query_string(api_as, owner):
    handler = ListHandler()
    logger = logging.getLogger("safehub.request")
    logger.addHandler(handler)
    try:
        response = api_as(owner).get("/api/v1/people/?q=Testperson")
    finally:
        logger.removeHandler(handler)
    line = handler.lines[-1]
    payload = json.loads(line)
    assert payload["path"] == "/api/v1/people/"
    assert payload["request_id"] == response["X-Request-ID"]
    assert payload["user_id"] == str(owner.pk)
    assert "Testperson" not in line


def _through_filters(record):
    for log_filter in (RequestContextFilter(), RedactQueryStringFilter()):
        log_filter.filter(record)
    return record


def test_query_strings_are_redacted_from_any_message():
    record = logging.LogRecord(
        "django.server", logging.INFO, "x", 1, '"GET %s HTTP/1.1" 200', ("/people/?q=Smith",), None
    )
    _through_filters(record)
    assert "Smith" not in record.getMessage() and "?[redacted]" in record.getMessage()


def test_malformed_request_id_header_is_replaced(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
    good = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")
    assert good["X-Request-ID"] == "abc-123-def-456"


def test_security_headers(client, owner):
    client.force_login(owner)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self' 'nonce-" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    )
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_renewed_and_http_only(client, owner, password, settings):
    response = client.post("/sign-in/", {"username": "owner", "password": password})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_RENEW_SECONDS == 60


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_view_renews_the_idle_timeout_at_most_once_a_minute(client, owner):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(owner)
        client.get("/")
        first = _expiry(client)
        assert first == start + timedelta(minutes=30)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/")
        assert _expiry(client) == first  # within the minute: no write
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/")
        assert _expiry(client) == start + timedelta(seconds=61) + timedelta(minutes=30)


def test_idle_for_the_timeout_signs_you_out(client, owner):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(owner)
        client.get("/")
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=49), tick=False):
        assert client.get("/").status_code == 200  # renewed at minute 20
    with time_machine.travel(start + timedelta(minutes=80), tick=False):
        response = client.get("/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
