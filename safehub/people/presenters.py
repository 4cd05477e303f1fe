"""Turn person records into what templates show: no logic left for the templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from safehub.core import audit
from safehub.core.access import access_route, can_edit, parse_id
from safehub.core.models import AuditAction, Share
from safehub.core.presenters import ACCESS_ROUTE_LABELS
from safehub.people import selectors
from safehub.people.models import DobPrecision, Person


def date_of_birth_text(person: Person) -> str:
    dob = person.date_of_birth
    if dob is None:
        return "Not known"
    if person.dob_precision == DobPrecision.YEAR:
        text = f"{dob:%Y} (year only)"
    elif person.dob_precision == DobPrecision.MONTH:
        text = f"{dob:%B %Y} (month only)"
    else:
        text = f"{dob.day} {dob:%B %Y}"
    if person.dob_precision == DobPrecision.ESTIMATED:
        text += " (estimated)"
    age = person.age
    return f"{text}, age {age}" if age is not None else text


def person_row(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.full_name,
        "dob": date_of_birth_text(person),
        "district": person.district.name,
        "agency": person.owning_agency.name,
    }


def person_page(person: Person, user: Any) -> dict[str, Any]:
    route = access_route(user, person)
    return {
        "person": person,
        "dob": date_of_birth_text(person),
        "summary_rows": [
            ("Sex", person.get_sex_display()),
            ("Gender identity", person.get_gender_display()),
            ("Ethnic group", person.get_ethnicity_display()),
            ("First language", person.first_language or "Not recorded"),
            ("Interpreter", "Needed" if person.interpreter_needed else "Not needed"),
            (
                "Disability",
                person.get_disability_display()
                + (f": {person.disability_notes}" if person.disability_notes else ""),
            ),
            ("Phone", person.phone or "Not recorded"),
            ("Email", person.email or "Not recorded"),
            ("District", person.district.name),
            ("Record held by", person.owning_agency.name),
        ],
        "aliases": list(person.aliases.all()),
        "identifiers": list(person.identifiers.select_related("issuer")),
        "addresses": list(person.addresses.select_related("district")),
        "relationships": selectors.person_relationships(person, user),
        "markers": list(person.markers.all()),
        "chronology": list(person.chronology.select_related("recorded_by_agency")[:200]),
        "access_route": route,
        "access_label": ACCESS_ROUTE_LABELS.get(route, ""),
        "can_edit": can_edit(user, person),
        "history": list(selectors.person_access_history(person)),
        "shares": list(
            Share.objects.active()
            .filter(object_type="people.person", object_id=person.pk)
            .select_related("to_agency", "granted_by")
        ),
    }


def shared_rows(user: Any, shares) -> list[dict[str, Any]]:
    shares = list(shares)
    people = {
        p.pk: p
        for p in Person.objects.visible_to(user)
        .filter(pk__in=[s.object_id for s in shares])
        .select_related("district")
    }
    return [
        {"share": share, "person": people[share.object_id]} for share in shares if share.object_id in people
    ]


def related_person_or_error(user: Any, form) -> Person | None:
    """The other person in a relationship, if the user may change their record too."""
    related = Person.objects.editable_by(user).filter(pk=form.cleaned_data["related_person"]).first()
    if related is None:
        form.add_error("related_person", "Enter the record id of a person your agency holds")
    return related


def break_glass_results(user: Any, *, reason: str, query: str) -> list[dict[str, Any]]:
    """Whole-index search for an emergency: minimal details, and the search itself is flagged."""
    people = list(selectors.person_break_glass_search(query)[:20])
    audit.record(
        user,
        AuditAction.BREAK_GLASS_SEARCH,
        object_type="people.person",
        reason=reason,
        flagged=True,
        fields=["query"],
    )
    audit.record_listed(user, people)
    return [
        {
            "id": p.pk,
            "name": p.full_name,
            "dob": date_of_birth_text(p),
            "district": p.district.name,
            "agency": p.owning_agency.name,
            "reason": reason,
        }
        for p in people
    ]


def person_for_break_glass(user: Any, person_id: Any) -> Person:
    if not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")
    person = Person.objects.filter(pk=parse_id(person_id)).first()  # break-glass: the whole index, audited
    if person is None:
        raise Http404("No such record")
    return person
