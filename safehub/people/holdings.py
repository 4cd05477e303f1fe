"""Which records, in any app, are about a person: found from Django's model registry.

A record is "about" a person when its model has a foreign key to `Person`. Subject access
(`people.subject_access`) and MoPI disposal (`retention`) both walk these, so a new module's
records are covered the day it lands, with no list kept by hand. Imports point one way: this reads
the registry, it imports no other app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models

from safehub.people.models import ChronologyEvent, Person

# The person's own file, handled by name where it matters (chronology is kept as a timeline).
OWN_FILE = {"people.ChronologyEvent"}


def person_links(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is Person
    ]


def linking_models() -> Iterator[tuple[type[models.Model], models.ForeignKey]]:
    """(model, the foreign key to Person) for every model of every app that points at a person."""
    for model in apps.get_models():
        if model is Person or model is ChronologyEvent or not model._meta.managed:
            continue
        for link in person_links(model):
            yield model, link


def parents_of(row: models.Model) -> Iterator[models.Model]:
    """The case records a linking row belongs to (its contact, referral, meeting...): foreign keys
    to anything but people and reference data (organisations, users)."""
    for f in row._meta.concrete_fields:
        if not (f.is_relation and f.many_to_one) or f.related_model is Person:
            continue
        if f.related_model._meta.app_label in ("core", "auth", "contenttypes"):
            continue
        parent = getattr(row, f.name)
        if parent is not None:
            yield parent


def people_on(parent: models.Model) -> set[Any]:
    """Ids of every person linked to `parent` through any linking model."""
    found: set[Any] = set()
    for model, link in linking_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model is type(parent):
                found.update(
                    model._base_manager.filter(**{f.name: parent})
                    .exclude(**{f"{link.attname}__isnull": True})
                    .values_list(link.attname, flat=True)
                )
    return found


def counts_for(person: Person) -> dict[str, int]:
    """How many records of each kind are about `person` (for a reviewer: kinds and numbers only)."""
    counts: dict[str, int] = {}
    for model, link in linking_models():
        n = model._base_manager.filter(**{link.name: person}).count()
        if n:
            title = str(model._meta.verbose_name_plural).capitalize()
            counts[title] = counts.get(title, 0) + n
    return dict(sorted(counts.items()))
