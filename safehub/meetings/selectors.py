"""Reads for MARAC and MACE: listing candidates, the research matrix, action lists.

Listing candidates are the one place a coordinator sees people they may not otherwise see: the
people of the series' district whose history meets the series' listing rules. Only a coordinator
of the series may ask, and every person shown is written to the audit trail (`listed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Max, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safehub.core import audit, histories, rulesets
from safehub.core.rules import Event, Fired, Ruleset, evaluate
from safehub.meetings import access
from safehub.meetings import rules as meeting_rules
from safehub.meetings.models import (
    RULESET_FOR_KIND,
    Action,
    ActionStatus,
    Meeting,
    MeetingCase,
    MeetingSeries,
    MeetingStatus,
)
from safehub.people.models import Person

# Where an evidence event's record lives, and the page that opens it: (model label, url name).
# Looked up by label so this app imports none of the apps that own the events.
EVIDENCE_SOURCES = {
    "dash": ("instruments.Assessment", "instruments:assessment"),
    "exploitation_assessment": ("instruments.Assessment", "instruments:assessment"),
    "da_incident": ("contacts.Contact", "contacts:detail"),
    "contact_victim": ("contacts.Contact", "contacts:detail"),
    "mash_referral": ("referrals.Referral", "referrals:detail"),
    "missing_episode": ("missing.MissingEpisode", "missing:detail"),
    "marac_referral": ("meetings.MeetingReferral", ""),
    "mace_referral": ("meetings.MeetingReferral", ""),
}
# Fields that name the agency whose record an evidence event is (for the referring agency).
AGENCY_FIELDS = ("owning_agency_id", "assessor_agency_id")


@dataclass
class Candidate:
    person: Person
    age_status: str  # child, adult or unknown
    fired: list[Fired]
    listed_at: datetime | None = None
    evidence_links: dict[str, str] = field(default_factory=dict)

    @property
    def latest_evidence_at(self) -> datetime | None:
        return meeting_rules.latest_evidence_at(self.fired)


@dataclass
class CandidateList:
    series: MeetingSeries
    ruleset: Ruleset
    as_of: datetime
    candidates: list[Candidate]
    already_listed: list[Candidate]


def ruleset_for_series(series: MeetingSeries, as_of: datetime) -> Ruleset:
    return rulesets.ruleset_for(RULESET_FOR_KIND[series.kind], series.district.force, at=as_of)


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def evidence_links(user: Any, events: list[Event]) -> dict[str, str]:
    """{ref: url} for the evidence records the user may open (none for records out of scope)."""
    by_label: dict[str, set[str]] = {}
    for event in events:
        label, url_name = EVIDENCE_SOURCES.get(event.type, ("", ""))
        if label and url_name and event.ref:
            by_label.setdefault(label, set()).add(event.ref)
    links: dict[str, str] = {}
    for label, refs in by_label.items():
        model = _model(label)
        if model is None:
            continue
        url_name = next(u for t, (lab, u) in EVIDENCE_SOURCES.items() if lab == label and u)
        visible = model.objects.visible_to(user).filter(pk__in=list(refs)).values_list("pk", flat=True)
        for pk in visible:
            try:
                links[str(pk)] = reverse(url_name, args=[pk])
            except NoReverseMatch:
                break
    return links


def case_evidence_links(user: Any, case: MeetingCase) -> dict[str, str]:
    """Links to the evidence kept on a case, for the records the user may open."""
    events = [
        Event(item["type"], timezone.now(), {}, item.get("ref", ""))
        for fired in case.rules_fired
        for item in fired.get("evidence", [])
    ]
    return evidence_links(user, events)


def candidate_person(user: Any, series: MeetingSeries, person_id: Any) -> Person | None:
    """A person of the series' district, for a coordinator adding a listing candidate (the
    service evaluates the rules again and refuses anyone they do not list)."""
    if not access.is_coordinator(user, series):
        raise PermissionDenied("Only the coordinators of this meeting series can list candidates")
    return Person.objects.filter(pk=person_id, district=series.district).first()


def evidence_agency_id(fired: list[Fired]) -> Any:
    """The agency that holds the first evidence record of the first rule fired, if known."""
    for f in fired:
        for event in f.evidence:
            label = EVIDENCE_SOURCES.get(event.type, ("", ""))[0]
            model = _model(label) if label else None
            if model is None or not event.ref:
                continue
            columns = {column.attname for column in model._meta.concrete_fields}
            names = [n for n in AGENCY_FIELDS if n in columns]
            if names:
                row = model._default_manager.filter(pk=event.ref).values(names[0]).first()
                if row and row[names[0]]:
                    return row[names[0]]
    return None


def evaluate_person(
    series: MeetingSeries, person: Person, as_of: datetime
) -> tuple[Ruleset, list[Fired], list[Event]]:
    """The rules of the series' ruleset that fire for `person` at `as_of`, and their history."""
    ruleset = ruleset_for_series(series, as_of)
    history = histories.for_people([person.pk], until=as_of).get(person.pk, [])
    return ruleset, evaluate(ruleset, history, as_of), history


def listing_candidates(
    user: Any, series: MeetingSeries, as_of: datetime | None = None, *, audit_listed: bool = True
) -> CandidateList:
    """People of the series' district whom its listing rules list at `as_of` (default now).

    Only a coordinator of the series may ask (PermissionDenied otherwise). MACE lists children
    (under 18 on `as_of`; no date of birth: included and marked unknown). People on an agenda of
    this series since their latest evidence are returned apart, as already listed.
    """
    if not access.is_coordinator(user, series):
        raise PermissionDenied("Only the coordinators of this meeting series can list candidates")
    as_of = as_of or timezone.now()
    ruleset = ruleset_for_series(series, as_of)
    since = as_of - timedelta(days=meeting_rules.look_back_days(ruleset))
    with_events = histories.people_with_events(
        meeting_rules.ruleset_event_types(ruleset), since=since, until=as_of
    )
    day = timezone.localtime(as_of).date()
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=list(with_events), district=series.district).select_related(
            "owning_agency", "district"
        )
        if meeting_rules.in_scope_for_kind(series.kind, p.date_of_birth, day)
    }
    full = histories.for_people(people, until=as_of)
    listed = dict(
        MeetingCase.objects.filter(meeting__series=series, person_id__in=list(people))
        .values("person_id")
        .annotate(at=Max("created_at"))
        .values_list("person_id", "at")
    )
    candidates, already = [], []
    for person_id, person in people.items():
        fired = evaluate(ruleset, full.get(person_id, []), as_of)
        if not fired:
            continue
        status = meeting_rules.child_status(person.date_of_birth, day)
        candidate = Candidate(person, status, fired, listed.get(person_id))
        (already if meeting_rules.is_already_listed(candidate.listed_at, fired) else candidates).append(
            candidate
        )
    order = lambda c: (-(c.latest_evidence_at.timestamp() if c.latest_evidence_at else 0), str(c.person.pk))  # noqa: E731
    candidates.sort(key=order)
    already.sort(key=order)
    links = evidence_links(user, [e for c in candidates + already for f in c.fired for e in f.evidence])
    for candidate in candidates + already:
        candidate.evidence_links = links
    if audit_listed:
        audit.record_listed(user, [c.person for c in candidates + already])
    return CandidateList(series, ruleset, as_of, candidates, already)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series=meeting.series, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def next_meetings(user: Any, *, limit: int = 10) -> QuerySet[Meeting]:
    return (
        access.meetings_visible_to(user)
        .filter(status__in=(MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED))
        .order_by("starts_at")[:limit]
    )


def heard_at(person_ids: list[Any], kind: str, before: datetime) -> dict[Any, list[datetime]]:
    """When each person was heard at a held meeting of `kind` before `before`."""
    rows = MeetingCase.objects.filter(
        person_id__in=person_ids,
        meeting__series__kind=kind,
        meeting__status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
        meeting__starts_at__lt=before,
    ).values_list("person_id", "meeting__starts_at")
    found: dict[Any, list[datetime]] = {}
    for person_id, at in rows:
        found.setdefault(person_id, []).append(at)
    return found


def member_agencies(series: MeetingSeries) -> list[Any]:
    """Member agencies and the coordinating agency, by name."""
    agencies = {a.pk: a for a in series.member_agencies.all()}
    agencies[series.coordinating_agency_id] = series.coordinating_agency
    return sorted(agencies.values(), key=lambda a: a.name)


def research_matrix(meeting: Meeting, cases: list[MeetingCase]) -> dict[str, Any]:
    """Which member agencies have added research to which case: {"agencies", "rows"}."""
    agencies = member_agencies(meeting.series)
    responded: dict[Any, set[Any]] = {}
    for case_id, agency_id in MeetingCase.objects.filter(pk__in=[c.pk for c in cases]).values_list(
        "pk", "research__agency_id"
    ):
        if agency_id:
            responded.setdefault(case_id, set()).add(agency_id)
    rows = [
        {"case": case, "cells": [a.pk in responded.get(case.pk, set()) for a in agencies]} for case in cases
    ]
    return {"agencies": agencies, "rows": rows}


def actions_for_agency(user: Any) -> QuerySet[Action]:
    """Open actions owned by the user's agency (or by the user), overdue first, then by due date."""
    today = timezone.localdate()
    return (
        access.actions_visible_to(user)
        .filter(Q(owner_agency=user.agency_id) | Q(owner=user), status=ActionStatus.OPEN)
        .annotate(
            overdue=Case(When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .select_related("case__meeting__series", "owner", "owner_agency")
        .order_by("overdue", "due_on", "created_at")
    )


def meeting_actions(meeting: Meeting) -> QuerySet[Action]:
    return (
        Action.objects.filter(case__meeting=meeting)
        .select_related("case__person", "owner", "owner_agency")
        .order_by("due_on", "created_at")
    )


def member_users(series: MeetingSeries) -> QuerySet[Any]:
    """Active person-level users of the series' member and coordinating agencies."""
    from safehub.core.models import User
    from safehub.core.roles import PERSON_LEVEL_ROLES

    agency_ids = [a.pk for a in member_agencies(series)]
    return (
        User.objects.filter(
            is_active=True, agency_id__in=agency_ids, role_grants__role__in=PERSON_LEVEL_ROLES
        )
        .distinct()
        .select_related("agency")
        .order_by("agency__name", "username")
    )
