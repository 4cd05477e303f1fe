"""The fund's cast: the partnership manager (Leeds children's social care), and a round with an
application ready to award."""

from datetime import date
from decimal import Decimal

import pytest

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.fund import services


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )


@pytest.fixture
def fund_round(manager):
    return services.round_create(
        actor=manager,
        number=1,
        name="Round 1",
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 5, 31),
        budget="10000.00",
    )


def apply(manager, fund_round, districts, *, amount="4000.00", people=250, theme="domestic_abuse", **extra):
    return services.application_create(
        actor=manager,
        round=fund_round,
        organisation=extra.pop("organisation", "Aire Community Trust"),
        project=extra.pop("project", "Peer support for survivors"),
        theme=theme,
        districts=extra.pop("district_list", [districts["leeds"]]),
        amount_requested=amount,
        projected_people=people,
        submitted_on=date(2025, 5, 1),
    )


def award(manager, application, amount=None):
    return services.award_create(
        actor=manager,
        application=application,
        amount=amount if amount is not None else application.amount_requested,
        awarded_on=date(2025, 6, 20),
    )


PENNY = Decimal("0.01")
