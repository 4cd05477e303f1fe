"""The demand-against-capacity page: who may open it, what it shows, suppression, bad filters."""

import pytest
from django.urls import reverse

from safehub.analytics.tests.test_capacity import capacity_world, open_measures  # noqa: F401
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_world")]

URL = "/analytics/capacity/"
PERIOD = "?start=2026-01&end=2026-03"


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(username="partnership", agency=agencies["leeds_csc"], roles=[Role.PARTNERSHIP_MANAGER])


def test_url_name():
    assert reverse("analytics:capacity") == URL


@pytest.mark.parametrize("persona", ["owner", "outsider", "mash", "officer", "auditor"])
def test_person_level_and_other_roles_get_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL + PERIOD).status_code == 403


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.usefixtures("open_measures")
def test_analyst_sees_the_table_the_chart_and_where_pressure_is(client, analyst):
    client.force_login(analyst)
    response = client.get(URL + PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pressure is highest in MASH referrals in Bradford: 15.0 new referrals" in body
    assert "The highest vacancy rate is 60% in Bradford MASH" in body
    rows = {row["name"]: row for row in response.context["rows"]}
    leeds = rows["Leeds: MASH referrals"]["cells"]
    # establishment, in post, vacancy, new work a month, per FTE, open, open per FTE, forecast 3, 6
    assert leeds == ["10.0", "9.0", "10.0%", "80.0", "9.6", "24", "2.7", "n/a", "n/a"]
    assert rows["Bradford: MASH referrals"]["cells"][-1] == "20.0"
    assert rows["Leeds exploitation team"]["cells"][3] == "n/a"
    assert 'id="capacity-mash"' in body and "<svg" in body
    assert "January 2026 to March 2026" in body
    assert "Leeds neighbourhood team" not in body


def test_commissioner_sees_small_numbers_suppressed(client, commissioner):
    client.force_login(commissioner)
    response = client.get(URL + PERIOD)
    assert response.status_code == 200
    marac = next(r for r in response.context["rows"] if r["name"] == "Bradford: MARAC")
    assert marac["cells"][3] == "[c]" and marac["cells"][4] == "n/a"
    assert "Counts of 1 to 4 are shown as [c]" in response.content.decode()


def test_partnership_manager_may_read(client, manager):
    client.force_login(manager)
    response = client.get(URL + PERIOD + "&district=bradford")
    assert response.status_code == 200
    names = [row["name"] for row in response.context["rows"]]
    assert "Bradford: MASH referrals" in names and "Leeds: MASH referrals" not in names
    assert "metric definitions" not in response.content.decode()  # the dashboard is not theirs


def test_bad_filter_is_400_naming_it(client, analyst):
    client.force_login(analyst)
    response = client.get(URL + "?start=2026-13&district=nowhere")
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Enter a month like 2025-04" in body


def test_dashboard_links_to_capacity(client, analyst, districts):
    client.force_login(analyst)
    assert 'href="/analytics/capacity/"' in client.get("/analytics/").content.decode()
