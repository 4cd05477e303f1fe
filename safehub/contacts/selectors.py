"""Scoped reads of contacts: lists, repeat victim and location flags, Encompass lists, events.

Repeat flags count every contact (that a person was a victim before is a fact about the person
the reader can already see), but the earlier contacts are linked only where the reader may open
them; the rest are listed by date and category as "held by another agency".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safehub.contacts import rules
from safehub.contacts.models import (
    Category,
    Contact,
    ContactPerson,
    EncompassNotification,
    PublicProtectionNotice,
    Role,
)
from safehub.core.rules import Event, Fired, evaluate

REPEAT_VICTIM = "repeat-victim"
REPEAT_LOCATION = "repeat-location"


def contact_list_for(user: Any, *, category: str = "", district: Any = None) -> QuerySet[Contact]:
    """Contacts visible to `user`, newest first.

    Uses indexes contact_agency_received and contact_district_received.
    """
    contacts = Contact.objects.visible_to(user).select_related("district", "grade", "owning_agency")
    if category:
        contacts = contacts.filter(category=category)
    if district is not None:
        contacts = contacts.filter(district=district)
    return contacts.order_by("-received_at", "-id")


# --- events for the rule evaluator ---------------------------------------------------------------


def victim_events(person_ids: Iterable[Any], *, until: datetime | None = None) -> dict[Any, list[Event]]:
    """Per person: one `contact_victim` event per contact where they were a victim, plus a
    `da_incident` event for each of those that is a domestic abuse contact (`history_events`).
    """
    history: dict[Any, list[Event]] = defaultdict(list)
    for person_id, event in history_events(set(person_ids), None, until):
        history[person_id].append(event)
    return history


def location_contacts(contact: Contact) -> QuerySet[Contact]:
    """Contacts at the same location as `contact` (see rules.location_key), index contact_postcode/lsoa."""
    if contact.postcode:
        return Contact.objects.filter(postcode=contact.postcode)
    if contact.lsoa_code:
        return Contact.objects.filter(postcode="", lsoa_code=contact.lsoa_code)
    return Contact.objects.none()


def location_events(contact: Contact) -> list[Event]:
    key = rules.location_key(contact.postcode, contact.lsoa_code)
    rows = location_contacts(contact).filter(received_at__lte=contact.received_at).order_by("received_at")
    return [
        Event("contact_location", row.received_at, {"location": key, "category": row.category}, str(row.pk))
        for row in rows.only("id", "received_at", "category")
    ]


# --- repeat flags --------------------------------------------------------------------------------


@dataclass
class EarlierContact:
    id: Any
    at: datetime
    category: str
    visible: bool
    current: bool


@dataclass
class Flag:
    kind: str  # "repeat_victim" or "repeat_location"
    subject: str  # the person's name, or the location
    person: Any
    fired: Fired
    earlier: list[EarlierContact]


def _ruleset(ruleset_id: str, force: Any):
    from safehub.core.rulesets import ruleset_for

    return ruleset_for(ruleset_id, force)


def _earlier(fired: Fired, contact: Contact, user: Any) -> list[EarlierContact]:
    ids = [event.ref for event in fired.evidence if event.ref]
    contacts = {
        str(c.pk): c for c in Contact.objects.filter(pk__in=ids).only("id", "received_at", "category")
    }
    visible = (
        {str(pk) for pk in Contact.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)}
        if user is not None
        else set(contacts)
    )
    rows = []
    for ref in dict.fromkeys(ids):
        found = contacts.get(ref)
        if found is None:
            continue
        rows.append(
            EarlierContact(
                id=found.pk,
                at=found.received_at,
                category=found.get_category_display(),
                visible=ref in visible,
                current=ref == str(contact.pk),
            )
        )
    return sorted(rows, key=lambda row: row.at, reverse=True)


def contact_flags(contact: Contact, user: Any = None) -> list[Flag]:
    """The repeat-victim flags of each victim on the contact and the repeat-location flag, as at
    the time of the contact (later contacts are not counted)."""
    force = contact.district.force
    flags: list[Flag] = []
    victims = [link.person for link in contact.people.filter(role=Role.VICTIM).select_related("person")]
    if victims:
        ruleset = _ruleset(REPEAT_VICTIM, force)
        history = victim_events([p.pk for p in victims], until=contact.received_at)
        for person in victims:
            for fired in evaluate(ruleset, history.get(person.pk, []), contact.received_at):
                flags.append(
                    Flag("repeat_victim", person.full_name, person, fired, _earlier(fired, contact, user))
                )
    if rules.location_key(contact.postcode, contact.lsoa_code):
        ruleset = _ruleset(REPEAT_LOCATION, force)
        subject = contact.postcode or f"LSOA {contact.lsoa_code}"
        for fired in evaluate(ruleset, location_events(contact), contact.received_at):
            flags.append(Flag("repeat_location", subject, None, fired, _earlier(fired, contact, user)))
    return flags


# --- grade compliance ----------------------------------------------------------------------------


def grade_compliance(contacts: QuerySet[Contact]) -> list[dict[str, Any]]:
    """Per current grade and district: graded contacts, attended, attended within target.

    Only grades with an attendance target are measured; a contact still waiting for officers past
    its target counts as not within target.
    """
    now = timezone.now()
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    graded = contacts.filter(grade__isnull=False, grade__target_minutes__isnull=False).select_related(
        "grade", "district"
    )
    for contact in graded.only("received_at", "arrived_at", "grade", "district"):
        key = (contact.grade.code, contact.district.code)
        row = rows.setdefault(
            key,
            {
                "grade": contact.grade.name,
                "grade_code": contact.grade.code,
                "order": contact.grade.order,
                "target_minutes": contact.grade.target_minutes,
                "district": contact.district.name,
                "district_code": contact.district.code,
                "contacts": 0,
                "attended": 0,
                "within_target": 0,
                "missed": 0,
            },
        )
        row["contacts"] += 1
        due = contact.attend_by
        if contact.arrived_at is not None:
            row["attended"] += 1
            if contact.arrived_at <= due:
                row["within_target"] += 1
            else:
                row["missed"] += 1
        elif due is not None and due < now:
            row["missed"] += 1
    result = sorted(rows.values(), key=lambda r: (r["order"], r["district"]))
    for row in result:
        measured = row["within_target"] + row["missed"]
        row["percent_within_target"] = round(100 * row["within_target"] / measured, 1) if measured else None
    return result


# --- PPNs and Encompass --------------------------------------------------------------------------


def ppns_awaiting_mash(user: Any) -> QuerySet[PublicProtectionNotice]:
    """PPNs waiting for the MASH that `user` can see, oldest first (index ppn_queue)."""
    return (
        PublicProtectionNotice.objects.visible_to(user)
        .filter(status="awaiting_mash")
        .select_related("person", "contact", "district")
        .order_by("raised_at")
    )


def encompass_for_school(user: Any) -> QuerySet[EncompassNotification]:
    """The Operation Encompass notifications addressed to the user's school (index encompass_school).

    Scoped by recipient, not through the contact: the school sees only these minimum-data rows.
    """
    if not (getattr(user, "is_authenticated", False) and user.has_person_level_access):
        return EncompassNotification.objects.none()
    return (
        EncompassNotification.objects.filter(school_id=user.agency_id)
        .select_related("notification", "school")
        .order_by("-incident_at")
    )


def encompass_sent_by(user: Any, *, open_only: bool = True) -> QuerySet[EncompassNotification]:
    """Encompass notifications on contacts the user can see; with open_only, the unacknowledged ones."""
    rows = EncompassNotification.objects.visible_to(user).select_related("notification", "school", "contact")
    if open_only:
        rows = rows.filter(Q(notification__isnull=True) | Q(notification__acknowledged_at__isnull=True))
    return rows.order_by("due_at")


def encompass_status(row: EncompassNotification, now: datetime | None = None) -> str:
    """acknowledged, escalated, overdue or due."""
    now = now or timezone.now()
    note = row.notification
    if note is not None and note.acknowledged_at is not None:
        return "acknowledged"
    if note is not None and getattr(note, "escalated_at", None) is not None:
        return "escalated"
    if row.due_at < now:
        return "overdue"
    return "due"


# --- calibration outcomes (registered with the instruments app) ---------------------------------


def contact_outcomes(
    person_ids: Iterable[Any], start: datetime, end: datetime
) -> list[tuple[Any, datetime, str]]:
    """Later contacts where the person was a victim ("repeat_victim_contact") and contacts flagged
    serious harm ("serious_harm"), between start and end inclusive."""
    links = ContactPerson.objects.filter(
        person_id__in=list(person_ids),
        role=Role.VICTIM,
        contact__received_at__gte=start,
        contact__received_at__lte=end,
    ).values_list("person_id", "contact__received_at", "contact__serious_harm")
    outcomes: list[tuple[Any, datetime, str]] = []
    for person_id, at, serious in links.order_by("contact__received_at"):
        outcomes.append((person_id, at, "repeat_victim_contact"))
        if serious:
            outcomes.append((person_id, at, "serious_harm"))
    return outcomes


def history_events(
    person_ids: set[Any] | None, since: datetime | None, until: datetime | None
) -> Iterable[tuple[Any, Event]]:
    """History provider (core.histories): `contact_victim` and `da_incident` events per person,
    oldest first. Uses index contactperson_person_role (given people) or contact received_at.
    """
    links = ContactPerson.objects.filter(role=Role.VICTIM)
    if until is not None:
        links = links.filter(contact__received_at__lte=until)
    if person_ids is not None:
        links = links.filter(person_id__in=list(person_ids))
    if since is not None:
        links = links.filter(contact__received_at__gte=since)
    rows = links.order_by("contact__received_at").values_list(
        "person_id", "contact_id", "contact__received_at", "contact__category", "contact__district_id"
    )
    for person_id, contact_id, at, category, district_id in rows.iterator(chunk_size=2000):
        attrs = {"category": category, "district": district_id}
        yield person_id, Event("contact_victim", at, attrs, str(contact_id))
        if category == Category.DOMESTIC:
            yield person_id, Event("da_incident", at, attrs, str(contact_id))
