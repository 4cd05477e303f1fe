"""Dashboard API: catalogue, values with the change on the year before, forecasts."""

from datetime import date

import pytest
from django.utils import timezone

from safehub.analytics.models import Forecast, MonthlyCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(districts):
    for month, district, count in (
        (date(2025, 7, 1), "leeds", 110),
        (date(2024, 7, 1), "leeds", 100),
        (date(2025, 7, 1), "bradford", 3),
    ):
        MonthlyCount.objects.create(
            series="policeuk.street", month=month, district=district, category="Burglary", count=count
        )


def test_catalogue_lists_every_definition(api_as, analyst):
    body = api_as(analyst).get("/api/v1/metrics/").json()
    ids = {item["id"] for item in body}
    assert {"policeuk.street", "contacts.demand", "derived.year_on_year", "missing.missing_by_month"} <= ids
    item = next(i for i in body if i["id"] == "policeuk.street")
    assert set(item) >= {
        "source_records",
        "numerator",
        "denominator",
        "filters",
        "caveats",
        "owner",
        "version",
    }


def test_values_by_district_with_the_change(api_as, analyst, counts):
    body = api_as(analyst).get("/api/v1/metrics/policeuk.street/?from=2025-07&to=2025-07&by=district").json()
    leeds = next(v for v in body["values"] if v["key"] == "leeds")
    assert (leeds["value"], leeds["previous_year"], leeds["change"], leeds["change_percent"]) == (
        110,
        100,
        10,
        10.0,
    )
    assert body["total"]["value"] == 113


def test_commissioner_gets_small_numbers_suppressed(api_as, commissioner, counts):
    body = (
        api_as(commissioner)
        .get("/api/v1/metrics/policeuk.street/?from=2025-07&to=2025-07&by=district")
        .json()
    )
    bradford = next(v for v in body["values"] if v["key"] == "bradford")
    assert bradford["value"] == "[c]" and bradford["change_percent"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=week", "by"),
        ("from=2025-13", "from"),
        ("to=2999-01", "to"),
        ("district=atlantis", "district"),
        ("from=2025-07&to=2025-01", "to"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api_as, analyst, counts, query, field):
    response = api_as(analyst).get(f"/api/v1/metrics/policeuk.street/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_metric_is_404(api_as, analyst):
    assert api_as(analyst).get("/api/v1/metrics/no.such/").status_code == 404
    assert api_as(analyst).get("/api/v1/metrics/derived.year_on_year/").status_code == 404


@pytest.mark.parametrize("persona", ["owner", "outsider", "mash", "auditor"])
def test_other_roles_get_403(api_as, request, persona):
    client = api_as(request.getfixturevalue(persona))
    assert client.get("/api/v1/metrics/").status_code == 403
    assert client.get("/api/v1/metrics/policeuk.street/").status_code == 403
    assert client.get("/api/v1/forecasts/policeuk.street/").status_code == 403


def test_anonymous_is_refused(api_client):
    assert api_client.get("/api/v1/metrics/").status_code in (401, 403)


def test_module_measure_values_come_through_the_measure(api_as, analyst):
    body = api_as(analyst).get("/api/v1/metrics/missing.missing_year_on_year/?from=2025-04&to=2026-03").json()
    assert body["columns"] == ["Figure", "Value"]
    assert ["Episodes", 0] in body["rows"]


def test_forecast_404_then_the_stored_forecast(api_as, analyst):
    client = api_as(analyst)
    assert client.get("/api/v1/forecasts/contacts.demand/").status_code == 404
    Forecast.objects.create(
        series="contacts.demand",
        model="drift",
        history=[["2025-01", 5]],
        sentence="Contacts received are predicted to rise by 5% by March 2030.",
        points=[{"month": "2025-02", "mean": 5.0, "lo80": 4.0, "hi80": 6.0, "lo95": 3.0, "hi95": 7.0}],
        backtest={"drift": {"mae": 1.0, "mape": 10.0, "forecasts": 18}},
        generated_at=timezone.now(),
    )
    body = client.get("/api/v1/forecasts/contacts.demand/").json()
    assert body["model"] == "drift" and body["points"][0]["hi95"] == 7.0
    assert client.get("/api/v1/forecasts/contacts.demand/?district=leeds").status_code == 404
