"""GET /api/v1/capacity/: the capacity page's figures, for the same roles, with the same suppression."""

import pytest

from safehub.analytics.tests.test_capacity import capacity_world, open_measures  # noqa: F401
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_world")]

URL = "/api/v1/capacity/"
PERIOD = "?from=2026-01&to=2026-03"


def _line(body, district, workload, team=""):
    return next(
        line
        for line in body["lines"]
        if line["district"] == district and line["workload"] == workload and line["team"] == team
    )


@pytest.mark.usefixtures("open_measures")
def test_analyst_gets_every_figure(api_as, analyst):
    response = api_as(analyst).get(URL + PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["district"]) == ("2026-01", "2026-03", "")
    leeds = _line(body, "leeds", "mash")
    assert leeds["kind"] == "total" and leeds["teams"] == 2
    assert leeds["new_work"] == 240 and leeds["new_work_per_fte"] == 9.6
    assert (
        leeds["establishment_fte"] == 10.0
        and leeds["in_post_fte"] == 9.0
        and leeds["vacancy_percent"] == 10.0
    )
    assert leeds["open_cases"] == 24 and leeds["open_cases_per_fte"] == 2.67
    assert [m["in_post_fte"] for m in leeds["months"]] == [8.0, 8.0, 9.0]
    team = _line(body, "leeds", "mash", "Leeds MASH police")
    assert team["kind"] == "team" and team["agency"] == "West Yorkshire Police" and team["team_id"]
    assert _line(body, "bradford", "mash")["forecast_per_fte_6_months"] == 20.0
    assert _line(body, "", "missing")["series"] == "missing.episodes"
    assert body["sentences"][0].startswith("Pressure is highest in MASH referrals in Bradford")
    assert body["caveats"]


def test_commissioner_gets_small_numbers_suppressed(api_as, commissioner):
    body = api_as(commissioner).get(URL + PERIOD).json()
    marac = _line(body, "bradford", "marac")
    assert marac["new_work"] == "[c]" and marac["new_work_per_fte"] is None
    assert marac["months"][0]["new_work"] == "[c]"
    assert _line(body, "leeds", "mash")["new_work"] == 240


def test_partnership_manager_and_district_filter(api_as, agencies):
    manager = UserFactory(username="pm", agency=agencies["leeds_csc"], roles=[Role.PARTNERSHIP_MANAGER])
    body = api_as(manager).get(URL + PERIOD + "&district=leeds").json()
    assert {line["district"] for line in body["lines"]} == {"leeds"}


@pytest.mark.parametrize("persona", ["owner", "officer", "mash", "auditor"])
def test_other_roles_get_403(api_as, request, persona):
    assert api_as(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_signed_out_is_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?district=nowhere", "district"),
        ("?from=2026-13", "from"),
        ("?from=2026-03&to=2026-01", "to"),
        ("?from=2099-01", "from"),
        ("?from=2000-01&to=2026-01", "from"),
    ],
)
def test_bad_parameters_are_400_naming_them(api_as, analyst, query, field):
    response = api_as(analyst).get(URL + query)
    assert response.status_code == 400
    assert field in response.json()


def test_documented_in_the_schema(api_as, analyst):
    schema = api_as(analyst).get("/api/v1/schema/").content.decode()
    assert "/api/v1/capacity/" in schema and "CapacityLineOutput" in schema
