"""GET /api/v1/campaigns/{id}/impact/: the estimates with intervals, the series and the caveat for
readers of the activity register; 404 out of scope, 403 for other roles, 422 naming the problem
when the campaign cannot be evaluated."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from safehub.analytics import campaigns
from safehub.analytics.models import MonthlyCount
from safehub.analytics.tests.campaign_data import campaign, contacts, manager, other_manager

pytestmark = pytest.mark.django_db
__all__ = ["contacts", "manager", "other_manager"]  # fixtures


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 12, 2), tick=False):
        yield


def url(activity) -> str:
    return f"/api/v1/campaigns/{activity.pk}/impact/"


def test_the_estimates_series_and_caveat(api_as, contacts, manager, analyst):
    activity = campaign(manager)
    response = api_as(analyst).get(url(activity))
    assert response.status_code == 200, response.content
    body = response.json()
    result = campaigns.evaluate(activity)
    assert body["campaign"]["id"] == str(activity.pk)
    assert body["campaign"]["target_series"] == "contacts.demand"
    assert body["series_title"] == "Contacts received"
    assert body["level_change"]["estimate"] == pytest.approx(result.level_change.value)
    assert body["level_change"]["ci_low"] < 20 < body["level_change"]["ci_high"]
    assert body["level_change"]["ci_low"] > 0
    assert body["average_change_percent"]["estimate"] == pytest.approx(result.average_change_percent.value)
    assert body["n_before"] == 36 and body["n_after"] == 12
    assert body["seasonality"] == "month dummies"
    assert body["first_after"] == "2025-11"
    assert "not proof" in body["caveat"]
    assert body["sentence"] == result.sentence
    assert len(body["series"]) == 48
    first, last = body["series"][0], body["series"][-1]
    assert first["month"] == "2022-11" and first["period"] == "before"
    assert first["observed"] == int(contacts[1][0])
    assert last["period"] == "after" and last["fitted"] > last["counterfactual"]


def test_a_manager_may_read_it(api_as, contacts, manager):
    assert api_as(manager).get(url(campaign(manager))).status_code == 200


def test_commissioner_gets_small_counts_suppressed(api_as, contacts, manager, commissioner):
    MonthlyCount.objects.filter(series="contacts.demand").exclude(district="leeds").delete()
    MonthlyCount.objects.filter(series="contacts.demand", month=date(2023, 1, 1)).update(count=2)
    body = api_as(commissioner).get(url(campaign(manager, target_category="domestic_abuse"))).json()
    january = next(p for p in body["series"] if p["month"] == "2023-01")
    assert january["observed"] == "[c]"


def test_another_partnerships_campaign_is_404(api_as, contacts, manager, other_manager):
    assert api_as(other_manager).get(url(campaign(manager))).status_code == 404


def test_an_activity_that_is_not_a_campaign_is_404(api_as, contacts, manager):
    activity = campaign(manager, kind="training", series="")
    assert api_as(manager).get(url(activity)).status_code == 404


def test_other_roles_get_403(api_as, contacts, manager, officer):
    assert api_as(officer).get(url(campaign(manager))).status_code == 403


def test_a_campaign_that_cannot_be_evaluated_is_422_naming_the_problem(api_as, contacts, manager):
    response = api_as(manager).get(url(campaign(manager, starts_on=date(2023, 6, 1))))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Only 7 months of data before the start (1 Jun 2023")
