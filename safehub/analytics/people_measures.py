"""Equality monitoring and data-quality measures over the person index, aggregates only.

Held here on the people app's behalf until `safehub/people/measures.py` exists (the registry then
uses that instead). Same shape as every app's `MEASURES`. No function returns a person-level value:
only counts by group.

"People in contact with the partnership" in a period are the people with at least one timeline
entry (any app's chronology event: a contact, referral, missing episode, meeting case, ...) in it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from safehub.analytics.rules import age_band
from safehub.people.models import ChronologyEvent, Ethnicity, Identifier, Person, Sex


def _in_contact(start: datetime, end: datetime):
    events = ChronologyEvent.objects.filter(person=OuterRef("pk"), at__gte=start, at__lt=end)
    return Person.objects.filter(Exists(events))


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _by(field: str, start: datetime, end: datetime, labels: dict[str, str]) -> list[dict[str, Any]]:
    period = Counter(
        dict(_in_contact(start, end).values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    )
    index = Counter(dict(Person.objects.values_list(field).annotate(n=Count("pk")).values_list(field, "n")))
    return [
        {
            "group": code,
            "label": labels.get(code, code),
            "people_in_period": period[code],
            "people_on_index": index[code],
        }
        for code in sorted(set(period) | set(index))
    ]


def people_by_ethnicity(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"group", "label", "people_in_period", "people_on_index"}] by ONS ethnic group."""
    return _by("ethnicity", start, end, dict(Ethnicity.choices))


def people_by_sex(start: datetime, end: datetime) -> list[dict[str, Any]]:
    return _by("sex", start, end, dict(Sex.choices))


def people_by_age_band(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Age at the end of the period, in bands (unknown: no date of birth)."""
    on = timezone.localtime(end).date()
    period = Counter(
        age_band(_age(born, on)) for born in _in_contact(start, end).values_list("date_of_birth", flat=True)
    )
    index = Counter(
        age_band(_age(born, on)) for born in Person.objects.values_list("date_of_birth", flat=True)
    )
    return [
        {"group": band, "label": band, "people_in_period": period[band], "people_on_index": index[band]}
        for band in sorted(
            set(period) | set(index),
            key=lambda b: (b == "unknown", int(b.split("-")[0].rstrip("+")) if b != "unknown" else 0),
        )
    ]


def data_quality(start: datetime, end: datetime) -> dict[str, Any]:
    """People in contact in the period with no ethnicity recorded, no date of birth, and no
    identifier (NHS number or other) to link them across agencies ("unlinked")."""
    people = _in_contact(start, end)
    with_id = Identifier.objects.filter(person=OuterRef("pk"))
    counts = people.aggregate(
        people=Count("pk"),
        ethnicity_not_stated=Count("pk", filter=Q(ethnicity=Ethnicity.NOT_STATED)),
        no_date_of_birth=Count("pk", filter=Q(date_of_birth__isnull=True)),
    )
    counts["unlinked"] = people.exclude(Exists(with_id)).count()
    total = counts["people"]
    for key in ("ethnicity_not_stated", "no_date_of_birth", "unlinked"):
        counts[f"{key}_percent"] = round(100 * counts[key] / total, 1) if total else None
    return counts


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Any
    caveats: str = ""


_CONTACT = "People with at least one timeline entry (from any module) in the period"
MEASURES = (
    Measure(
        "equality_ethnicity",
        "People in contact by ethnic group",
        f"{_CONTACT}, by ONS ethnic group, beside everyone on the person index.",
        people_by_ethnicity,
        "Ethnicity is as recorded by the practitioner; 'not stated' is a group of its own.",
    ),
    Measure(
        "equality_sex",
        "People in contact by sex",
        f"{_CONTACT}, by sex registered at birth, beside everyone on the person index.",
        people_by_sex,
    ),
    Measure(
        "equality_age_band",
        "People in contact by age band",
        f"{_CONTACT}, by age band at the end of the period, beside everyone on the person index.",
        people_by_age_band,
        "Age from the recorded date of birth; estimated dates of birth count as recorded.",
    ),
    Measure(
        "data_quality",
        "Data quality of person records",
        f"{_CONTACT}: how many have no ethnicity recorded, no date of birth, or no identifier to link "
        "them across agencies (unlinked).",
        data_quality,
        "Unlinked means no NHS number or other identifier on the person index, not a failed match.",
    ),
)
