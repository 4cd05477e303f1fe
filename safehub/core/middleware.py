"""Request id, payload limit, session renewal, second factor, database outage and request logging."""

from __future__ import annotations

import logging
import re
import time
import uuid

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from safehub.core.context import method_var, request_id_var, user_id_var, via_var

logger = logging.getLogger("safehub.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed X-Request-ID) for logs and audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        tokens = [
            request_id_var.set(request.id),
            via_var.set("api" if _is_api(request) else "web"),
            user_id_var.set(""),
            method_var.set(request.method or ""),
        ]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            via_var.reset(tokens[1])
            user_id_var.reset(tokens[2])
            method_var.reset(tokens[3])
        response["X-Request-ID"] = request.id
        return response


class PayloadLimitMiddleware:
    """Refuse bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with 413 and a clear message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and length > limit:
            message = f"The request is too large: {length} bytes, the limit is {limit} bytes"
            if _is_api(request):
                return JsonResponse({"detail": message, "code": "payload_too_large"}, status=413)
            return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Renew a signed-in session's idle timeout at most once a minute, not on every request.

    Listed after SessionMiddleware. Each renewal is a database write and a commit; renewing on a
    page view only when the last renewal is SESSION_RENEW_SECONDS old keeps the idle timeout
    (SESSION_COOKIE_AGE, 30 minutes) to within that minute and spares a write on almost every page.
    A view marked as not activity (the notification poll) sets `request.session_not_activity`.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or getattr(request, "session_not_activity", False) or session.is_empty():
            return response
        now = int(time.time())
        if now - int(session.get(self.KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
            session[self.KEY] = now  # marks it modified: SessionMiddleware saves it, expiry renewed
        return response


class SecondFactorMiddleware:
    """Where TOTP is required, a signed-in user must verify a second factor before anything else."""

    EXEMPT_PREFIXES = ("/sign-in/", "/sign-out/", "/two-factor/", "/static/", "/healthz", "/readyz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
            if (
                settings.REQUIRE_TOTP
                and not user.is_verified()
                and not request.path.startswith(self.EXEMPT_PREFIXES)
            ):
                return redirect(reverse("core:two_factor"))
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database does not answer, say so with a 503 instead of a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(request, exception)


def is_database_unavailable(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


def database_unavailable_response(request, exception):
    """The 503 for a database that does not answer, or None for any other exception.

    Used by the middleware for views and by the 500 handler for everything before them (the
    session and the signed-in user are loaded in middleware, before any view runs).
    """
    if not is_database_unavailable(exception):
        return None
    logger.error("database unavailable", extra={"path": request.path, "status": 503})
    if _is_api(request):
        return JsonResponse({"detail": "The database is not answering; try again shortly"}, status=503)
    return HttpResponse(render_to_string("503.html"), status=503)


class AdminStyleMiddleware:
    """Django's admin sets inline style attributes: allow inline styles (never scripts) there only.

    Listed after CSPMiddleware, so it marks the response before the policy header is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response


class RequestLogMiddleware:
    """One JSON line per request: method, path (no query string), status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here after token authentication
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
        if not request.path.startswith("/static/"):
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
