import pytest

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory


@pytest.fixture
def callhandler(agencies, districts):
    return UserFactory(
        username="callhandler",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.CALL_HANDLER],
    )


@pytest.fixture
def victim(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Vera",
        family_name="Victimson",
    )


@pytest.fixture
def suspect(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Sid",
        family_name="Suspectley",
    )
