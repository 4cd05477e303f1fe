"""Scoped reads of the person index."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from safehub.core.models import AuditAction, AuditEvent, Share
from safehub.people import rules
from safehub.people.models import Identifier, Person, PersonAlias

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(term: str) -> date | None:
    match = _DATE.match(term)
    if not match:
        return None
    try:
        if match.group(1):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
    except ValueError:
        return None


def person_search(user: Any, query: str) -> QuerySet[Person]:
    """People visible to `user` matching `query` (see person_matching); records merged into
    another (linkage) are left out: their linked records are on the record that stayed."""
    return person_matching(Person.objects.visible_to(user).filter(merged_into__isnull=True), query)


def person_break_glass_search(query: str) -> QuerySet[Person]:
    """The whole index, for an emergency search: the caller records a flagged audit event."""
    return person_matching(Person.objects.all(), query)


def person_matching(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The people in `people` matching every term of `query`.

    A term may be a name (prefix of a first, last or alias name), a date of birth (DD/MM/YYYY or
    YYYY-MM-DD), an identifier (exact, NHS numbers with or without spaces) or a postcode.
    Uses indexes person_name, alias_name, person_dob, identifier_lookup, address_postcode.
    """
    query = (query or "").strip()
    if not query:
        return people.none()
    compact_postcode = rules.normalise_postcode(query)
    if rules.postcode_problem(compact_postcode) is None:
        return people.filter(addresses__postcode=compact_postcode).distinct()
    digits = rules.normalise_nhs_number(query)
    if digits.isdigit() and len(digits) == 10:
        return people.filter(identifiers__kind="nhs_number", identifiers__value=digits).distinct()
    for term in query.split():
        when = _parse_date(term)
        if when is not None:
            people = people.filter(date_of_birth=when)
            continue
        id_match = Identifier.objects.filter(value__iexact=term).values("person_id")
        alias_match = PersonAlias.objects.filter(
            Q(given_name__istartswith=term) | Q(family_name__istartswith=term)
        ).values("person_id")
        people = people.filter(
            Q(given_name__istartswith=term)
            | Q(family_name__istartswith=term)
            | Q(id__in=alias_match)
            | Q(id__in=id_match)
        )
    return people.select_related("district", "owning_agency").distinct()


def person_shared_with(user: Any) -> QuerySet[Share]:
    """Active shares of person records with the user's agency, newest first."""
    if not user.has_person_level_access:
        return Share.objects.none()
    return (
        Share.objects.active()
        .filter(object_type="people.person", to_agency_id=user.agency_id)
        .select_related("from_agency", "granted_by")
    )


def person_access_history(person: Person, limit: int = 50) -> QuerySet[AuditEvent]:
    """Who has seen or changed this person's file (the "who has seen this record" panel)."""
    return (
        AuditEvent.objects.filter(person_id=person.pk)
        .exclude(action=AuditAction.LISTED)
        .order_by("-at", "-id")[:limit]
    )


def person_relationships(person: Person, user: Any) -> list[dict[str, Any]]:
    """The person's relationships; a related person outside the user's scope is not named."""
    visible = set(
        Person.objects.visible_to(user)
        .filter(id__in=person.relationships.values("related_person_id"))
        .values_list("id", flat=True)
    )
    rows = []
    for rel in person.relationships.select_related("related_person"):
        shown = rel.related_person_id in visible
        rows.append(
            {
                "kind": rel.get_kind_display(),
                "person": rel.related_person if shown else None,
                "from_date": rel.from_date,
                "to_date": rel.to_date,
            }
        )
    return rows
