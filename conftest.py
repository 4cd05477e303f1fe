"""The standard cast, shared by every app's tests (healthchecks' alice/bob/charlie idea).

- `owner`: a practitioner in the agency that holds `person` (Leeds children's social care)
- `partner`: a practitioner in a Leeds school, with an active share of `person`
- `outsider`: a practitioner in a Bradford agency, no share
- `mash`: a Leeds MASH practitioner (district-wide role scope)
- `analyst`, `commissioner`: aggregate only; `auditor`; `admin`
"""

import importlib
import os
from datetime import timedelta
from types import SimpleNamespace

import factory.random
import pytest
from django.utils import timezone

from safehub.core.models import AgencyKind, ConsentStatus, LawfulBasis, Share
from safehub.core.roles import Role
from safehub.core.tests.factories import TEST_PASSWORD, AgencyFactory, DistrictFactory, UserFactory
from safehub.people.tests.factories import PersonFactory

# Test data is made up by Faker (names, dates of birth). Each test seeds it from SAFEHUB_TEST_SEED
# and its own id, so a run is reproducible: a failure that depends on a drawn name (an apostrophe
# in O'Connor, say) fails every time with the same seed, and another seed draws other people.
TEST_SEED = os.environ.get("SAFEHUB_TEST_SEED", "1")


def pytest_report_header(config):
    return f"test data: Faker seeded per test from SAFEHUB_TEST_SEED={TEST_SEED} and the test's id"


@pytest.fixture(autouse=True)
def _seeded_test_data(request):
    factory.random.reseed_random(f"{TEST_SEED}:{request.node.nodeid}")


@pytest.fixture
def districts(db):
    return {
        "leeds": DistrictFactory(code="leeds", name="Leeds", ons_code="E08000035"),
        "bradford": DistrictFactory(code="bradford", name="Bradford", ons_code="E08000032"),
    }


@pytest.fixture
def agencies(districts):
    leeds, bradford = districts["leeds"], districts["bradford"]
    return {
        "police": AgencyFactory(
            code="wyp", name="West Yorkshire Police", kind=AgencyKind.POLICE, districts=[leeds, bradford]
        ),
        "leeds_csc": AgencyFactory(
            code="leeds-csc",
            name="Leeds Children's Social Care",
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            districts=[leeds],
        ),
        "leeds_school": AgencyFactory(
            code="leeds-school", name="Aire Valley Primary School", kind=AgencyKind.SCHOOL, districts=[leeds]
        ),
        "bradford_csc": AgencyFactory(
            code="bradford-csc",
            name="Bradford Children's Social Care",
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            districts=[bradford],
        ),
        "mayor": AgencyFactory(
            code="mayor",
            name="Office of the Mayor",
            kind=AgencyKind.COMMISSIONER_OFFICE,
            districts=[leeds, bradford],
        ),
    }


def _user(username, agency, district, *roles):
    return UserFactory(username=username, agency=agency, district=district, roles=list(roles))


@pytest.fixture
def owner(agencies, districts):
    return _user("owner", agencies["leeds_csc"], districts["leeds"], Role.PARTNER_PRACTITIONER)


@pytest.fixture
def partner(agencies, districts):
    return _user("partner", agencies["leeds_school"], districts["leeds"], Role.PARTNER_PRACTITIONER)


@pytest.fixture
def outsider(agencies, districts):
    return _user("outsider", agencies["bradford_csc"], districts["bradford"], Role.PARTNER_PRACTITIONER)


@pytest.fixture
def mash(agencies, districts):
    return _user("mash", agencies["leeds_csc"], districts["leeds"], Role.MASH_PRACTITIONER)


@pytest.fixture
def officer(agencies, districts):
    return _user("officer", agencies["police"], districts["leeds"], Role.OFFICER)


@pytest.fixture
def analyst(agencies, districts):
    return _user("analyst", agencies["police"], districts["leeds"], Role.ANALYST)


@pytest.fixture
def commissioner(agencies):
    return _user("commissioner", agencies["mayor"], None, Role.COMMISSIONER)


@pytest.fixture
def auditor(agencies):
    return _user("auditor", agencies["police"], None, Role.AUDITOR)


@pytest.fixture
def person(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Amelia",
        family_name="Testperson",
    )


@pytest.fixture
def bradford_person(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["bradford_csc"],
        district=districts["bradford"],
        given_name="Bradley",
        family_name="Elsewhere",
    )


@pytest.fixture
def share(person, owner, agencies):
    return Share.objects.create(
        object_type="people.person",
        object_id=person.pk,
        to_agency=agencies["leeds_school"],
        from_agency=agencies["leeds_csc"],
        purpose="Operation Encompass follow-up",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        condition="dpa_sch1_18",
        consent_status=ConsentStatus.NOT_SOUGHT,
        consent_note="Seeking consent would place the child at risk",
        granted_by=owner,
        expires_at=timezone.now() + timedelta(days=30),
    )


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client):
    """An API client authenticated as `user` with a real token from /api/v1/auth/token/."""

    def _as(user):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.content
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return api_client

    return _as


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles and lockouts count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_triggers(request):
    """Every database test runs with the audit table's append-only triggers in place.

    Transactional and live-server tests are emptied by a flush afterwards, which the triggers
    would refuse: for those the triggers are dropped at teardown, just before the flush, and
    installed again at the start of the next database test (here), whatever its kind.
    """
    uses = set(request.fixturenames)
    if not uses & {"db", "transactional_db", "live_server"}:
        yield
        return
    transactional = bool(uses & {"transactional_db", "live_server"})
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    trigger_sets = [
        importlib.import_module("safehub.core.migrations.0002_audit_append_only"),
        importlib.import_module("safehub.core.migrations.0005_audit_seal"),
    ]
    with connection.cursor() as cursor:
        editor = SimpleNamespace(
            connection=connection, execute=lambda sql, params=None: cursor.execute(sql, params)
        )
        for triggers in trigger_sets:
            triggers.remove(None, editor)
            triggers.install(None, editor)
    yield
    if transactional:
        with connection.cursor() as cursor:
            editor = SimpleNamespace(
                connection=connection, execute=lambda sql, params=None: cursor.execute(sql, params)
            )
            for triggers in trigger_sets:
                triggers.remove(None, editor)
