"""Audit completeness for writes: every person-level write in the API leaves exactly one create or
update audit event, by the person who made it, on the record it made or changed.

The write operations come from the OpenAPI schema (every POST and PATCH), so a new one is noticed:
an operation that is in none of WRITES, NOT_PERSON_LEVEL or PENDING fails the first test, which
says to add it. Reads are covered by the route matrix (exactly one read event per person-level
page and API read).

WRITES is a table: (operation, persona, how to build the call from the world and what earlier rows
made). The rows run in order on the small demo world, so a later row can use a record an earlier
one made (the referral made by the school is triaged, assigned and decided by the MASH). For
each: the answer is 2xx, and among the audit events written during the call exactly one is a
create/update of the record the call names (the id in the answer, or else the one in the path) and
its actor is the caller; no create/update event in the call names another actor.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from safehub.contacts.tests.factories import thrive
from safehub.core.models import AuditEvent, User
from safehub.instruments.tests.helpers import dash_answers
from safehub.people.tests.factories import synthetic_nhs_number
from tests.security import fuzzing
from tests.security.test_route_matrix import _leeds_object
from tests.security.worlds import load_world

pytestmark = pytest.mark.django_db

WRITE_ACTIONS = ("create", "update")


def _now(**delta) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


def _today(days: int = 0) -> str:
    return str(timezone.localdate() + timedelta(days=days))


def _leeds(label: str) -> Any:
    found = _leeds_object(label)
    assert found is not None, f"the small demo world has no Leeds {label}"
    return found


@dataclass
class Write:
    operation: str  # "POST /api/v1/referrals/{referral_id}/triage/"
    persona: str
    build: Callable[[dict], tuple[dict, dict]]  # state -> (path arguments, body)
    keep: str = ""  # remember the answer's id in state under this name
    # The record the audit event must name, when it is not the one the answer or path names (a
    # decision is a record of its own; a request for information is a `share` of the referral).
    audited: str = ""  # object_type, e.g. "referrals.decision"
    actions: tuple[str, ...] = ("create", "update")


def _person(state) -> str:
    return state.setdefault("person", str(_leeds("people.Person").pk))


def _contact_person(state) -> str:
    """The (police-owned) person the contact made: one the police personas can see."""
    from safehub.contacts.models import ContactPerson

    return str(ContactPerson._base_manager.filter(contact_id=state["contact"]).first().person_id)


def _marac_series() -> str:
    from safehub.meetings.models import MeetingSeries

    return str(MeetingSeries.objects.filter(coordinators__username="idva").order_by("pk").first().pk)


def _idva_person() -> str:
    from safehub.people.models import Person

    idva = User.objects.get(username="idva")
    return str(Person.objects.visible_to(idva).order_by("pk").first().pk)


def _accepted(state, key: str) -> str:
    """Publish the agenda and accept the meeting's confidentiality statement as `idva` (before the
    call: steps of their own, with their own audit events), then hand back state[key]."""
    from safehub.meetings import services
    from safehub.meetings.models import Meeting

    idva, meeting = User.objects.get(username="idva"), Meeting.objects.get(pk=state["meeting"])
    if not state.get("agenda_published"):
        services.agenda_publish(actor=idva, meeting=meeting)
        state["agenda_published"] = True
    services.confidentiality_accept(actor=idva, meeting=meeting)
    return state[key]


def _interview(state) -> str:
    """The return home interview that finding the child made."""
    from safehub.missing.models import ReturnInterview

    return str(ReturnInterview._base_manager.get(episode_id=state["episode"]).pk)


def _referral_body(state):
    return {}, {
        "district": "leeds",
        "categories": ["neglect"],
        "what_happened": "Arrives hungry most days (synthetic, audit test)",
        "consent_status": "not_sought",
        "consent_note": "Asking would place the child at risk",
        "lawful_basis": "gdpr_6_1_e",
        "child_seen": "yes",
        "seen_alone": "yes",
        "subjects": [
            {"new_person": {"given_name": "Audra", "family_name": "Writecheck", "district": "leeds"}}
        ],
    }


def _version(state, key="referral") -> int:
    from safehub.referrals.models import Referral

    return Referral.objects.get(pk=state[key]).version


WRITES: list[Write] = [
    # people
    Write(
        "POST /api/v1/people/",
        "mash",
        lambda s: (
            {},
            {
                "given_name": "Wren",
                "family_name": "Auditwrite",
                "date_of_birth": "2014-02-03",
                "district": "leeds",
                "identifiers": [{"kind": "nhs_number", "value": synthetic_nhs_number(8123)}],
            },
        ),
        keep="new_person",
    ),
    Write(
        "PATCH /api/v1/people/{person_id}/",
        "mash",
        lambda s: ({"person_id": _person(s)}, {"first_language": "Polish"}),
    ),
    # contacts
    Write(
        "POST /api/v1/contacts/",
        "callhandler",
        lambda s: (
            {},
            {
                "district": "leeds",
                "received_at": _now(minutes=20),
                "channel": "101",
                "category": "domestic",
                "postcode": "LS6 1AA",
                "narrative": "Caller reports an argument next door (synthetic, audit test).",
                "people": [
                    {
                        "new_person": {
                            "given_name": "Vic",
                            "family_name": "Auditcontact",
                            "district": "leeds",
                        },
                        "role": "victim",
                    }
                ],
            },
        ),
        keep="contact",
    ),
    Write(
        "POST /api/v1/contacts/{contact_id}/thrive/",
        "callhandler",
        lambda s: ({"contact_id": s["contact"]}, thrive()),
    ),
    Write(
        "POST /api/v1/contacts/{contact_id}/arrival/",
        "officer",
        lambda s: ({"contact_id": s["contact"]}, {"arrived_at": _now(minutes=5)}),
    ),
    Write(
        "POST /api/v1/contacts/{contact_id}/people/",
        "callhandler",
        lambda s: (
            {"contact_id": s["contact"]},
            {
                "new_person": {"given_name": "Wit", "family_name": "Auditness", "district": "leeds"},
                "role": "witness",
            },
        ),
        audited="contacts.contactperson",  # and a create of the new person, a record of its own
    ),
    Write(
        "POST /api/v1/contacts/{contact_id}/ppns/",
        "officer",
        lambda s: (
            {"contact_id": s["contact"]},
            {
                "person": _contact_person(s),
                "concern_type": "domestic_abuse",
                "rag": "amber",
                "summary": "Audit",
            },
        ),
    ),
    # instruments
    Write(
        "POST /api/v1/assessments/",
        "mash",
        lambda s: ({}, {"person": s["new_person"], "instrument": "dash", "answers": dash_answers(15)}),
    ),
    # referrals: the school refers, the MASH works it
    Write("POST /api/v1/referrals/", "school", _referral_body, keep="referral"),
    Write(
        "POST /api/v1/referrals/{referral_id}/triage/",
        "mash",
        lambda s: (
            {"referral_id": s["referral"]},
            {"version": _version(s), "rag": "amber", "reason": "Audit"},
        ),
    ),
    Write(
        "POST /api/v1/referrals/{referral_id}/assign/",
        "mashmanager",
        lambda s: ({"referral_id": s["referral"]}, {"version": _version(s), "assignee": "mash"}),
    ),
    Write(
        "POST /api/v1/information-requests/",
        "mash",
        lambda s: (
            {},
            {
                "referral": s["referral"],
                "to_agency": _agency_code("school"),
                "question": "Attendance this term?",
                "purpose": "MASH enquiry",
                "lawful_basis": "gdpr_6_1_e",
                "due_at": (timezone.now() + timedelta(days=1)).isoformat(),
            },
        ),
        keep="request",
        audited="referrals.referral",
        actions=("share",),
    ),
    Write(
        "POST /api/v1/information-requests/{request_id}/respond/",
        "school",
        lambda s: ({"request_id": s["request"]}, {"answer": "Attendance 92% (synthetic)"}),
    ),
    Write(
        "POST /api/v1/referrals/{referral_id}/decision/",
        "mash",
        lambda s: (
            {"referral_id": s["referral"]},
            {"version": _version(s), "outcome": "s47_strategy", "rationale": "Audit decision"},
        ),
        audited="referrals.decision",
    ),
    Write(
        "POST /api/v1/referrals/{referral_id}/approve/",
        "mashmanager",
        lambda s: ({"referral_id": s["referral"]}, {"version": _version(s), "approve": True}),
        audited="referrals.decision",
    ),
    # meetings: the IDVA service coordinates Leeds MARAC
    Write(
        "POST /api/v1/meetings/",
        "idva",
        lambda s: ({}, {"series": _marac_series(), "starts_at": _now(days=-9)}),
        keep="meeting",
    ),
    Write(
        "POST /api/v1/meetings/{meeting_id}/cases/",
        "idva",
        lambda s: (
            {"meeting_id": s["meeting"]},
            {"person": _idva_person(), "manual_reason": "High risk (audit)"},
        ),
        keep="case",
    ),
    Write(
        "PATCH /api/v1/meeting-cases/{case_id}/",
        "idva",
        lambda s: (
            {"case_id": _accepted(s, "case")},
            {"minutes": "Discussed; actions agreed (synthetic)"},
        ),
    ),
    Write(
        "POST /api/v1/actions/",
        "idva",
        lambda s: (
            {},
            {
                "case": s["case"],
                "description": "Safety planning visit",
                "owner_agency": _agency_code("idva"),
                "owner": "idva",
                "due_on": _today(14),
            },
        ),
        keep="action",
    ),
    Write(
        "PATCH /api/v1/actions/{action_id}/",
        "idva",
        lambda s: ({"action_id": s["action"]}, {"status": "open", "update": "Visit booked"}),
    ),
    # missing
    Write(
        "POST /api/v1/missing-episodes/",
        "missing",
        lambda s: (
            {},
            {
                "person": _contact_person(s),
                "district": "leeds",
                "reported_by_name": "Ward sister",
                "last_seen_at": _now(hours=3),
                "reported_at": _now(hours=1),
                "last_seen_place": "Ward 12",
                "missing_from": "hospital",
                "risk_level": "low",
                "risk_rationale": "Walked out; no stated risk",
            },
        ),
        keep="episode",
    ),
    Write(
        "POST /api/v1/missing-episodes/{episode_id}/regrade/",
        "missing",
        lambda s: ({"episode_id": s["episode"]}, {"level": "medium", "rationale": "Not answering phone"}),
    ),
    Write(
        "POST /api/v1/missing-episodes/{episode_id}/actions/",
        "missing",
        lambda s: ({"episode_id": s["episode"]}, {"description": "Checked the hospital grounds"}),
    ),
    Write(
        "POST /api/v1/missing-episodes/{episode_id}/found/",
        "missing",
        lambda s: (
            {"episode_id": s["episode"]},
            {
                "found_at": _now(minutes=30),
                "found_place": "Bus station",
                "found_by": "police",
                "condition_on_return": ["safe_and_well"],
            },
        ),
    ),
    Write(
        "PATCH /api/v1/return-interviews/{interview_id}/",
        "socialcare",  # the local authority holds the interview
        lambda s: ({"interview_id": _interview(s)}, {"notes": "Arranged for tomorrow (synthetic)"}),
    ),
    Write(
        "POST /api/v1/protocol-profiles/",
        "missing",
        lambda s: (
            {},
            {"person": _contact_person(s), "kind": "philomena", "description": "Tall, short dark hair"},
        ),
    ),
    Write(
        "POST /api/v1/missing-plans/",
        "missing",
        lambda s: ({}, {"person": _contact_person(s), "owner": "missing", "review_date": _today(14)}),
        keep="plan",
    ),
    Write(
        "PATCH /api/v1/missing-plans/{plan_id}/",
        "missing",
        lambda s: ({"plan_id": s["plan"]}, {"scan": "Goes missing from hospital (synthetic)"}),
    ),
    Write(
        "POST /api/v1/missing-plans/{plan_id}/actions/",
        "missing",
        lambda s: (
            {"plan_id": s["plan"]},
            {"stage": "respond", "description": "Safety plan with the ward", "owner": "missing",
             "review_date": _today(7)},
        ),
        keep="plan_action",
    ),
    Write(
        "PATCH /api/v1/missing-plan-actions/{action_id}/",
        "missing",
        lambda s: ({"action_id": s["plan_action"]}, {"description": "Safety plan with the ward and family"}),
    ),
    Write(
        "POST /api/v1/missing-plans/{plan_id}/reviews/",
        "missing",
        lambda s: (
            {"plan_id": s["plan"]},
            {"note": "No episodes since the plan", "next_review_date": _today(28)},
        ),
    ),
    # practice reviews: the partnership manager
    Write(
        "POST /api/v1/practice-reviews/",
        "partnership",
        lambda s: (
            {},
            {
                "person": s["new_person"],
                "reference": "AUD-2026-01",
                "incident_kind": "serious_harm",
                "incident_on": _today(-10),
                "incident_summary": "Serious injury (synthetic, audit test)",
                "learned_at": _now(days=2),
            },
        ),
        keep="review",
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/notification/",
        "partnership",
        lambda s: ({"review_id": s["review"]}, {"notified_at": _now(days=1)}),
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/rapid-review/",
        "partnership",
        lambda s: (
            {"review_id": s["review"]},
            {"held_on": _today(), "findings": "Missed referral (synthetic)"},
        ),
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/decision/",
        "partnership",
        lambda s: (
            {"review_id": s["review"]},
            {
                "decision": "local_review",
                "rationale": "Learning for agencies",
                "decided_on": _today(),
                "started_on": _today(),
            },
        ),
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/learning-themes/",
        "partnership",
        lambda s: ({"review_id": s["review"]}, {"themes": ["information_sharing"]}),
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/recommendations/",
        "partnership",
        lambda s: (
            {"review_id": s["review"]},
            {"text": "Share school concerns with the MASH (audit)", "owning_agency": _agency_code("officer"),
             "owner": "officer", "due_on": _today(60)},
        ),
    ),
    # recommendations
    Write(
        "POST /api/v1/recommendations/",
        "partnership",
        lambda s: (
            {},
            {
                "source_kind": "hmicfrs",
                "source_reference": "PEEL AFI 9",
                "text": "Review DVPN refusals (audit test).",
                "owning_agency": _agency_code("officer"),
                "owner": "officer",
                "due_on": _today(30),
            },
        ),
        keep="recommendation",
    ),
    Write(
        "POST /api/v1/recommendations/{recommendation_id}/notes/",
        "officer",
        lambda s: ({"recommendation_id": s["recommendation"]}, {"status": "in_progress", "note": "Started"}),
    ),
]


def _agency_code(username: str) -> str:
    return User.objects.select_related("agency").get(username=username).agency.code


# POST/PATCH operations that write nothing person-level (so leave no create/update audit event on
# a person's record): why, for each.
NOT_PERSON_LEVEL: dict[str, str] = {
    "POST /api/v1/auth/token/": "issues a token (audited as `token`)",
    "POST /api/v1/notifications/{notification_id}/acknowledge/": "the caller's own notification",
    "POST /api/v1/people/match/": "a search by POST (audited as a search), writes nothing",
}
# Person-level writes not in WRITES yet, with why. The apps still being built (protection, slavery,
# fund, linkage) are left to the lead to add when they land; the rest are listed to be written.
PENDING: dict[str, str] = {
    # apps still being built when this test was written
    **{
        op: "protection app still being built: add to WRITES when it lands"
        for op in (
            "POST /api/v1/protection-orders/",
            "POST /api/v1/protection-orders/{order_id}/application/",
            "POST /api/v1/protection-orders/{order_id}/breaches/",
            "POST /api/v1/protection-orders/{order_id}/idva-contacts/",
            "POST /api/v1/protection-orders/{order_id}/outcome/",
            "POST /api/v1/disclosures/",
            "POST /api/v1/disclosures/{application_id}/stage/",
            "POST /api/v1/idva-deployments/",
            "POST /api/v1/criminal-justice-outcomes/",
            "POST /api/v1/scrutiny-samples/",
            "PATCH /api/v1/scrutiny-cases/{case_id}/",
        )
    },
    **{
        op: "slavery app still being built: add to WRITES when it lands"
        for op in (
            "POST /api/v1/nrm-referrals/",
            "POST /api/v1/nrm-referrals/{nrm_referral_id}/reasonable-grounds/",
            "POST /api/v1/nrm-referrals/{nrm_referral_id}/conclusive-grounds/",
            "POST /api/v1/nrm-referrals/{nrm_referral_id}/outcome/",
        )
    },
    **{
        op: "fund app still being built (organisations' money, not people: confirm and move)"
        for op in (
            "POST /api/v1/fund/rounds/",
            "PATCH /api/v1/fund/rounds/{round_id}/",
            "POST /api/v1/fund/applications/",
            "POST /api/v1/fund/awards/",
            "POST /api/v1/fund/awards/{award_id}/returns/",
        )
    },
    **{
        op: "linkage app still being built: add to WRITES when it lands (and the merge-kill fault test)"
        for op in (
            "POST /api/v1/people/{person_id}/merge/",
            "POST /api/v1/merges/{merge_id}/undo/",
            "POST /api/v1/linkage/ask-mash/",
            "POST /api/v1/linkage/imports/",
            "POST /api/v1/linkage/imports/{extract_id}/accept/",
            "POST /api/v1/linkage/imports/{extract_id}/cancel/",
            "POST /api/v1/linkage/reviews/{review_id}/decision/",
        )
    },
    "POST /api/v1/return-interviews/": "not written yet: finding a child makes the interview (the PATCH "
    "row uses that one); this POST needs an episode found without one",
    # in scope, not written yet (time): each needs a body that fits the record's state
    **{
        op: "not written yet"
        for op in (
            "POST /api/v1/practice-reviews/{review_id}/publication/",
        )
    },
}


def _write_operations() -> list[str]:
    return [
        label
        for label in fuzzing.operation_labels(fuzzing.load_schema())
        if label.split(" ", 1)[0] in ("POST", "PATCH", "PUT", "DELETE")
    ]


def test_every_write_operation_is_in_the_table():
    listed = {w.operation for w in WRITES} | set(NOT_PERSON_LEVEL) | set(PENDING)
    operations = _write_operations()
    missing = sorted(set(operations) - listed)
    assert not missing, (
        "Add these write operations to WRITES in tests/security/test_audit_writes.py (or, if they "
        "write nothing person-level, to NOT_PERSON_LEVEL with the reason):\n" + "\n".join(missing)
    )
    gone = sorted(listed - set(operations))
    assert not gone, "These are no longer in the API schema: remove them from the tables:\n" + "\n".join(gone)
    assert not {w.operation for w in WRITES} & set(PENDING), "an operation is both written and pending"


@pytest.fixture
def small_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    return load_world("small", write=io.StringIO().write)


def _object_id(body: Any, path_args: dict) -> str | None:
    if isinstance(body, dict) and body.get("id"):
        return str(body["id"])
    values = list(path_args.values())
    return str(values[-1]) if values else None


def test_each_write_leaves_one_audit_event_by_its_actor_on_its_record(small_world):
    state: dict[str, Any] = {}
    clients: dict[str, APIClient] = {}
    problems: list[str] = []
    for write in WRITES:
        user = User.objects.get(username=write.persona)
        if write.persona not in clients:
            clients[write.persona] = APIClient()
            token, _ = Token.objects.get_or_create(user=user)
            clients[write.persona].credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        method, template = write.operation.split(" ", 1)
        try:
            path_args, body = write.build(state)
        except KeyError as missing:
            problems.append(f"{write.operation}: needs {missing} from an earlier row that failed")
            continue
        url = re.sub(r"{(\w+)}", lambda m: str(path_args[m.group(1)]), template)  # noqa: B023
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(clients[write.persona], method.lower())(url, body, format="json")
        if response.status_code >= 300:
            problems.append(
                f"{write.operation} as {write.persona}: {response.status_code} {response.content[:300]!r}"
            )
            continue
        answer = response.json() if response.content else {}
        object_id = _object_id(answer, path_args)
        if write.keep:
            state[write.keep] = str(answer["id"])
        events = list(AuditEvent.objects.filter(id__gt=before, action__in=WRITE_ACTIONS + write.actions))
        if write.audited:
            on_record = [e for e in events if e.object_type == write.audited and e.action in write.actions]
        else:
            on_record = [e for e in events if e.object_id == object_id and e.action in write.actions]
        if len(on_record) != 1:
            problems.append(
                f"{write.operation}: {len(on_record)} {'/'.join(write.actions)} audit events on "
                f"{write.audited or 'the record'} {'' if write.audited else object_id} "
                f"(events written: {[(e.action, e.object_type) for e in events]})"
            )
        wrong_actor = [e for e in events if e.actor_id != user.pk]
        if wrong_actor:
            problems.append(
                f"{write.operation}: audit events not by {write.persona}: "
                f"{[(e.action, e.object_type, e.actor_label) for e in wrong_actor]}"
            )
        if len(on_record) == 1 and on_record[0].object_type:
            model = apps.get_model(on_record[0].object_type)
            if not model._base_manager.filter(pk=on_record[0].object_id).exists():
                problems.append(f"{write.operation}: the audited {on_record[0].object_type} does not exist")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
