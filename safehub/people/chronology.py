"""The one interface through which every app writes to a person's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from safehub.people.models import ChronologyEvent, Person


def add(
    person: Person, kind: str, at: datetime, obj: Any = None, summary: str = "", *, agency=None
) -> ChronologyEvent:
    """Add one event to `person`'s chronology. `obj` is the record it is about (any app's)."""
    if not summary:
        raise ValueError("A chronology event needs a summary")
    event = ChronologyEvent(
        person=person,
        kind=kind,
        at=at,
        summary=summary[:300],
        source_type=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
        source_id=str(obj.pk) if obj is not None else "",
        recorded_by_agency=agency,
    )
    event.full_clean()
    event.save()
    return event
