"""People's histories as listing-rule events, gathered from every app that owns some.

`core` imports no app, so each app that owns events registers a provider here at start-up (in its
AppConfig.ready) and `meetings`, `missing` and the rest ask for a history through this module:

    histories.register("contacts", contact_events, event_types=("contact_victim", "da_incident"))
    history = histories.for_people([person.pk], until=now)           # {person_id: [Event, ...]}
    people = histories.people_with_events(("da_incident", "dash"), since=a_year_ago, until=now)

A provider is `provider(person_ids, since, until)` returning an iterable of (person_id, Event):
`person_ids` is a set of UUIDs, or None for everyone (then `since` is always given, so a provider
can use an index on its date column); `since` None means the whole history; both ends inclusive.
Events carry no names: `ref` is the source record's UUID, attrs only what a rule filters on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safehub.core.rules import Event

Provider = Callable[[set[Any] | None, datetime | None, datetime], Iterable[tuple[Any, Event]]]


@dataclass(frozen=True)
class Source:
    name: str
    provider: Provider
    event_types: tuple[str, ...]


_sources: dict[str, Source] = {}


def register(name: str, provider: Provider, *, event_types: Collection[str]) -> None:
    """Add (or replace) the source called `name`, which contributes events of `event_types`."""
    if not callable(provider):
        raise TypeError("A history provider must be callable")
    if not event_types:
        raise ValueError("A history provider must name the event types it contributes")
    _sources[name] = Source(name, provider, tuple(event_types))


def unregister(name: str) -> None:
    _sources.pop(name, None)


def registered() -> dict[str, Source]:
    return dict(_sources)


def event_types() -> set[str]:
    """Every event type some registered provider contributes."""
    return {t for source in _sources.values() for t in source.event_types}


def _sources_for(types: Collection[str] | None) -> list[Source]:
    wanted = None if types is None else set(types)
    return [
        source
        for _, source in sorted(_sources.items())
        if wanted is None or wanted.intersection(source.event_types)
    ]


def _collect(
    person_ids: set[Any] | None, since: datetime | None, until: datetime, types: Collection[str] | None
) -> dict[Any, list[Event]]:
    wanted = None if types is None else set(types)
    history: dict[Any, list[Event]] = defaultdict(list)
    for source in _sources_for(types):
        for person_id, event in source.provider(person_ids, since, until):
            if not isinstance(event, Event):
                raise TypeError(f"History provider {source.name!r} returned {event!r}, not a rules.Event")
            if wanted is not None and event.type not in wanted:
                continue
            if (since is not None and event.at < since) or event.at > until:
                continue
            history[person_id].append(event)
    for events in history.values():
        events.sort(key=lambda e: (e.at, e.type, e.ref))
    return dict(history)


def for_people(
    person_ids: Iterable[Any],
    *,
    until: datetime,
    since: datetime | None = None,
    types: Collection[str] | None = None,
) -> dict[Any, list[Event]]:
    """Each person's events (oldest first) up to `until`, of `types` (default every type)."""
    ids = set(person_ids)
    if not ids:
        return {}
    return _collect(ids, since, until, types)


def people_with_events(types: Collection[str], *, since: datetime, until: datetime) -> dict[Any, list[Event]]:
    """Everyone with at least one event of `types` between `since` and `until`, with those events.

    For listing candidates: evaluate each person's full history (`for_people`) afterwards, since a
    rule may look back further than `since`.
    """
    return _collect(None, since, until, types)
