"""Every route against every kind of persona, on the small demo world.

Routes come from the URL resolver (pages and the API alike), so a new page or endpoint is in this
test the day it is added. Each URL argument must be declared in OBJECTS or VALUES below: a route
whose argument is not declared fails, naming it, so nobody can add a route without saying what it
opens. For each route, with a Leeds record in its arguments:

- anonymous: never a 200 (except the PUBLIC pages) and never a 500;
- outsider (Bradford children's social care): a route that opens a Leeds person-level record
  answers 403 or 404, never 200;
- analyst, commissioner (aggregate roles) and auditor: a route that opens a person-level record
  answers 403 or 404;
- MASH practitioner (district-wide in Leeds): a forged id answers 404, never a 500;
- every persona: no response body names a person the persona may not see (the full names of people
  out of its reach are looked for in every body: aggregate roles may see nobody; others the people
  on records they may see or that are addressed to their agency), and no response is a 500.
"""

from __future__ import annotations

import html
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safehub.core.models import AuditEvent, User
from safehub.people import holdings
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

LEEDS = "leeds"
# Pages anyone may open without signing in.
PUBLIC = {
    "sign-in/",
    "healthz",
    "readyz",
    "api/v1/auth/token/",
    "api/v1/schema/",
    "sign-in/two-factor/",
}
# (route pattern, argument) -> model label, for arguments that name a record. The first matching
# pattern wins; "" matches any route.
OBJECTS: list[tuple[str, str, str]] = [
    ("", "person_id", "people.Person"),
    ("", "contact_id", "contacts.Contact"),
    ("", "referral_id", "referrals.Referral"),
    ("", "request_id", "referrals.InformationRequest"),
    ("", "ppn_id", "contacts.PublicProtectionNotice"),
    ("", "assessment_id", "instruments.Assessment"),
    ("", "episode_id", "missing.MissingEpisode"),
    ("", "interview_id", "missing.ReturnInterview"),
    ("", "profile_id", "missing.ProtocolProfile"),
    ("", "plan_id", "missing.ProblemPlan"),
    ("missing", "action_id", "missing.PlanAction"),
    ("", "action_id", "meetings.Action"),
    ("", "meeting_id", "meetings.Meeting"),
    ("", "series_id", "meetings.MeetingSeries"),
    ("scrutiny", "case_id", "protection.ScrutinyCase"),
    ("", "case_id", "meetings.MeetingCase"),
    ("", "order_id", "protection.ProtectionOrder"),
    ("fund", "application_id", "fund.FundApplication"),
    ("", "application_id", "protection.DisclosureApplication"),
    ("", "deployment_id", "protection.IdvaDeployment"),
    ("", "sample_id", "protection.ScrutinySample"),
    ("", "at_risk_id", "people.Person"),
    ("", "subject_id", "people.Person"),
    ("retention", "review_id", "retention.RetentionReview"),
    ("linkage", "review_id", "linkage.MatchReview"),
    ("", "extract_id", "linkage.PartnerExtract"),
    ("", "merge_id", "linkage.Merge"),
    ("reviews", "review_id", "reviews.PracticeReview"),
    ("", "recommendation_id", "recommendations.Recommendation"),
    ("", "nrm_referral_id", "slavery.NrmReferral"),
    ("fund", "round_id", "fund.FundRound"),
    ("", "award_id", "fund.FundAward"),
    ("", "notification_id", "core.Notification"),
    ("", "grant_id", "core.BreakGlass"),
    ("", "activity_id", "activities.Activity"),
]
# Arguments that are not records: a fixed value each.
VALUES: dict[str, Callable[[], Any]] = {
    "ruleset_id": lambda: "marac",
    "instrument_id": lambda: "dash",
    "version": lambda: 1,
    "kind": lambda: "identifier",
    "index": lambda: 0,
    "direction": lambda: "up",
    "chart_id": lambda: "contacts-demand-by-district",
    "metric_id": lambda: "contacts.demand",
}
# Routes that only a browser's form posts reach, or that stream files: GET is still checked.
PERSONAS = ("anonymous", "outsider", "analyst", "commissioner", "auditor", "mash")
AGGREGATE = {"analyst", "commissioner", "auditor"}
READS = ("read", "listed")  # an export (a PDF) is recorded besides the read


@dataclass
class Route:
    pattern: str
    arguments: list[tuple[str, str]]  # (converter, name)


def _walk(patterns, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes() -> list[Route]:
    found = []
    for pattern in _walk(get_resolver().url_patterns):
        if pattern.startswith(("admin/", "static/", "^")):
            continue
        arguments = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
        found.append(Route(pattern, [(conv or "str", name) for conv, name in arguments]))
    return found


def _model_for(pattern: str, name: str) -> str | None:
    for where, argument, label in OBJECTS:
        if argument == name and (not where or re.search(where, pattern)):
            return label
    return None


def _leeds_object(label: str):
    model = apps.get_model(label)
    manager = model._base_manager
    path = getattr(model, "scope_path", None)
    if path is not None:
        found = manager.filter(**{f"{path}district__code": LEEDS}).order_by("pk").first()
        if found is not None:
            return found
    for field in ("district", "series__district"):
        try:
            found = manager.filter(**{f"{field}__code": LEEDS}).order_by("pk").first()
        except Exception:  # noqa: S112 - the model has no such path; try the next
            continue
        if found is not None:
            return found
    return manager.order_by("pk").first()


def _url(route: Route, values: dict[str, Any]) -> str:
    url = route.pattern
    for converter, name in route.arguments:
        url = re.sub(rf"<(?:{converter}:)?{name}>", str(values[name]), url, count=1)
    return "/" + url


def _names(people) -> set[str]:
    return {f"{p.given_name} {p.family_name}" for p in people if p.given_name and p.family_name}


def _shown_names(people) -> set[str]:
    """Every pair of adjacent words in the full names (middle names too) of people a persona may
    see: "Kim Marilyn Smith" on a page is not a sighting of a hidden "Marilyn Smith"."""
    shown: set[str] = set()
    for p in people:
        shown |= _bigrams(" ".join(part for part in (p.given_name, p.middle_names, p.family_name) if part))
    return shown


def _reachable(user) -> set[Any]:
    """People whose names `user` may see: their own visible files, and the people on any record
    the user may see (a contact's people, an interview's child) or that is addressed to the user's
    agency (an information request's subject)."""
    ids = set(Person.objects.visible_to(user).values_list("pk", flat=True))
    for model, link in holdings.linking_models():
        if hasattr(model.objects, "visible_to"):
            ids.update(model.objects.visible_to(user).values_list(link.attname, flat=True))
        if any(f.name == "to_agency" for f in model._meta.concrete_fields):
            ids.update(
                model._base_manager.filter(to_agency=user.agency_id).values_list(link.attname, flat=True)
            )
    return ids


def _ids_of(names: set[str]) -> list[Any]:
    """The ids of people with these full names (to say who leaked without printing a name)."""
    return [
        p.pk
        for p in Person._base_manager.only("given_name", "family_name")
        if f"{p.given_name} {p.family_name}" in names
    ]


def _bigrams(body: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'\-]+", body)
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    call_command("demo", "--no-serve", "--size", "small", stdout=io.StringIO())


def test_every_route_argument_is_declared():
    undeclared = sorted(
        {
            f"{route.pattern} <{name}>"
            for route in routes()
            for _, name in route.arguments
            if name not in VALUES and _model_for(route.pattern, name) is None
        }
    )
    assert not undeclared, "Declare what these route arguments open (OBJECTS or VALUES):\n" + "\n".join(
        undeclared
    )


def test_every_route_for_every_persona(world):
    users = {name: User.objects.get(username=name) for name in PERSONAS if name != "anonymous"}
    # Staff names appear on pages legitimately (who recorded what, who is signed in): a person who
    # happens to share a name with a member of staff is not looked for.
    staff = {f"{u.first_name} {u.last_name}" for u in User.objects.all()}
    all_names = _names(Person._base_manager.all()) - staff
    hidden = {
        persona: all_names
        if persona in AGGREGATE
        else all_names - _shown_names(Person._base_manager.filter(pk__in=_reachable(user)))
        for persona, user in users.items()
    }
    clients = {"anonymous": Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    problems: list[str] = []
    checked = 0
    for route in routes():
        values: dict[str, Any] = {}
        person_level = False
        opened: list[Any] = []
        for _, name in route.arguments:
            if name in VALUES:
                values[name] = VALUES[name]()
                continue
            label = _model_for(route.pattern, name)
            obj = _leeds_object(label) if label else None
            if obj is None:
                values[name] = uuid.uuid4()
                continue
            values[name] = obj.pk
            if hasattr(type(obj).objects, "visible_to"):
                person_level = True
                opened.append(obj)
        url = _url(route, values)
        for persona in PERSONAS:
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = clients[persona].get(url)
            checked += 1
            status = response.status_code
            if persona == "mash" and status == 200:
                for obj in opened:
                    reads = AuditEvent.objects.filter(
                        id__gt=before, actor=users["mash"], object_id=str(obj.pk), action__in=READS
                    ).count()
                    if reads != 1:
                        problems.append(f"mash GET {url}: {reads} audit events for reading {obj._meta.label}")
            if status >= 500:
                problems.append(f"{persona} GET {url}: {status}")
                continue
            if persona == "anonymous":
                if status == 200 and route.pattern not in PUBLIC:
                    problems.append(f"anonymous GET {url}: 200 (should sign in first)")
                continue
            if person_level and persona != "mash" and status not in (403, 404, 405):
                problems.append(
                    f"{persona} GET {url}: {status} (a Leeds person-level record: expected 403/404)"
                )
            body = b"".join(response) if response.streaming else response.content
            if response.get("Content-Type", "").startswith(("text/", "application/json")):
                leaked = _bigrams(html.unescape(body.decode("utf-8", "replace"))) & hidden[persona]
                if leaked:
                    problems.append(
                        f"{persona} GET {url}: shows {len(leaked)} person(s) out of its scope "
                        f"(ids {sorted(str(i) for i in _ids_of(leaked))[:3]})"
                    )
        if route.arguments and any(_model_for(route.pattern, n) for _, n in route.arguments):
            forged = {
                name: (uuid.uuid4() if converter == "uuid" else values[name])
                for converter, name in route.arguments
            }
            status = clients["mash"].get(_url(route, forged)).status_code
            if status >= 500 or status == 200 and forged != values:
                problems.append(f"mash GET {_url(route, forged)} (forged id): {status}")
    assert checked > 500
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
