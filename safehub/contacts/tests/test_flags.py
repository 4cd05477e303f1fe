"""Repeat victim and repeat location flags, evaluated through the services and the rule engine."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.contacts import selectors
from safehub.core.rulesets import ruleset_version_create

from .factories import record

pytestmark = pytest.mark.django_db


def victim_contact(actor, district, victim, at, **extra):
    return record(actor, district, received_at=at, people=[{"person": victim, "role": "victim"}], **extra)


def kinds(contact, user=None):
    return [(flag.kind, flag.fired.rule_id) for flag in selectors.contact_flags(contact, user)]


@pytest.mark.parametrize(("oldest_offset", "flagged"), [(timedelta(0), True), (timedelta(seconds=1), False)])
def test_repeat_victim_three_in_365_days_boundary(callhandler, districts, victim, oldest_offset, flagged):
    now = timezone.now() - timedelta(minutes=1)
    leeds = districts["leeds"]
    first = victim_contact(callhandler, leeds, victim, now - timedelta(days=365) - oldest_offset)
    second = victim_contact(callhandler, leeds, victim, now - timedelta(days=100))
    third = victim_contact(callhandler, leeds, victim, now)

    assert kinds(second) == []
    flags = selectors.contact_flags(third, callhandler)
    assert [f.kind for f in flags] == (["repeat_victim"] if flagged else [])
    if flagged:
        flag = flags[0]
        assert flag.person == victim
        assert "3 contacts recording the person as a victim" in flag.fired.reason
        assert [row.id for row in flag.earlier] == [third.pk, second.pk, first.pk]
        assert [row.current for row in flag.earlier] == [True, False, False]
        assert all(row.visible for row in flag.earlier)


def test_a_later_contact_does_not_flag_an_earlier_one(callhandler, districts, victim):
    now = timezone.now() - timedelta(minutes=1)
    first = victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=10))
    victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=5))
    victim_contact(callhandler, districts["leeds"], victim, now)
    assert kinds(first) == []


def test_other_roles_do_not_count_as_victim(callhandler, districts, victim):
    now = timezone.now() - timedelta(minutes=1)
    for days in (30, 20):
        record(
            callhandler,
            districts["leeds"],
            received_at=now - timedelta(days=days),
            people=[{"person": victim, "role": "witness"}],
        )
    third = victim_contact(callhandler, districts["leeds"], victim, now)
    assert kinds(third) == []


def test_the_partnership_can_change_the_repeat_victim_rule(callhandler, districts, victim):
    now = timezone.now() - timedelta(minutes=1)
    victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=3))
    second = victim_contact(callhandler, districts["leeds"], victim, now)
    assert kinds(second) == []
    ruleset_version_create(
        actor="job:test",
        force=districts["leeds"].force,
        effective_from=(now - timedelta(days=30)).date(),
        definition={
            "id": "repeat-victim",
            "title": "Repeat victim",
            "rules": [
                {
                    "id": "repeat_victim",
                    "title": "Repeat victim",
                    "kind": "count_in_window",
                    "event_types": ["contact_victim"],
                    "min_count": 2,
                    "window_days": 30,
                }
            ],
        },
    )
    assert kinds(second) == [("repeat_victim", "repeat_victim")]


def test_earlier_contacts_outside_the_readers_scope_are_not_linked(
    callhandler, mash, outsider, districts, victim
):
    now = timezone.now() - timedelta(minutes=1)
    bradford = districts["bradford"]
    victim_contact(callhandler, bradford, victim, now - timedelta(days=20))
    victim_contact(callhandler, bradford, victim, now - timedelta(days=10))
    third = victim_contact(callhandler, districts["leeds"], victim, now)
    flag = selectors.contact_flags(third, mash)[0]
    assert [row.visible for row in flag.earlier] == [True, False, False]


def test_repeat_location_three_in_90_days_at_the_same_postcode(callhandler, districts):
    now = timezone.now() - timedelta(minutes=1)
    leeds = districts["leeds"]
    record(callhandler, leeds, received_at=now - timedelta(days=80), postcode="LS6 1AA", category="asb")
    record(callhandler, leeds, received_at=now - timedelta(days=2), postcode="ls61aa", category="asb")
    record(callhandler, leeds, received_at=now - timedelta(days=1), postcode="LS6 1AB", category="asb")
    third = record(callhandler, leeds, received_at=now, postcode="LS6 1AA", lsoa_code="E01011234")
    flags = selectors.contact_flags(third, callhandler)
    assert [(f.kind, f.subject) for f in flags] == [("repeat_location", "LS6 1AA")]
    assert len(flags[0].earlier) == 3
    assert "3 contacts at the location in the 90 days" in flags[0].fired.reason


def test_repeat_location_falls_back_to_the_lsoa_without_a_postcode(callhandler, districts):
    now = timezone.now() - timedelta(minutes=1)
    leeds = districts["leeds"]
    record(callhandler, leeds, received_at=now - timedelta(days=91), lsoa_code="E01011234")
    record(callhandler, leeds, received_at=now - timedelta(days=30), lsoa_code="E01011234")
    record(
        callhandler, leeds, received_at=now - timedelta(days=20), lsoa_code="E01011234", postcode="LS1 1AA"
    )
    third = record(callhandler, leeds, received_at=now, lsoa_code="E01011234")
    assert kinds(third) == []  # the 91-day-old one is outside, the one with a postcode is another location
    fourth = record(callhandler, leeds, received_at=now, lsoa_code="E01011234")
    assert kinds(fourth) == [("repeat_location", "repeat_location")]


def test_victim_events_include_domestic_abuse_incidents(callhandler, districts, victim):
    now = timezone.now() - timedelta(minutes=1)
    victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=3), category="domestic")
    victim_contact(callhandler, districts["leeds"], victim, now, category="crime")
    events = selectors.victim_events([victim.pk])[victim.pk]
    assert sorted(e.type for e in events) == ["contact_victim", "contact_victim", "da_incident"]


def test_calibration_outcomes(callhandler, districts, victim):
    from safehub.instruments import outcomes

    now = timezone.now() - timedelta(minutes=1)
    victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=3), serious_harm=True)
    victim_contact(callhandler, districts["leeds"], victim, now - timedelta(days=400))
    found = outcomes.collect({victim.pk}, now - timedelta(days=30), now)
    assert sorted(kind for _, _, kind in found) == ["repeat_victim_contact", "serious_harm"]
