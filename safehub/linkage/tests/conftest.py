"""The linkage cast on top of the standard one: a model folder of the test's own, a fresh
matcher for each test, and a Leeds MASH manager."""

from datetime import date
from types import SimpleNamespace

import pytest

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.linkage import matching, services
from safehub.people.models import Address, Identifier
from safehub.people.tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def _model_folder(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    matching._cache.clear()
    yield
    matching._cache.clear()


@pytest.fixture
def admin_user(agencies):
    return UserFactory(username="admin", agency=agencies["police"], district=None, roles=[Role.ADMIN])


def make_person(agency, district, given, family, dob, postcode="", line1="", town="Leeds", nhs=""):
    person = PersonFactory(
        owning_agency=agency, district=district, given_name=given, family_name=family, date_of_birth=dob
    )
    if postcode or line1:
        Address.objects.create(person=person, line1=line1 or "1 Test Street", town=town, postcode=postcode)
    if nhs:
        Identifier.objects.create(person=person, kind="nhs_number", value=nhs)
    return person


@pytest.fixture
def index(agencies, districts):
    """A small Leeds index (and one Bradford person) with distinct synthetic people."""
    leeds, bradford = districts["leeds"], districts["bradford"]
    return {
        "olivia": make_person(
            agencies["leeds_csc"], leeds, "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB", "14 Grove Lane"
        ),
        "jacob": make_person(agencies["police"], leeds, "Jacob", "Samplewood", date(1988, 11, 23), "LS9 8QT"),
        "priya": make_person(
            agencies["leeds_school"], leeds, "Priya", "Examplesen", date(2010, 7, 1), "LS12 3DE"
        ),
        "noah": make_person(
            agencies["bradford_csc"],
            bradford,
            "Noah",
            "Fictionby",
            date(2009, 2, 17),
            "BD7 1AA",
            "3 Mill Row",
        ),
    }


def check_extract(mash, districts, content, name="extract.csv"):
    """A Leeds health extract checked (not linked) by `mash`."""
    return services.extract_check(
        actor=mash,
        district=districts["leeds"],
        partner_name="Leeds health",
        partner_kind="health",
        filename=name,
        content=content if isinstance(content, bytes) else content.encode(),
    )


@pytest.fixture
def second_chunk_dies(monkeypatch):
    """The matcher fails on its second chunk, as a run killed part-way would; `.stop()` gives it
    back its real predict."""
    real = matching.Matcher.predict
    calls = {"n": 0}

    def dies_on_the_second_chunk(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(matching.Matcher, "predict", dies_on_the_second_chunk)
    return SimpleNamespace(stop=lambda: monkeypatch.setattr(matching.Matcher, "predict", real))
