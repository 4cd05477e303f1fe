"""core.histories: the registry of history providers, and the providers contacts, instruments and
referrals register (a person's events gathered without the caller importing those apps)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safehub.contacts.tests.factories import record
from safehub.core import histories
from safehub.core.rules import Event
from safehub.instruments import services as instrument_services
from safehub.instruments.tests.helpers import dash_answers, yes_to
from safehub.people.tests.factories import PersonFactory

LONDON = ZoneInfo("Europe/London")
A = uuid.uuid4()
B = uuid.uuid4()


@pytest.fixture
def registry():
    """The real registry, restored after the test."""
    saved = histories.registered()
    yield
    histories._sources.clear()
    histories._sources.update(saved)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=LONDON)


def fake(rows):
    def provider(person_ids, since, until):
        for person_id, event in rows:
            if person_ids is None or person_id in person_ids:
                yield person_id, event

    return provider


def test_events_from_every_source_come_back_per_person_oldest_first(registry):
    histories._sources.clear()
    rows = [(A, Event("dash", at(5))), (B, Event("dash", at(1)))]
    histories.register("one", fake(rows), event_types=["dash"])
    histories.register("two", fake([(A, Event("da_incident", at(2)))]), event_types=["da_incident"])

    history = histories.for_people([A], until=at(30))

    assert [e.type for e in history[A]] == ["da_incident", "dash"]
    assert B not in history


def test_until_and_since_are_inclusive_and_types_filter(registry):
    histories._sources.clear()
    rows = [(A, Event("dash", at(day))) for day in (1, 10, 20)] + [(A, Event("x", at(10)))]
    histories.register("one", fake(rows), event_types=["dash", "x"])

    history = histories.for_people([A], since=at(1), until=at(10), types=["dash"])

    assert [e.at for e in history[A]] == [at(1), at(10)]


def test_people_with_events_asks_providers_for_everyone(registry):
    histories._sources.clear()
    seen = []

    def provider(person_ids, since, until):
        seen.append((person_ids, since, until))
        return [(A, Event("missing_episode", at(3)))]

    histories.register("missing", provider, event_types=["missing_episode"])
    histories.register("other", fake([(B, Event("dash", at(3)))]), event_types=["dash"])

    found = histories.people_with_events(["missing_episode"], since=at(1), until=at(4))

    assert list(found) == [A]
    assert seen == [(None, at(1), at(4))]  # the "other" source, with no wanted type, is not asked


def test_a_provider_must_return_events(registry):
    histories._sources.clear()
    histories.register("bad", lambda ids, since, until: [(A, "not an event")], event_types=["dash"])

    with pytest.raises(TypeError, match="'bad' returned"):
        histories.for_people([A], until=at(30))


def test_registering_needs_a_callable_and_event_types(registry):
    with pytest.raises(TypeError):
        histories.register("x", "not callable", event_types=["dash"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="event types"):
        histories.register("x", fake([]), event_types=[])


def test_no_people_asks_no_provider():
    assert histories.for_people([], until=at(30)) == {}


def test_the_apps_register_their_event_types():
    assert {"contact_victim", "da_incident", "dash", "exploitation_assessment", "mash_referral"} <= (
        histories.event_types()
    )


@pytest.mark.django_db
def test_contacts_and_instruments_contribute_a_victims_history(officer, districts):
    person = PersonFactory(owning_agency=officer.agency, district=districts["leeds"])
    now = timezone.now() - timedelta(minutes=1)
    contact = record(
        officer,
        districts["leeds"],
        category="domestic",
        received_at=now - timedelta(days=2),
        people=[{"person": person, "role": "victim"}],
    )
    dash = instrument_services.assessment_create(
        actor=officer,
        person=person,
        instrument_id="dash",
        answers=dash_answers(15),
        assessed_at=now - timedelta(days=1),
    )
    screening = instrument_services.assessment_create(
        actor=officer,
        person=person,
        instrument_id="child-exploitation",
        answers=yes_to("child-exploitation", "missing"),
        assessed_at=now,
    )

    history = histories.for_people([person.pk], until=timezone.now())[person.pk]

    assert [(e.type, e.ref) for e in history] == [
        ("contact_victim", str(contact.pk)),
        ("da_incident", str(contact.pk)),
        ("dash", str(dash.pk)),
        ("exploitation_assessment", str(screening.pk)),
    ]
    assert history[2].attrs["score"] == 15 and history[2].attrs["level"] == "high"
    assert history[3].attrs["level"] == screening.level
    everyone = histories.people_with_events(["dash"], since=now - timedelta(days=3), until=timezone.now())
    assert list(everyone) == [person.pk]
