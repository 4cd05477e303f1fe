"""/api/v1/fund/: readers and the manager, force scope, money as strings, clear 400s."""

from datetime import date
from decimal import Decimal

import pytest

from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, DistrictFactory, ForceFactory, UserFactory
from safehub.fund import services
from safehub.fund.models import FundAward
from safehub.fund.tests.conftest import apply, award

pytestmark = pytest.mark.django_db


def test_manager_creates_a_round_an_application_and_an_award(api_as, manager, districts):
    client = api_as(manager)
    created = client.post(
        "/api/v1/fund/rounds/",
        {
            "number": 6,
            "name": "Round 6",
            "opens_on": "2026-01-05",
            "closes_on": "2026-02-27",
            "budget": "25000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["budget"] == "25000.00" and created.json()["remaining"] == "25000.00"
    application = client.post(
        "/api/v1/fund/applications/",
        {
            "round": created.json()["id"],
            "organisation": "Kestrel Youth Project",
            "project": "Detached youth work",
            "theme": "youth_violence",
            "districts": ["leeds"],
            "amount_requested": "12000.50",
            "projected_people": 400,
            "submitted_on": "2026-02-01",
        },
        format="json",
    )
    assert application.status_code == 201, application.content
    too_big = client.post(
        "/api/v1/fund/awards/",
        {"application": application.json()["id"], "amount": "12000.51", "awarded_on": "2026-03-15"},
        format="json",
    )
    assert too_big.status_code == 400 and "amount" in too_big.json()
    negative = client.post(
        "/api/v1/fund/awards/",
        {"application": application.json()["id"], "amount": "-3", "awarded_on": "2026-03-15"},
        format="json",
    )
    assert negative.status_code == 400 and "negative" in str(negative.json()["amount"])
    as_float = client.post(
        "/api/v1/fund/awards/",
        {"application": application.json()["id"], "amount": 100.5, "awarded_on": "2026-03-15"},
        format="json",
    )
    assert as_float.status_code == 400 and "amount" in as_float.json()
    assert not FundAward.objects.exists()
    made = client.post(
        "/api/v1/fund/awards/",
        {"application": application.json()["id"], "amount": "12000.50", "awarded_on": "2026-03-15"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["amount"] == "12000.50"
    ret = client.post(
        f"/api/v1/fund/awards/{made.json()['id']}/returns/",
        {"period_end": "2026-06-30", "people_reached": 120, "spend": "3000.00"},
        format="json",
    )
    assert ret.status_code == 201, ret.content
    detail = client.get(f"/api/v1/fund/awards/{made.json()['id']}/").json()
    assert detail["reported_people"] == 120 and detail["spent"] == "3000.00"


def test_over_budget_award_on_the_round(api_as, manager, fund_round, districts):
    award(manager, apply(manager, fund_round, districts, amount="9000.00"))
    second = apply(manager, fund_round, districts, amount="1500.00")
    response = api_as(manager).post(
        "/api/v1/fund/awards/",
        {"application": str(second.pk), "amount": "1500.00", "awarded_on": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 400 and "left in the budget" in str(response.json()["amount"])


def test_summary_matches_the_records(api_as, commissioner, manager, fund_round, districts):
    award(manager, apply(manager, fund_round, districts, amount="2459.97", people=91_000))
    body = api_as(commissioner).get("/api/v1/fund/summary/").json()
    total = sum(a.amount for a in FundAward.objects.all())
    assert Decimal(body["awarded"]) == total and body["projects"] == FundAward.objects.count()
    assert body["sentence"] == (
        "Round 1 has awarded 1 project £2,459.97; we anticipate the project will impact 91k people."
    )
    assert api_as(commissioner).get("/api/v1/fund/summary/?rounds=1,x").status_code == 400


def test_readers_read_and_cannot_write(api_as, commissioner, analyst, fund_round):
    for user in (commissioner, analyst):
        client = api_as(user)
        assert client.get("/api/v1/fund/rounds/").json()["count"] == 1
        assert client.get("/api/v1/fund/awards/").status_code == 200
        response = client.post(
            "/api/v1/fund/rounds/",
            {"number": 9, "name": "x", "opens_on": "2026-01-01", "closes_on": "2026-01-02", "budget": "1"},
            format="json",
        )
        assert response.status_code == 403
        assert (
            client.patch(f"/api/v1/fund/rounds/{fund_round.pk}/", {"budget": "1"}, format="json").status_code
            == 403
        )


def test_practitioners_get_403(api_as, officer, owner, outsider):
    for user in (officer, owner, outsider):
        assert api_as(user).get("/api/v1/fund/summary/").status_code == 403


def test_another_partnerships_round_is_404(api_as, fund_round):
    force = ForceFactory(code="elsewhere", name="Elsewhere")
    district = DistrictFactory(force=force, code="elsewhere-town", name="Elsewhere Town")
    agency = AgencyFactory(
        force=force, code="elsewhere-csc", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, districts=[district]
    )
    stranger = UserFactory(
        username="stranger", agency=agency, district=district, roles=[Role.PARTNERSHIP_MANAGER]
    )
    client = api_as(stranger)
    assert client.get(f"/api/v1/fund/rounds/{fund_round.pk}/").status_code == 404
    assert client.get("/api/v1/fund/rounds/").json()["count"] == 0
    assert services.may_manage(stranger)


def test_patch_budget(api_as, manager, fund_round):
    response = api_as(manager).patch(
        f"/api/v1/fund/rounds/{fund_round.pk}/", {"budget": "12000"}, format="json"
    )
    assert response.status_code == 200 and response.json()["budget"] == "12000.00"
    fund_round.refresh_from_db()
    assert fund_round.budget == Decimal("12000.00") and fund_round.opens_on == date(2025, 4, 1)
