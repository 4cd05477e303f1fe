"""Writes to the person index. Each takes an actor, runs atomically, validates, audits, and
writes the person's chronology where a practitioner would want to see the change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core.access import can_edit
from safehub.core.models import AuditAction, District
from safehub.people import chronology
from safehub.people.models import (
    INVERSE_RELATIONSHIP,
    Address,
    Identifier,
    Marker,
    Person,
    PersonAlias,
    Relationship,
)

PERSON_EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "middle_names",
    "date_of_birth",
    "dob_precision",
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disability",
    "disability_notes",
    "phone",
    "email",
)


def _require_edit(actor: Any, person: Person) -> None:
    if not can_edit(actor, person):
        raise PermissionDenied("You can read this record but not change it")


def _unknown_fields(data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - set(PERSON_EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({name: "This field cannot be set here" for name in unknown})


@transaction.atomic
def person_create(*, actor: Any, district: District, **data: Any) -> Person:
    """Create a person owned by the actor's agency in `district` (which that agency must serve)."""
    if not actor.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")
    _unknown_fields(data)
    person = Person(owning_agency=actor.agency, district=district, created_by=actor, **data)
    person.full_clean()
    person.save()
    audit.record(actor, AuditAction.CREATE, person, fields=data.keys())
    chronology.add(
        person,
        "record_created",
        timezone.now(),
        person,
        f"Record created by {actor.agency.name}",
        agency=actor.agency,
    )
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **data: Any) -> Person:
    _require_edit(actor, person)
    _unknown_fields(data)
    changed = audit.changed_fields(person, data)
    if not changed:
        return person
    for name in changed:
        setattr(person, name, data[name])
    person.full_clean()
    person.save()
    audit.record(actor, AuditAction.UPDATE, person, fields=changed)
    labels = ", ".join(str(Person._meta.get_field(name).verbose_name) for name in changed)
    chronology.add(
        person, "record_updated", timezone.now(), person, f"Details changed: {labels}", agency=actor.agency
    )
    return person


def _add_child(actor: Any, person: Person, obj: Any, kind: str, summary: str, fields: list[str]) -> Any:
    _require_edit(actor, person)
    obj.full_clean()
    obj.save()
    audit.record(actor, AuditAction.CREATE, obj, fields=fields)
    chronology.add(person, kind, timezone.now(), obj, summary, agency=actor.agency)
    return obj


@transaction.atomic
def identifier_add(*, actor: Any, person: Person, kind: str, value: str) -> Identifier:
    identifier = Identifier(person=person, kind=kind, value=value, issuer=actor.agency)
    identifier.full_clean()
    if Identifier.objects.filter(person=person, kind=identifier.kind, value=identifier.value).exists():
        raise ValidationError({"value": "This person already has that identifier"})
    return _add_child(
        actor,
        person,
        identifier,
        "identifier_added",
        f"{identifier.get_kind_display()} added",
        ["kind", "value"],
    )


@transaction.atomic
def alias_add(
    *, actor: Any, person: Person, kind: str, given_name: str = "", family_name: str = ""
) -> PersonAlias:
    alias = PersonAlias(person=person, kind=kind, given_name=given_name, family_name=family_name)
    return _add_child(
        actor,
        person,
        alias,
        "alias_added",
        f"{alias.get_kind_display()} added",
        ["kind", "given_name", "family_name"],
    )


@transaction.atomic
def address_add(*, actor: Any, person: Person, **data: Any) -> Address:
    address = Address(person=person, **data)
    return _add_child(
        actor, person, address, "address_added", f"{address.get_kind_display()} address added", list(data)
    )


@transaction.atomic
def relationship_add(
    *, actor: Any, person: Person, related_person: Person, kind: str, **data: Any
) -> Relationship:
    """Record `person` <kind> `related_person` and its inverse. Both must be editable by the actor."""
    _require_edit(actor, related_person)
    if person.pk == related_person.pk:
        raise ValidationError(
            {"related_person": "Select a different person: a person cannot be related to themselves"}
        )
    if kind not in INVERSE_RELATIONSHIP:
        raise ValidationError({"kind": "Select a relationship"})
    if Relationship.objects.filter(person=person, related_person=related_person, kind=kind).exists():
        raise ValidationError({"kind": "This relationship is already recorded"})
    forward = Relationship(person=person, related_person=related_person, kind=kind, **data)
    _add_child(
        actor,
        person,
        forward,
        "relationship_added",
        f"{forward.get_kind_display()} a linked person",
        ["kind", "related_person"],
    )
    inverse = Relationship(
        person=related_person, related_person=person, kind=INVERSE_RELATIONSHIP[kind], **data
    )
    _add_child(
        actor,
        related_person,
        inverse,
        "relationship_added",
        f"{inverse.get_kind_display()} a linked person",
        ["kind", "related_person"],
    )
    return forward


@transaction.atomic
def marker_add(*, actor: Any, person: Person, kind: str, note: str = "", review_date=None) -> Marker:
    marker = Marker(person=person, kind=kind, note=note, raised_by=actor, review_date=review_date)
    return _add_child(
        actor,
        person,
        marker,
        "marker_added",
        f"Warning marker: {marker.get_kind_display()}",
        ["kind", "note", "review_date"],
    )
