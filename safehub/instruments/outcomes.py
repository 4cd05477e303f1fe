"""Harm outcomes for calibration ("is the tool working?"), contributed by any app.

The instruments app cannot import the apps above it (contacts, missing...), so each registers a
provider here at start-up, in its AppConfig.ready:

    from safehub.instruments import outcomes
    outcomes.register("contacts", contact_outcomes,
                      labels={"repeat_victim_contact": "Repeat incident as victim"})

A provider is `provider(person_ids: set[UUID], start: datetime, end: datetime)` returning an
iterable of `(person_id, when, kind)`: every harm outcome it holds for those people between
start and end (inclusive). The calibration keeps those within 12 months after each person's
assessment. Providers read their own models only and return no personal detail beyond the id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

Outcome = tuple[UUID, datetime, str]
Provider = Callable[[set[UUID], datetime, datetime], Iterable[Outcome]]

# Always shown on the calibration page, with any other kind a provider returns.
STANDARD_KINDS = ("later_high_risk_assessment", "repeat_victim_contact", "serious_harm")
KIND_LABELS: dict[str, str] = {
    "later_high_risk_assessment": "Later high-risk assessment",
    "repeat_victim_contact": "Repeat incident as victim",
    "serious_harm": "Serious harm recorded",
}

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider, *, labels: dict[str, str] | None = None) -> None:
    """Add (or replace) the provider called `name`, with display labels for the kinds it returns."""
    if not callable(provider):
        raise TypeError("An outcome provider must be callable")
    _providers[name] = provider
    KIND_LABELS.update(labels or {})


def unregister(name: str) -> None:
    _providers.pop(name, None)


def registered() -> dict[str, Provider]:
    return dict(_providers)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def collect(person_ids: set[UUID], start: datetime, end: datetime) -> list[Outcome]:
    """Every registered provider's outcomes for `person_ids` between `start` and `end`."""
    if not person_ids:
        return []
    found: list[Outcome] = []
    for name, provider in sorted(_providers.items()):
        for row in provider(set(person_ids), start, end):
            found.append(_checked(name, row))
    return found


def _checked(name: str, row: Any) -> Outcome:
    try:
        person_id, when, kind = row
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Outcome provider {name!r} returned {row!r}, not (person_id, when, kind)") from exc
    if not isinstance(when, datetime) or not isinstance(kind, str):
        raise ValueError(f"Outcome provider {name!r} returned {row!r}, not (person_id, when, kind)")
    return (person_id if isinstance(person_id, UUID) else UUID(str(person_id)), when, kind)
