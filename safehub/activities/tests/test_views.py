from datetime import date

import pytest
from django.urls import NoReverseMatch

from safehub.activities import presenters, services
from safehub.activities.models import Activity, Establishment, TeamCapacity
from safehub.activities.tests.conftest import campaign_data, record


@pytest.fixture
def activity(manager):
    return record(manager, cost="3200.00")


def test_the_register_lists_activities_with_totals(client, manager, analyst, activity):
    record(
        manager, kind="training", title="NRM training", attendance=240, themes=["modern_slavery"], cost=None
    )
    client.force_login(analyst)
    response = client.get("/activities/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Child sexual exploitation conference" in body and "NRM training" in body
    assert response.context["totals"]["attendance"] == "346"
    assert response.context["totals"]["cost"] == "£3,200.00"
    assert [r["label"] for r in response.context["totals"]["rows"]] == ["Conference", "Training"]
    assert "Record an activity" not in body  # an analyst reads only


def test_the_register_filters_by_kind_theme_district_and_year(client, manager, districts, activity):
    record(
        manager,
        kind="training",
        title="Online safety",
        themes=["online_safety"],
        starts_on=date(2025, 3, 1),
        districts=[districts["bradford"]],
    )
    client.force_login(manager)

    def titles(query):
        return [r["title"] for r in client.get(f"/activities/?{query}").context["rows"]]

    assert titles("kind=training") == ["Online safety"]
    assert titles("theme=cse") == ["Child sexual exploitation conference"]
    assert titles("district=bradford") == ["Online safety"]
    assert titles("year=2025") == ["Child sexual exploitation conference"]
    assert titles("year=2024") == ["Online safety"]
    assert titles("kind=nonsense") == ["Child sexual exploitation conference", "Online safety"]


def test_the_manager_records_an_activity_through_the_form(client, manager, districts):
    client.force_login(manager)
    assert client.get("/activities/new/").status_code == 200
    response = client.post(
        "/activities/new/",
        {
            "kind": "training",
            "title": "First responder training",
            "themes": ["modern_slavery"],
            "starts_on_0": "7",
            "starts_on_1": "10",
            "starts_on_2": "2025",
            "lead_organisation": "Office of the Mayor",
            "partner_organisations": "Hope for Justice\nADASS\n",
            "districts": [str(districts["leeds"].pk)],
            "attendance": "240",
            "attendance_noun": "first responders",
            "cost": "1,500",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/activities/{activity.pk}/"
    assert activity.partner_organisations == ["Hope for Justice", "ADASS"]
    assert str(activity.cost) == "1500.00"


def test_the_form_shows_the_services_errors_and_saves_nothing(client, manager):
    client.force_login(manager)
    response = client.post(
        "/activities/new/",
        {
            "kind": "conference",
            "title": "Conference",
            "themes": ["cse"],
            "starts_on_0": "14",
            "starts_on_1": "3",
            "starts_on_2": "2026",
            "ends_on_0": "1",
            "ends_on_1": "3",
            "ends_on_2": "2026",
            "lead_organisation": "LSCP",
            "cost": "-3",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "ends_on": ["The end date must be the same as or after the start date"],
        "cost": ["Enter the cost as 0 or more"],
    }
    assert Activity.objects.count() == 0


def test_detail_shows_the_sentence_and_edit_changes_it(client, manager, activity):
    client.force_login(manager)
    response = client.get(f"/activities/{activity.pk}/")
    assert response.status_code == 200
    assert "welcomed 106 delegates" in response.content.decode()
    form = client.get(f"/activities/{activity.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(
        {
            "starts_on_0": "14",
            "starts_on_1": "3",
            "starts_on_2": "2026",
            "attendance": "110",
            "districts": [],
        }
    )
    data.pop("starts_on")
    response = client.post(f"/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert activity.attendance == 110
    assert activity.partner_organisations == ["West Yorkshire Police", "Leeds Children's Social Care"]


def test_a_campaign_links_to_its_impact_page_when_there_is_one(client, manager, fake_targets, monkeypatch):
    campaign = services.activity_create(actor=manager, **campaign_data())
    monkeypatch.setattr(
        presenters, "reverse", lambda name, kwargs: f"/analytics/campaigns/{kwargs['activity_id']}/"
    )
    client.force_login(manager)
    body = client.get(f"/activities/{campaign.pk}/").content.decode()
    assert f'href="/analytics/campaigns/{campaign.pk}/"' in body

    def missing(name, kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(presenters, "reverse", missing)
    response = client.get(f"/activities/{campaign.pk}/")
    assert response.status_code == 200 and 'id="campaign-impact"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "owner", "outsider"])
def test_people_without_a_reading_role_get_403(client, persona, request, activity):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/activities/", f"/activities/{activity.pk}/", "/activities/teams/", "/activities/new/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", ["analyst", "commissioner", "auditor"])
def test_readers_cannot_reach_the_forms(client, persona, request, activity):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    for url in ("/activities/new/", f"/activities/{activity.pk}/edit/", "/activities/teams/workload/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/activities/teams/establishment/new/", {}).status_code == 403


def test_another_partnership_gets_404(client, other_manager, activity):
    client.force_login(other_manager)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 404
    assert client.get("/activities/").context["rows"] == []


def test_teams_page_records_establishment_and_sets_a_workload(client, manager, teams):
    client.force_login(manager)
    response = client.post(
        "/activities/teams/workload/", {"team": str(teams["leeds_mash"].pk), "workload": "mash"}
    )
    assert response.status_code == 302
    assert TeamCapacity.objects.get(team=teams["leeds_mash"]).workload == "mash"
    response = client.post(
        "/activities/teams/establishment/new/",
        {
            "team": str(teams["leeds_mash"].pk),
            "role": "Social worker",
            "effective_from_0": "1",
            "effective_from_1": "4",
            "effective_from_2": "2026",
            "establishment_fte": "8",
            "in_post_fte": "9",
        },
    )
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    response = client.post(
        "/activities/teams/establishment/new/",
        {
            "team": str(teams["leeds_mash"].pk),
            "role": "Social worker",
            "effective_from_0": "1",
            "effective_from_1": "4",
            "effective_from_2": "2026",
            "establishment_fte": "8",
            "in_post_fte": "7.5",
        },
    )
    assert response.status_code == 302
    assert Establishment.objects.count() == 1
    page = client.get("/activities/teams/")
    row = next(t for t in page.context["teams"] if t["name"] == "Leeds MASH")
    assert (row["workload"], row["establishment_now"], row["in_post_now"]) == ("MASH referrals", "8", "7.5")


def test_the_campaign_category_is_chosen_from_those_each_measure_holds(districts):
    from safehub.activities import targets
    from safehub.activities.forms import ActivityForm
    from safehub.core.models import District

    saved = (targets._choices, targets._check, targets._categories)
    targets.register(
        choices=lambda: [("contacts.demand", "Contacts received")],
        check=lambda *args: {},
        categories=lambda: [("Contacts received", [("domestic", "Domestic abuse")])],
    )
    try:
        form = ActivityForm(districts=District.objects.all())
        assert form.fields["target_category"].choices == [
            ("", "The whole measure"),
            ("Contacts received", [("domestic", "Domestic abuse")]),
        ]
        html = form.as_p()
        assert '<optgroup label="Contacts received">' in html
        # An activity saved with a category the data no longer holds keeps it, marked as such.
        stale = ActivityForm(districts=District.objects.all(), initial={"target_category": "burglary"})
        assert stale.fields["target_category"].choices[-1] == (
            "Not in the data now",
            [("burglary", "burglary")],
        )
        typed = ActivityForm(districts=District.objects.all(), data={"target_category": "made_up"})
        typed.is_valid()
        assert "target_category" not in typed.errors  # check() names it, in the service's words
    finally:
        targets._choices, targets._check, targets._categories = saved
