"""Fund pages: the summary shows totals that match the records; the manager awards from the page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from safehub.fund import rules
from safehub.fund.models import FundAward
from safehub.fund.tests.conftest import apply, award

pytestmark = pytest.mark.django_db


def test_summary_page_totals_match_the_records(client, commissioner, manager, fund_round, districts):
    award(manager, apply(manager, fund_round, districts, amount="1234.56", people=1500))
    award(
        manager,
        apply(manager, fund_round, districts, amount="765.44", people=499, organisation="Calder Arts"),
    )
    client.force_login(commissioner)
    page = client.get("/fund/").content.decode()
    total = FundAward.objects.aggregate(t=Sum("amount"))["t"]
    assert total == Decimal("2000.00")
    assert f'id="fund-awarded">{rules.pounds(total)}<' in page
    assert f'id="fund-projects">{FundAward.objects.count()}<' in page
    assert (
        "Round 1 has awarded 2 projects a share of £2,000.00; "
        "we anticipate the projects will impact 2k people." in page
    )
    assert "Add a round" not in page


def test_summary_for_chosen_rounds(client, commissioner, manager, fund_round, districts):
    from safehub.fund import services

    round2 = services.round_create(
        actor=manager,
        number=2,
        name="Round 2",
        opens_on=date(2025, 7, 1),
        closes_on=date(2025, 8, 1),
        budget="900",
    )
    award(manager, apply(manager, fund_round, districts, amount="100.00", people=10))
    award(manager, apply(manager, round2, districts, amount="200.00", people=20))
    client.force_login(commissioner)
    page = client.get("/fund/?round=2").content.decode()
    assert "Round 2 has awarded 1 project £200.00; we anticipate the project will impact 20 people." in page
    both = client.get("/fund/").content.decode()
    assert "Rounds 1 and 2 have awarded 2 projects a share of £300.00" in both


def test_synthetic_rounds_are_labelled(client, manager, fund_round):
    fund_round.synthetic = True
    fund_round.save()
    client.force_login(manager)
    assert "Synthetic demo figures" in client.get("/fund/").content.decode()


def test_manager_awards_from_the_page_and_over_budget_is_an_error(client, manager, fund_round, districts):
    application = apply(manager, fund_round, districts, amount="9000.00")
    other = apply(manager, fund_round, districts, amount="5000.00", organisation="Pennine Trust")
    award(manager, other, amount="5000.00")
    client.force_login(manager)
    data = {"awarded_on_0": 1, "awarded_on_1": 7, "awarded_on_2": 2025}
    response = client.post(f"/fund/applications/{application.pk}/award/", {**data, "amount": "£5,000.01"})
    assert response.status_code == 400 and "left in the budget" in response.content.decode()
    response = client.post(f"/fund/applications/{application.pk}/award/", {**data, "amount": "-1"})
    assert response.status_code == 400 and "cannot be negative" in response.content.decode()
    response = client.post(f"/fund/applications/{application.pk}/award/", {**data, "amount": "£5,000.00"})
    assert response.status_code == 302
    made = FundAward.objects.get(application=application)
    assert made.amount == Decimal("5000.00")
    page = client.get(f"/fund/awards/{made.pk}/").content.decode()
    assert "No returns yet" in page and "£0.00" in page


def test_manager_adds_a_round_and_an_application(client, manager, districts):
    client.force_login(manager)
    response = client.post(
        "/fund/rounds/new/",
        {
            "number": 6,
            "name": "Round 6",
            "opens_on_0": 1,
            "opens_on_1": 4,
            "opens_on_2": 2026,
            "closes_on_0": 31,
            "closes_on_1": 5,
            "closes_on_2": 2026,
            "budget": "150,000.00",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{response.url}applications/new/",
        {
            "organisation": "Hollybank Women's Centre",
            "project": "Stalking advocacy",
            "theme": "stalking_harassment",
            "districts": [districts["leeds"].pk],
            "amount_requested": "8000",
            "projected_people": "120",
            "submitted_on_0": 2,
            "submitted_on_1": 5,
            "submitted_on_2": 2026,
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_roles_and_scope(client, officer, analyst, manager, fund_round):
    client.force_login(officer)
    assert client.get("/fund/").status_code == 403
    client.force_login(analyst)
    assert client.get("/fund/").status_code == 200
    assert client.get(f"/fund/rounds/{fund_round.pk}/").status_code == 200
    assert client.get(f"/fund/rounds/{fund_round.pk}/applications/new/").status_code == 403
    assert client.get("/fund/rounds/00000000-0000-0000-0000-000000000000/").status_code == 404
