"""The domestic abuse cast on top of the standard one: the IDVA service and an IDVA, a victim and
a suspect held by the police, and helpers that make domestic abuse contacts and outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from safehub.contacts.models import Contact, ContactPerson
from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.protection.models import CriminalJusticeOutcome


@pytest.fixture
def idva_agency(districts):
    return AgencyFactory(
        code="idva-service",
        name="West Yorkshire IDVA Service",
        kind=AgencyKind.IDVA_SERVICE,
        districts=[districts["leeds"], districts["bradford"]],
    )


@pytest.fixture
def idva(idva_agency, districts):
    return UserFactory(username="idva", agency=idva_agency, district=districts["leeds"], roles=[Role.IDVA])


@pytest.fixture
def victim(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Rosalind",
        family_name="Testvictim",
        date_of_birth=date(1990, 5, 17),
    )


@pytest.fixture
def suspect(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Gareth",
        family_name="Testsuspect",
        date_of_birth=date(1987, 11, 2),
    )


def da_contact(
    officer, district, *, victim=None, suspect=None, received_at: datetime | None = None, narrative=""
):
    contact = Contact.objects.create(
        owning_agency=officer.agency,
        district=district,
        received_at=received_at or timezone.now() - timedelta(hours=2),
        channel="999",
        category="domestic",
        narrative=narrative or "Caller reports shouting next door (synthetic).",
        recorded_by=officer,
    )
    for role, person in (("victim", victim), ("suspect", suspect)):
        if person is not None:
            ContactPerson.objects.create(contact=contact, person=person, role=role, added_by=officer)
    return contact


def outcome(contact, code, officer, *, days=5):
    return CriminalJusticeOutcome.objects.create(
        owning_agency=contact.owning_agency,
        district=contact.district,
        contact=contact,
        outcome=code,
        # Local wall-clock days, so a week that crosses the clocks changing stays five days.
        outcome_at=timezone.localtime(contact.received_at) + timedelta(days=days),
        recorded_by=officer,
    )


@pytest.fixture
def contact(officer, districts, victim, suspect):
    return da_contact(
        officer,
        districts["leeds"],
        victim=victim,
        suspect=suspect,
        narrative="Rosalind Testvictim says Gareth pushed her; call 07700 900123 or rosalind@example.com.",
    )
