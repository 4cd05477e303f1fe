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


def _contact_person(state, role: str = "") -> str:
    """The (police-owned) person the contact made: one the police personas can see."""
    from safehub.contacts.models import ContactPerson

    rows = ContactPerson._base_manager.filter(contact_id=state["contact"])
    return str((rows.filter(role=role) if role else rows).first().person_id)


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
            {
                "stage": "respond",
                "description": "Safety plan with the ward",
                "owner": "missing",
                "review_date": _today(7),
            },
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
            {
                "text": "Share school concerns with the MASH (audit)",
                "owning_agency": _agency_code("officer"),
                "owner": "officer",
                "due_on": _today(60),
            },
        ),
    ),
    Write(
        "POST /api/v1/practice-reviews/{review_id}/publication/",
        "partnership",
        lambda s: (
            {"review_id": s["review"]},
            {
                "sent_to_panel_on": _today(),
                "published_on": _today(),
                "publication_url": "https://example.org/r",
            },
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
    # missing: an episode found as an adult's, then found to be a child's (the interview by hand)
    Write(
        "POST /api/v1/return-interviews/",
        "missing",
        lambda s: ({}, {"episode": _found_without_interview(s)}),
    ),
    # protection: the officer serves a notice on the contact's witness to protect its victim
    Write(
        "POST /api/v1/protection-orders/",
        "officer",
        lambda s: (
            {},
            {
                "victim": _contact_person(s, "victim"),
                "subject": _contact_person(s, "witness"),
                "contact": s["contact"],
                "district": "leeds",
                "authorised_at": _now(hours=2, minutes=15),
                "authorised_by_name": "Supt Audit",
                "authorised_by_rank": "superintendent",
                "grounds": "Threats to kill (synthetic, audit test)",
                "notice_conditions": "No contact with the victim",
                "served_at": _now(hours=2),
            },
        ),
        keep="order",
    ),
    Write(
        "POST /api/v1/protection-orders/{order_id}/application/",
        "officer",
        lambda s: ({"order_id": s["order"]}, {"application_made_at": _now(hours=1), "court": "Leeds MC"}),
    ),
    Write(
        "POST /api/v1/protection-orders/{order_id}/breaches/",
        "officer",
        lambda s: ({"order_id": s["order"]}, {"at": _now(minutes=40), "description": "Came to the house"}),
    ),
    Write(
        "POST /api/v1/protection-orders/{order_id}/idva-contacts/",
        "idva",
        lambda s: (
            {"order_id": s["order"]},
            {
                "contacted_at": _now(minutes=30),
                "method": "phone",
                "support_accepted": True,
                "safety_plan": "Plan",
            },
        ),
    ),
    Write(
        "POST /api/v1/protection-orders/{order_id}/outcome/",
        "officer",
        lambda s: (
            {"order_id": s["order"]},
            {
                "hearing_at": _now(minutes=10),
                "outcome": "granted",
                "duration_days": 14,
                "order_conditions": "No contact",
            },
        ),
    ),
    Write(
        "POST /api/v1/disclosures/",
        "officer",
        lambda s: (
            {},
            {
                "route": "ask",
                "person_at_risk": _contact_person(s, "victim"),
                "subject": _contact_person(s, "witness"),
                "district": "leeds",
                "received_at": _now(days=2),
            },
        ),
        keep="disclosure",
    ),
    Write(
        "POST /api/v1/disclosures/{application_id}/stage/",
        "officer",
        lambda s: ({"application_id": s["disclosure"]}, {"stage": "initial_contact", "at": _now(days=1)}),
    ),
    Write(
        "POST /api/v1/criminal-justice-outcomes/",
        "officer",
        lambda s: ({}, {"contact": s["contact"], "outcome": "charge", "outcome_at": _now(minutes=1)}),
    ),
    Write(
        "POST /api/v1/idva-deployments/",
        "idva",
        lambda s: ({}, _deployment(s)),
    ),
    Write(
        "POST /api/v1/scrutiny-samples/",
        "officer",
        lambda s: (
            {},
            {
                "title": "Audit round",
                "period_start": _today(-365),
                "period_end": _today(),
                "seed": 7,
                "size": 1,
                "exclude_reviewed": False,
            },
        ),
        keep="sample",
    ),
    Write(
        "PATCH /api/v1/scrutiny-cases/{case_id}/",
        "officer",
        lambda s: (
            {"case_id": _scrutiny_case(s)},
            {"good_practice": "Prompt DASH", "themes": ["victim_voice"]},
        ),
    ),
    # slavery: the officer refers the witness (an adult who consents) to the NRM
    Write(
        "POST /api/v1/nrm-referrals/",
        "officer",
        lambda s: (
            {},
            {
                "kind": "nrm",
                "person": _contact_person(s, "witness"),
                "district": "leeds",
                "exploitation_types": ["labour"],
                "nationality": "Not known",
                "sex": "female",
                "age_at_referral": 30,
                "consent": "given",
                "referred_at": _now(days=60),
                "authority": "sca",
            },
        ),
        keep="nrm",
    ),
    Write(
        "POST /api/v1/nrm-referrals/{nrm_referral_id}/reasonable-grounds/",
        "officer",
        lambda s: ({"nrm_referral_id": s["nrm"]}, {"decision": "positive", "decided_at": _now(days=55)}),
    ),
    Write(
        "POST /api/v1/nrm-referrals/{nrm_referral_id}/conclusive-grounds/",
        "officer",
        lambda s: ({"nrm_referral_id": s["nrm"]}, {"decision": "positive", "decided_at": _now(days=1)}),
    ),
    Write(
        "POST /api/v1/nrm-referrals/{nrm_referral_id}/outcome/",
        "officer",
        lambda s: ({"nrm_referral_id": s["nrm"]}, {"outcome": "move_on_support", "at": _now(minutes=1)}),
    ),
    # linkage: the MASH imports a partner extract, decides a queued pair, merges and undoes
    Write("POST /api/v1/linkage/imports/", "mash", lambda s: ({}, _extract_body("a")), keep="extract"),
    Write(
        "POST /api/v1/linkage/imports/{extract_id}/accept/",
        "mash",
        lambda s: ({"extract_id": s["extract"]}, {}),
    ),
    Write("POST /api/v1/linkage/imports/", "mash", lambda s: ({}, _extract_body("b")), keep="extract_b"),
    Write(
        "POST /api/v1/linkage/imports/{extract_id}/cancel/",
        "mash",
        lambda s: ({"extract_id": s["extract_b"]}, {}),
    ),
    Write(
        "POST /api/v1/linkage/reviews/{review_id}/decision/",
        "mash",
        lambda s: ({"review_id": _pending_review()}, {"decision": "reject"}),
    ),
    Write(
        "POST /api/v1/people/{person_id}/merge/",
        "mash",
        lambda s: (
            {"person_id": s["new_person"]},
            {
                "duplicate": _duplicate_of(s["new_person"]),
                "reason": "Same child: same name and date of birth",
            },
        ),
        keep="merge",
    ),
    Write("POST /api/v1/merges/{merge_id}/undo/", "mash", lambda s: ({"merge_id": s["merge"]}, {})),
    Write(  # asks the MASH about a match held elsewhere: changes no record, audited as a search
        "POST /api/v1/linkage/ask-mash/",
        "school",
        lambda s: ({}, {"token": _ask_token("school", _person(s))}),
        audited="people.person",
        actions=("search",),
    ),
]


def _found_without_interview(state) -> str:
    """An episode recorded as an adult's and found (so no return home interview was opened), then
    corrected to a child's: the interview is opened by hand."""
    from safehub.missing import services
    from safehub.missing.models import MissingEpisode
    from safehub.people.models import Person

    actor = User.objects.get(username="missing")
    episode = services.episode_create(
        actor=actor,
        person=Person.objects.get(pk=_contact_person(state, "victim")),
        district=actor.district,
        reported_by_name="Foster carer",
        last_seen_at=timezone.now() - timedelta(hours=5),
        reported_at=timezone.now() - timedelta(hours=4),
        last_seen_place="Home",
        missing_from="home",
        risk_level="low",
        risk_rationale="Known to return",
        is_child=False,
    )
    services.episode_found(
        actor=actor,
        episode=episode,
        found_at=timezone.now() - timedelta(hours=1),
        found_place="Friend's house",
        found_by="self",
        condition_on_return=["safe_and_well"],
    )
    MissingEpisode._base_manager.filter(pk=episode.pk).update(is_child=True)
    return str(episode.pk)


def _deployment(state) -> dict:
    from safehub.contacts.models import Contact

    contact = Contact._base_manager.get(pk=state["contact"])
    return {
        "contact_reference": contact.reference,
        "incident_on": str(timezone.localtime(contact.received_at).date()),
        "deployed_at": _now(minutes=2),
        "victim_engaged": True,
    }


def _scrutiny_case(state) -> str:
    from safehub.protection.models import ScrutinyCase

    return str(ScrutinyCase._base_manager.filter(sample_id=state["sample"]).order_by("number").first().pk)


def _extract_body(tag: str) -> dict:
    import base64

    content = f"first_name,surname,dob\nIma,Extract{tag},2011-05-06\nOtto,Extract{tag},2010-01-02\n"
    return {
        "district": "leeds",
        "partner_name": "Leeds health (audit)",
        "partner_kind": "health",
        "filename": f"audit-{tag}.csv",
        "content_base64": base64.b64encode(content.encode()).decode(),
    }


def _pending_review() -> str:
    """A pair in the review queue, as linking leaves one in the uncertain band (the small world's
    extract queues none): a checked extract's record against a Leeds person (steps of their own)."""
    import base64

    from safehub.linkage import services
    from safehub.linkage.models import MatchReview

    mash = User.objects.get(username="mash")
    body = _extract_body("q")
    extract = services.extract_check(
        actor=mash,
        district=mash.district,
        partner_name=body["partner_name"],
        partner_kind=body["partner_kind"],
        filename=body["filename"],
        content=base64.b64decode(body["content_base64"]),
    )
    review = MatchReview.objects.create(
        owning_agency=extract.owning_agency,
        district=extract.district,
        record=extract.records.order_by("row_number").first(),
        person=_leeds("people.Person"),
        probability=0.8,
        explanation=[],
    )
    return str(review.pk)


def _duplicate_of(person_id: str) -> str:
    """A second record of the same person, made by the MASH (a step of its own)."""
    from safehub.people import services
    from safehub.people.models import Person

    mash, person = User.objects.get(username="mash"), Person.objects.get(pk=person_id)
    copy = services.person_create(
        actor=mash,
        district=person.district,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )
    return str(copy.pk)


def _ask_token(username: str, person_id: str) -> str:
    """What a match search hands a caller for a possible match held elsewhere."""
    from django.core import signing

    from safehub.linkage.services import ASK_SALT

    user = User.objects.get(username=username)
    return signing.dumps({"p": str(person_id), "u": str(user.pk)}, salt=ASK_SALT)


def _agency_code(username: str) -> str:
    return User.objects.select_related("agency").get(username=username).agency.code


# POST/PATCH operations that write nothing person-level (so leave no create/update audit event on
# a person's record): why, for each.
NOT_PERSON_LEVEL: dict[str, str] = {
    "POST /api/v1/auth/token/": "issues a token (audited as `token`)",
    "POST /api/v1/notifications/{notification_id}/acknowledge/": "the caller's own notification",
    "POST /api/v1/people/match/": "a search by POST (audited as a search), writes nothing",
    **{
        op: "the Safer Communities Fund: organisations' money (rounds, applications, awards, returns), "
        "no personal data; audited all the same (FUND_WRITES)"
        for op in (
            "POST /api/v1/fund/rounds/",
            "PATCH /api/v1/fund/rounds/{round_id}/",
            "POST /api/v1/fund/applications/",
            "POST /api/v1/fund/awards/",
            "POST /api/v1/fund/awards/{award_id}/returns/",
        )
    },
    **{
        op: "partnership activities and team establishment: organisations, counts and posts, no "
        "personal data; audited all the same (ACTIVITY_WRITES)"
        for op in (
            "POST /api/v1/activities/",
            "PATCH /api/v1/activities/{activity_id}/",
            "POST /api/v1/teams/establishment/",
        )
    },
}
# Writes that are not person-level but are audited all the same: run like WRITES (after them).
FUND_WRITES: list[Write] = [
    Write(
        "POST /api/v1/fund/rounds/",
        "partnership",
        lambda s: (
            {},
            {
                "number": 99,
                "name": "Audit round",
                "opens_on": _today(-30),
                "closes_on": _today(30),
                "budget": "100000.00",
            },
        ),
        keep="fund_round",
    ),
    Write(
        "PATCH /api/v1/fund/rounds/{round_id}/",
        "partnership",
        lambda s: ({"round_id": s["fund_round"]}, {"name": "Audit round (renamed)"}),
    ),
    Write(
        "POST /api/v1/fund/applications/",
        "partnership",
        lambda s: (
            {},
            {
                "round": s["fund_round"],
                "organisation": "Audit Youth Trust",
                "project": "Audit mentoring",
                "theme": "youth_violence",
                "districts": ["leeds"],
                "amount_requested": "5000.00",
                "projected_people": 40,
                "submitted_on": _today(-1),
            },
        ),
        keep="fund_application",
    ),
    Write(
        "POST /api/v1/fund/awards/",
        "partnership",
        lambda s: ({}, {"application": s["fund_application"], "amount": "4000.00", "awarded_on": _today()}),
        keep="award",
    ),
    Write(
        "POST /api/v1/fund/awards/{award_id}/returns/",
        "partnership",
        lambda s: (
            {"award_id": s["award"]},
            {"period_end": _today(), "people_reached": 12, "spend": "250.00"},
        ),
    ),
]
ACTIVITY_WRITES: list[Write] = [
    Write(
        "POST /api/v1/activities/",
        "partnership",
        lambda s: (
            {},
            {
                "kind": "training",
                "title": "Audit training",
                "starts_on": _today(-7),
                "lead_organisation": "Leeds Safeguarding Children Partnership",
                "themes": ["cse"],
                "districts": ["leeds"],
                "attendance": 30,
                "attendance_noun": "practitioners",
            },
        ),
        keep="activity",
    ),
    Write(
        "PATCH /api/v1/activities/{activity_id}/",
        "partnership",
        lambda s: ({"activity_id": s["activity"]}, {"attendance": 32, "cost": "450.00"}),
    ),
    Write(
        "POST /api/v1/teams/establishment/",
        "partnership",
        lambda s: (
            {},
            {
                "team": str(_leeds("core.Team").pk),
                "role": "Audit role",
                "effective_from": _today(),
                "establishment_fte": "2",
                "in_post_fte": "1.5",
            },
        ),
    ),
]
# Person-level writes not in WRITES yet, with why (none: add a row to WRITES instead).
PENDING: dict[str, str] = {}


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
    assert {w.operation for w in FUND_WRITES} <= set(NOT_PERSON_LEVEL), "FUND_WRITES are not person-level"
    assert {w.operation for w in ACTIVITY_WRITES} <= set(NOT_PERSON_LEVEL), "ACTIVITY_WRITES are not either"


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
    for write in [*WRITES, *FUND_WRITES, *ACTIVITY_WRITES]:
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
