"""Meetings fixtures: a Leeds MARAC coordinated by an IDVA (police and children's social care are
members), a victim listed by the rules (a DASH of 15 and 3 domestic abuse contacts), and helpers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.meetings import services
from safehub.meetings.models import Kind, MeetingSeries
from safehub.people.tests.factories import PersonFactory

STATEMENT = "What is shared at this meeting stays here and is used only to keep people safe."


@pytest.fixture
def idva_agency(districts):
    return AgencyFactory(
        code="wy-idva",
        name="West Yorkshire IDVA Service",
        kind=AgencyKind.VOLUNTARY_SECTOR,
        districts=[districts["leeds"]],
    )


@pytest.fixture
def idva(idva_agency, districts):
    return UserFactory(username="idva", agency=idva_agency, district=districts["leeds"], roles=[Role.IDVA])


@pytest.fixture
def marac(districts, agencies, idva_agency, idva):
    series = MeetingSeries.objects.create(
        kind=Kind.MARAC,
        district=districts["leeds"],
        name="Leeds MARAC",
        coordinating_agency=idva_agency,
        confidentiality_statement=STATEMENT,
    )
    series.coordinators.add(idva)
    series.member_agencies.add(agencies["police"], agencies["leeds_csc"])
    return series


@pytest.fixture
def bradford_marac(districts, agencies, outsider):
    series = MeetingSeries.objects.create(
        kind=Kind.MARAC,
        district=districts["bradford"],
        name="Bradford MARAC",
        coordinating_agency=agencies["bradford_csc"],
        confidentiality_statement=STATEMENT,
    )
    series.coordinators.add(outsider)
    series.member_agencies.add(agencies["police"])
    return series


@pytest.fixture
def meeting(marac, idva):
    return services.meeting_create(actor=idva, series=marac, starts_at=timezone.now() + timedelta(days=7))


@pytest.fixture
def victim(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Vera",
        family_name="Victimson",
        date_of_birth=date(1990, 4, 2),
    )


def dash(actor, person, yes: int, *, at=None):
    from safehub.instruments.services import assessment_create, instruments_load_shipped
    from safehub.instruments.tests.helpers import dash_answers

    instruments_load_shipped()
    return assessment_create(
        actor=actor, person=person, instrument_id="dash", answers=dash_answers(yes), assessed_at=at
    )


def da_contact(actor, person, *, days_ago: int):
    from safehub.contacts.tests.factories import record

    return record(
        actor,
        person.district,
        category="domestic",
        received_at=timezone.now() - timedelta(days=days_ago),
        people=[{"person": person, "role": "victim"}],
    )


@pytest.fixture
def listed_victim(victim, officer):
    """Visible high risk (DASH 15) and potential escalation (3 DA contacts in 12 months)."""
    for days in (200, 100, 10):
        da_contact(officer, victim, days_ago=days)
    dash(officer, victim, 15, at=timezone.now() - timedelta(days=9))
    return victim


@pytest.fixture
def on_agenda(meeting, idva, listed_victim):
    """The victim on the meeting's agenda, the coordinator having accepted the statement."""
    services.confidentiality_accept(actor=idva, meeting=meeting)
    return services.case_add_listed(actor=idva, meeting=meeting, person=listed_victim)
