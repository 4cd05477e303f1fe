"""The activities cast: the partnership manager (Leeds children's social care), a manager in another
force's partnership, teams with a workload, and a helper to record an activity."""

from datetime import date

import pytest

from safehub.activities import services
from safehub.core.models import Agency, AgencyKind, District, Force, Team
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )


@pytest.fixture
def other_manager(db):
    """The partnership manager of another force (North Yorkshire)."""
    force = Force.objects.create(code="north-yorkshire", name="North Yorkshire")
    york = District.objects.create(force=force, code="york", name="York")
    agency = Agency.objects.create(
        force=force,
        code="york-csc",
        name="York Children's Social Care",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    )
    agency.districts.add(york)
    return UserFactory(
        username="york-partnership", agency=agency, district=york, roles=[Role.PARTNERSHIP_MANAGER]
    )


@pytest.fixture
def teams(agencies, districts):
    return {
        "leeds_mash": Team.objects.create(
            agency=agencies["leeds_csc"], district=districts["leeds"], name="Leeds MASH"
        ),
        "bradford_mash": Team.objects.create(
            agency=agencies["bradford_csc"], district=districts["bradford"], name="Bradford MASH"
        ),
        "missing": Team.objects.create(
            agency=agencies["police"], district=None, name="Missing from Home Team"
        ),
    }


def activity_data(**overrides):
    data = {
        "kind": "conference",
        "title": "Child sexual exploitation conference",
        "starts_on": date(2026, 3, 14),
        "venue": "Leeds Civic Hall",
        "lead_organisation": "Leeds Safeguarding Children Partnership",
        "partner_organisations": ["West Yorkshire Police", "Leeds Children's Social Care"],
        "themes": ["cse"],
        "attendance": 106,
        "attendance_noun": "delegates",
    }
    data.update(overrides)
    return data


def record(actor, **overrides):
    return services.activity_create(actor=actor, **activity_data(**overrides))


@pytest.fixture
def fake_targets():
    """A stand-in for the analytics provider: one series, with data from April 2020 to last month."""
    from safehub.activities import targets

    saved = (targets._choices, targets._check, targets._categories)

    def check(series, category, district, starts_on):
        if series != "contacts.demand":
            return {"target_series": f"There is no measure {series!r}"}
        if starts_on and not date(2020, 4, 1) <= starts_on <= date(2026, 11, 1):
            return {
                "starts_on": "The campaign must start inside the measure's data (April 2020 to November 2026)"
            }
        return {}

    targets.register(choices=lambda: [("contacts.demand", "Contacts: demand")], check=check)
    yield targets
    targets._choices, targets._check, targets._categories = saved


def campaign_data(**overrides):
    data = activity_data(
        kind="campaign",
        title="Know your right to ask: Clare's Law awareness",
        starts_on=date(2026, 2, 1),
        venue="",
        themes=["domestic_abuse"],
        attendance=None,
        attendance_noun="",
        reach=52000,
        target_series="contacts.demand",
        target_category="domestic",
    )
    data.update(overrides)
    return data
