"""The campaign impact page: readers of the activity register see the estimate, its interval in
words, the caveat, the chart and the table; another partnership's campaign, or an activity that is
not a campaign, is 404; other roles 403; a campaign that cannot be evaluated is a message, not a 500."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils.html import escape

from safehub.analytics.models import MonthlyCount
from safehub.analytics.tests.campaign_data import campaign, contacts, manager, other_manager

pytestmark = pytest.mark.django_db
__all__ = ["contacts", "manager", "other_manager"]  # fixtures


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 12, 2), tick=False):
        yield


def url(activity) -> str:
    return f"/analytics/campaigns/{activity.pk}/impact/"


@pytest.mark.parametrize("persona", ["manager", "analyst"])
def test_readers_see_the_estimate_its_interval_the_caveat_chart_and_table(
    client, request, contacts, manager, persona
):
    activity = campaign(manager)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(activity))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Domestic abuse: know the signs" in html
    assert "In the 12 months after the campaign started on 1 November 2025, contacts received were on" in html
    assert "95% confidence interval" in html
    assert "does not include zero" in html
    assert "not proof that the campaign caused the change" in html
    assert "Step at the start (level change)" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"' in html and 'role="img"' in html
    assert 'stroke-dasharray="6 4"' in html  # the counterfactual
    assert "Campaign started 1 Nov 2025" in html  # the vertical line's label
    assert '<th scope="row" class="govuk-table__header">Nov 2022</th>' in html
    observed_first = contacts[1][0]
    assert f'<td class="govuk-table__cell">{int(observed_first)}</td>' in html


def test_the_estimate_on_the_page_is_the_evaluation(client, contacts, manager):
    from safehub.analytics import campaigns, impact_presenters

    activity = campaign(manager)
    result = campaigns.evaluate(activity)
    client.force_login(manager)
    html = client.get(url(activity)).content.decode()
    assert escape(impact_presenters.estimate_text(result.level_change)) in html
    assert escape(impact_presenters.estimate_text(result.average_change)) in html


def test_commissioner_sees_small_counts_suppressed(client, contacts, manager, commissioner):
    MonthlyCount.objects.filter(series="contacts.demand").exclude(district="leeds").delete()
    MonthlyCount.objects.filter(series="contacts.demand", month=date(2023, 1, 1)).update(count=2)
    activity = campaign(manager, target_category="domestic_abuse")
    client.force_login(commissioner)
    response = client.get(url(activity))
    html = response.content.decode()
    assert response.status_code == 200
    row = html.split('<th scope="row" class="govuk-table__header">Jan 2023</th>')[1].split("</tr>")[0]
    assert '<td class="govuk-table__cell">[c]</td>' in row
    assert "Counts of 1 to 4 are shown as [c]" in html
    client.force_login(manager)
    row = client.get(url(activity)).content.decode().split("Jan 2023</th>")[1].split("</tr>")[0]
    assert '<td class="govuk-table__cell">2</td>' in row


def test_another_partnerships_campaign_is_404(client, contacts, manager, other_manager):
    activity = campaign(manager)
    client.force_login(other_manager)
    assert client.get(url(activity)).status_code == 404


def test_an_activity_that_is_not_a_campaign_is_404(client, contacts, manager):
    activity = campaign(manager, kind="conference", series="")
    client.force_login(manager)
    assert client.get(url(activity)).status_code == 404


def test_an_unknown_id_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/analytics/campaigns/00000000-0000-0000-0000-000000000000/impact/").status_code == 404


@pytest.mark.parametrize("persona", ["officer", "owner", "mash"])
def test_roles_outside_the_register_get_403(client, request, contacts, manager, persona):
    activity = campaign(manager)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(activity)).status_code == 403


def test_signed_out_is_sent_to_sign_in(client, contacts, manager):
    response = client.get(url(campaign(manager)))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_campaign_that_cannot_be_evaluated_gets_a_clear_message(client, contacts, manager):
    activity = campaign(manager, starts_on=date(2026, 9, 1))
    client.force_login(manager)
    response = client.get(url(activity))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This campaign cannot be evaluated yet: Only 2 complete months of data after the start" in html
    assert "<svg" not in html.split("<main")[-1]
