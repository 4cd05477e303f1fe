"""Reads: instruments and versions (reference data), a user's assessments (scoped), calibration."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from safehub.core.rules import Event
from safehub.instruments import outcomes
from safehub.instruments.models import Assessment, Instrument, InstrumentVersion

FOLLOW_UP = timedelta(days=365)
HIGH = "high"


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.prefetch_related("versions")


def instrument_current(instrument_id: str) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.select_related("instrument")
        .filter(instrument_id=instrument_id, is_current=True)
        .first()
    )


def instrument_version(instrument_id: str, version: int) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.select_related("instrument")
        .filter(instrument_id=instrument_id, version=version)
        .first()
    )


def assessment_list_for(user: Any, *, person: Any = None) -> QuerySet[Assessment]:
    """The assessments `user` may see (optionally one person's), newest first.

    Uses index assessment_person_at when filtered by person.
    """
    assessments = Assessment.objects.visible_to(user).select_related(
        "instrument_version", "assessor", "assessor_agency"
    )
    if person is not None:
        assessments = assessments.filter(person=person)
    return assessments.order_by("-assessed_at", "id")


def later_high_risk_assessments(
    person_ids: set[UUID], start: datetime, end: datetime
) -> list[outcomes.Outcome]:
    """Outcome provider of this app: any assessment (any instrument) with the level high.

    Uses index assessment_person_at.
    """
    rows = Assessment.objects.filter(
        person_id__in=person_ids, level=HIGH, assessed_at__gte=start, assessed_at__lte=end
    ).values_list("person_id", "assessed_at")
    return [(person_id, when, "later_high_risk_assessment") for person_id, when in rows]


@dataclass
class CalibrationRow:
    level: str
    label: str
    assessed: int = 0
    followed_up: int = 0
    with_outcome: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Percentage of the people assessed with a harm outcome within 12 months."""
        return round(100 * self.with_outcome / self.assessed, 1) if self.assessed else None


@dataclass
class Calibration:
    instrument_id: str
    version: int
    title: str
    rows: list[CalibrationRow]
    total: CalibrationRow
    kinds: list[str]
    as_of: datetime


def calibration(version: InstrumentVersion, *, now: datetime | None = None) -> Calibration:
    """For each band of `version`: people assessed, and how many had a later harm outcome.

    Each person counts once, in the band of their first assessment with this version. A harm
    outcome is one any registered provider returns (this app: a later assessment with the level
    high, any instrument) after that assessment and within 12 months of it. `followed_up` counts
    the people whose 12 months have ended. Aggregate only: no person-level data leaves here.
    Uses index assessment_version_at.
    """
    now = now or timezone.now()
    definition = version.parsed
    first: dict[UUID, tuple[datetime, str]] = {}
    for person_id, at, level in (
        Assessment.objects.filter(instrument_version=version)
        .order_by("assessed_at", "id")
        .values_list("person_id", "assessed_at", "level")
    ):
        first.setdefault(person_id, (at, level))

    found: dict[UUID, dict[str, bool]] = defaultdict(dict)
    kinds = set(outcomes.STANDARD_KINDS)
    if first:
        start = min(at for at, _ in first.values())
        end = max(at for at, _ in first.values()) + FOLLOW_UP
        for person_id, when, kind in outcomes.collect(set(first), start, end):
            kinds.add(kind)
            assessed_at = first.get(person_id, (None, ""))[0]
            if assessed_at is not None and assessed_at < when <= assessed_at + FOLLOW_UP:
                found[person_id][kind] = True

    ordered_kinds = [*outcomes.STANDARD_KINDS, *sorted(kinds - set(outcomes.STANDARD_KINDS))]
    rows = {
        band.level: CalibrationRow(band.level, band.label, by_kind=dict.fromkeys(ordered_kinds, 0))
        for band in definition.bands
    }
    total = CalibrationRow("all", "All bands", by_kind=dict.fromkeys(ordered_kinds, 0))
    for person_id, (at, level) in first.items():
        row = rows.get(level) or rows.setdefault(
            level, CalibrationRow(level, level, by_kind=dict.fromkeys(ordered_kinds, 0))
        )
        for target in (row, total):
            target.assessed += 1
            target.followed_up += int(at + FOLLOW_UP <= now)
            target.with_outcome += int(bool(found.get(person_id)))
            for kind in found.get(person_id, {}):
                target.by_kind[kind] += 1
    return Calibration(
        instrument_id=version.instrument_id,
        version=version.version,
        title=definition.title,
        rows=list(rows.values()),
        total=total,
        kinds=ordered_kinds,
        as_of=now,
    )


# Instruments whose assessments are listing-rule events, and the event type each becomes.
HISTORY_EVENT_TYPES = {"dash": "dash", "child-exploitation": "exploitation_assessment"}


def history_events(
    person_ids: set[Any] | None, since: datetime | None, until: datetime
) -> Iterator[tuple[Any, Event]]:
    """History provider (core.histories): `dash` (score, level, override_level) and
    `exploitation_assessment` (level, score) events per person. Uses index assessment_person_at.
    """
    rows = Assessment.objects.filter(
        instrument_version__instrument_id__in=list(HISTORY_EVENT_TYPES), assessed_at__lte=until
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    if since is not None:
        rows = rows.filter(assessed_at__gte=since)
    values = rows.values_list(
        "person_id",
        "pk",
        "assessed_at",
        "instrument_version__instrument_id",
        "score",
        "level",
        "override_level",
    )
    for person_id, pk, at, instrument_id, score, level, override_level in values.iterator(chunk_size=2000):
        attrs: dict[str, Any] = {"score": score, "level": level}
        if override_level:
            attrs["override_level"] = override_level
        yield person_id, Event(HISTORY_EVENT_TYPES[instrument_id], at, attrs, str(pk))
