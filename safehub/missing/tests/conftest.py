"""The missing-persons cast on top of the standard one: the police missing person coordinator, a
child in a Leeds care home (held by children's social care and shared with the police under the
missing-from-care protocol), an older adult, and a tiny PNG for profile photos."""

import base64
from datetime import date, timedelta

import pytest
from django.utils import timezone

from safehub.core.models import ConsentStatus, LawfulBasis, Share
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def coordinator(agencies, districts):
    return UserFactory(
        username="missing",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.MISSING_COORDINATOR],
    )


def share_with_police(person, agencies, granted_by):
    return Share.objects.create(
        object_type="people.person",
        object_id=person.pk,
        to_agency=agencies["police"],
        from_agency=person.owning_agency,
        purpose="West Yorkshire joint protocol for children missing from home and care",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        condition="dpa_sch1_18",
        consent_status=ConsentStatus.NOT_SOUGHT,
        consent_note="Safeguarding a child who goes missing",
        granted_by=granted_by,
        expires_at=timezone.now() + timedelta(days=365),
    )


@pytest.fixture
def child(agencies, districts, owner):
    person = PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Kayla",
        family_name="Testchild",
        date_of_birth=date(2011, 3, 14),
    )
    share_with_police(person, agencies, owner)
    return person


@pytest.fixture
def older_adult(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Harold",
        family_name="Testelder",
        date_of_birth=date(1941, 6, 2),
    )


@pytest.fixture
def png():
    return PNG
