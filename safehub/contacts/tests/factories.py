"""Contact test helpers: valid UPNs, children linked to a school, contacts recorded by the service."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from safehub.contacts import services
from safehub.people import rules as people_rules
from safehub.people.models import Identifier, IdentifierKind
from safehub.people.tests.factories import PersonFactory

_serial = itertools.count(1)

LEVELS_LOW = {
    f"{name}_{part}": ("low" if part == "level" else f"{name} rationale")
    for name in ("threat", "harm", "risk", "investigation", "vulnerability", "engagement")
    for part in ("level", "rationale")
}


def upn(number: int) -> str:
    body = f"383{2000 + number % 100:04d}20{number % 1000:03d}"
    return people_rules.upn_check_letter(body) + body


def child_at_school(*, owner, district, school, dob: date, **extra):
    child = PersonFactory(owning_agency=owner, district=district, date_of_birth=dob, **extra)
    Identifier.objects.create(person=child, kind=IdentifierKind.UPN, value=upn(next(_serial)), issuer=school)
    return child


def record(actor, district, *, category="crime", received_at: datetime | None = None, people=(), **extra):
    return services.contact_create(
        actor=actor,
        district=district,
        received_at=received_at or timezone.now() - timedelta(minutes=5),
        channel=extra.pop("channel", "999"),
        category=category,
        narrative=extra.pop("narrative", "Caller reports an incident (synthetic)."),
        people=people,
        **extra,
    )


def thrive(level_overrides=None, **extra):
    data = dict(LEVELS_LOW)
    for name, level in (level_overrides or {}).items():
        data[f"{name}_level"] = level
    data.update(extra)
    return data
