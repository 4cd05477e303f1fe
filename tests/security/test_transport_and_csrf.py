"""Transport security and CSRF, proven on real responses (GitHub issue 11, "Prove it holds").

Production settings (SAFEHUB_ENV=production, read in a process of their own as `check --deploy`
reads them): the answer carries Strict-Transport-Security for at least a year (includeSubDomains
as configured), the session and CSRF cookies are Secure (and HttpOnly), plain HTTP is redirected
to HTTPS, and Django's own deployment checks find nothing to warn about.

CSRF: every page route (from the URL resolver, so a new page is walked the day it is added) is
opened on the small demo world by the personas whose work it is; every `<form method="post">` on
an answer of 200 must carry a `csrfmiddlewaretoken`. Then a few representative form actions are
posted without the token, with CSRF checks enforced as in production: 403, and nothing saved (no
row in any Safehub table, no audit event). With the token, the same post is not refused.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from safehub.core.models import AuditEvent, User
from tests.security.test_route_matrix import VALUES, _leeds_object, _model_for, _url, routes
from tests.security.worlds import load_world

ONE_YEAR = 365 * 24 * 60 * 60

# --- production transport settings ---------------------------------------------------------------

PRODUCTION = {
    "SAFEHUB_ENV": "production",
    "SECRET_KEY": "a-long-random-secret-for-tests-only-0123456789abcdef",
    "ALLOWED_HOSTS": "testserver",
}
# Run under production settings: the sign-in page over HTTP and HTTPS, and a response that starts
# a session. Static files are served unhashed (production's manifest is built at deploy time) and
# sessions are signed cookies (no database in this process): neither changes how cookies are
# flagged, which comes from SESSION_COOKIE_* and CSRF_COOKIE_* alone.
_PROBE = r"""
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "safehub.settings"
import django
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.checks import run_checks
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse

def cookie(morsel):
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}

storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
out = {"settings": {name: getattr(settings, name) for name in (
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME")}}
out["deploy_warnings"] = sorted(
    m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("security."))
with override_settings(STORAGES=storages):
    page = reverse("core:sign_in")
    plain = Client().get(page)
    out["http"] = {"status": plain.status_code, "location": plain.get("Location", "")}
    secure = Client().get(page, secure=True)
    out["https"] = {
        "status": secure.status_code,
        "hsts": secure.get("Strict-Transport-Security", ""),
        "cookies": {name: cookie(m) for name, m in secure.cookies.items()},
    }
with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    def view(request):
        request.session["signed_in"] = True
        return HttpResponse("ok")
    answer = SessionMiddleware(view)(RequestFactory().get("/", secure=True))
    out["session_cookie"] = cookie(answer.cookies[settings.SESSION_COOKIE_NAME])
print("PROBE " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict[str, Any]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEHUB_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"))
    }
    database = tmp_path_factory.mktemp("production") / "unused.sqlite3"
    env.update(PRODUCTION, DATABASE_URL=f"sqlite:///{database}")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE ")]
    assert result.returncode == 0 and lines, result.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("PROBE "))


def test_production_answers_carry_hsts_for_at_least_a_year(production):
    hsts = production["https"]["hsts"]
    assert production["https"]["status"] == 200
    found = re.search(r"max-age=(\d+)", hsts)
    assert found, f"no Strict-Transport-Security max-age in {hsts!r}"
    assert int(found.group(1)) >= ONE_YEAR, hsts
    assert production["settings"]["SECURE_HSTS_INCLUDE_SUBDOMAINS"], "includeSubDomains is off"
    assert "includeSubDomains" in hsts, hsts


def test_production_session_and_csrf_cookies_are_secure(production):
    csrf = production["https"]["cookies"].get(production["settings"]["CSRF_COOKIE_NAME"])
    assert csrf is not None, "the sign-in page set no CSRF cookie"
    assert csrf["secure"] and csrf["httponly"], csrf
    session = production["session_cookie"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax", session


def test_production_redirects_http_to_https(production):
    assert production["http"]["status"] == 301, production["http"]
    assert production["http"]["location"].startswith("https://testserver/"), production["http"]


def test_production_passes_djangos_own_deployment_security_checks(production):
    assert production["deploy_warnings"] == []


# --- CSRF on every form ----------------------------------------------------------------------------

# Who opens the pages under each first path segment: the personas whose work they are (the small
# demo world's logins). Pages under any other segment are opened by the MASH practitioner.
OPENERS: dict[str, tuple[str, ...]] = {
    "contacts": ("callhandler", "officer"),
    "referrals": ("mash", "school"),
    "meetings": ("idva",),
    "missing": ("missing", "socialcare"),
    "protection": ("officer", "idva"),
    "slavery": ("officer",),
    "reviews": ("partnership",),
    "recommendations": ("partnership",),
    "fund": ("partnership",),
    "activities": ("partnership", "analyst"),
    "analytics": ("analyst",),
    "reports": ("analyst",),
    "rules": ("admin",),
    "audit": ("auditor",),
    "retention": ("records",),
    "instruments": ("mash", "admin"),
}
CSRF_REFUSAL = "The form had expired or was sent from another site"  # safehub.core.views.csrf_failure
# Representative form actions posted without the token: the first form found under each of these.
REPRESENTATIVE = ("contacts", "referrals", "people", "missing", "fund", "meetings")


class _Forms(HTMLParser):
    """The POST forms of a page: (action, has a csrfmiddlewaretoken input, its value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "get").lower() == "post":
            self._open = {"action": values.get("action") or "", "token": None}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and values.get("name") == "csrfmiddlewaretoken":
            self._open["token"] = values.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _page_urls() -> list[tuple[str, str]]:
    """(first path segment, url) of every page route, with Leeds records in its arguments."""
    found = []
    for route in routes():
        if route.pattern.startswith("api/"):
            continue
        values: dict[str, Any] = {}
        for _, name in route.arguments:
            if name in VALUES:
                values[name] = VALUES[name]()
                continue
            label = _model_for(route.pattern, name)
            obj = _leeds_object(label) if label else None
            values[name] = obj.pk if obj is not None else uuid.uuid4()
        found.append((route.pattern.split("/", 1)[0], _url(route, values)))
    return found


def _rows() -> dict[str, int]:
    """Rows in every Safehub table, and the last audit event."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("safehub.")
    }
    counts["last audit event"] = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return counts


@pytest.fixture
def small_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    return load_world("small", write=io.StringIO().write)


@pytest.mark.django_db
def test_every_post_form_carries_a_csrf_token_and_posts_without_it_are_refused(small_world):
    clients: dict[str, Client] = {"anonymous": Client()}
    problems: list[str] = []
    forms_seen: list[tuple[str, str, str, str]] = []  # (segment, persona, page, action)
    for segment, url in _page_urls():
        openers = ("anonymous",) if segment == "sign-in" else OPENERS.get(segment, ("mash",))
        for persona in openers:
            if persona not in clients:
                clients[persona] = Client()
                clients[persona].force_login(User.objects.get(username=persona))
            response = clients[persona].get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for form in post_forms(response.content.decode("utf-8", "replace")):
                if not form["token"]:
                    problems.append(
                        f"{persona} GET {url}: a POST form to {form['action'] or url} has no token"
                    )
                forms_seen.append((segment, persona, url, form["action"] or url))
    pages = {page for _, _, page, _ in forms_seen}
    print(f"{len(forms_seen)} POST forms on {len(pages)} pages, each with a token")  # noqa: T201
    assert len(pages) > 50, "too few pages with forms: is the walk broken?"
    assert not problems, f"{len(problems)} form(s) without a CSRF token:\n" + "\n".join(problems)

    chosen = []
    for wanted in REPRESENTATIVE:
        found = next((f for f in forms_seen if f[0] == wanted and "sign-out" not in f[3]), None)
        assert found is not None, f"no POST form found under {wanted}/"
        chosen.append(found)
    for _segment, persona, _page, action in chosen:
        client = Client(enforce_csrf_checks=True)
        client.force_login(User.objects.get(username=persona))
        before = _rows()
        refused = client.post(action, {"confirm": "yes"})
        assert refused.status_code == 403, f"{persona} POST {action} without a token: {refused.status_code}"
        assert CSRF_REFUSAL in refused.content.decode(), f"{persona} POST {action}: refused, but not by CSRF"
        print(f"refused without a token: {persona} POST {action}")  # noqa: T201 - shown with -s
        after = _rows()
        changed = {k: (v, after[k]) for k, v in before.items() if after[k] != v}
        assert not changed, f"{persona} POST {action} without a token saved something: {changed}"
    # A control: the same post with the page's token is not refused by the CSRF check.
    _segment, persona, page, action = chosen[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=persona))
    token = next(f["token"] for f in post_forms(client.get(page).content.decode()) if f["token"])
    accepted = client.post(action, {"csrfmiddlewaretoken": token})
    assert accepted.status_code != 403, f"{persona} POST {action} with its token: 403"
