from datetime import date

import pytest

from safehub.activities.models import Activity, Establishment
from safehub.activities.tests.conftest import record
from safehub.core.models import AuditEvent

BODY = {
    "kind": "training",
    "title": "First responder training",
    "starts_on": "2025-10-07",
    "ends_on": "2025-10-08",
    "lead_organisation": "Office of the Mayor",
    "partner_organisations": ["Hope for Justice", "ADASS"],
    "districts": ["leeds"],
    "themes": ["modern_slavery"],
    "attendance": 240,
    "attendance_noun": "first responders",
    "cost": "1500.00",
}


def test_manager_creates_reads_and_patches_an_activity(api_as, manager):
    api = api_as(manager)
    response = api.post("/api/v1/activities/", BODY, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["districts"] == ["leeds"] and created["cost"] == "1500.00"
    activity_id = created["id"]
    assert api.get(f"/api/v1/activities/{activity_id}/").json()["title"] == "First responder training"
    response = api.patch(
        f"/api/v1/activities/{activity_id}/", {"attendance": 250, "cost": None}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["attendance"], response.json()["cost"]) == (250, None)
    assert AuditEvent.objects.filter(object_id=activity_id, action__in=["create", "update"]).count() == 2


def test_bad_input_is_400_naming_the_field_and_nothing_saved(api_as, manager):
    api = api_as(manager)
    response = api.post(
        "/api/v1/activities/", {**BODY, "attendance": -3, "themes": ["knitting"]}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "attendance" in str(body) and "knitting is not a theme" in str(body)
    assert Activity.objects.count() == 0
    assert (
        api.post("/api/v1/activities/", {**BODY, "ends_on": "2025-10-01"}, format="json").status_code == 400
    )
    assert Activity.objects.count() == 0


def test_list_is_paginated_and_filtered(api_as, manager, analyst, districts):
    record(manager)
    record(
        manager,
        kind="training",
        title="Online safety",
        themes=["online_safety"],
        starts_on=date(2025, 3, 1),
        districts=[districts["bradford"]],
    )
    api = api_as(analyst)
    page = api.get("/api/v1/activities/").json()
    assert page["count"] == 2 and {"next", "previous", "results"} <= set(page)
    assert [a["title"] for a in api.get("/api/v1/activities/?kind=training").json()["results"]] == [
        "Online safety"
    ]
    assert [a["title"] for a in api.get("/api/v1/activities/?theme=cse").json()["results"]] == [
        "Child sexual exploitation conference"
    ]
    assert api.get("/api/v1/activities/?district=bradford").json()["count"] == 1
    assert api.get("/api/v1/activities/?from=2025-04-01&to=2026-03-31").json()["count"] == 1
    bad = api.get("/api/v1/activities/?kind=party&from=yesterday")
    assert bad.status_code == 400


def test_readers_read_but_cannot_write(api_as, analyst, manager):
    activity = record(manager)
    api = api_as(analyst)
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 200
    assert api.post("/api/v1/activities/", BODY, format="json").status_code == 403
    assert api.patch(f"/api/v1/activities/{activity.pk}/", {"title": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("persona", ["officer", "owner"])
def test_roles_without_the_register_get_403(api_as, request, persona, manager):
    activity = record(manager)
    api = api_as(request.getfixturevalue(persona))
    assert api.get("/api/v1/activities/").status_code == 403
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 403
    assert api.get("/api/v1/teams/establishment/").status_code == 403


def test_another_partnership_gets_404(api_as, manager, other_manager):
    activity = record(manager)
    api = api_as(other_manager)
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert api.patch(f"/api/v1/activities/{activity.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/activities/").json()["count"] == 0


def test_establishment_records_are_added_and_listed(api_as, manager, analyst, teams, other_manager):
    api = api_as(manager)
    body = {
        "team": str(teams["leeds_mash"].pk),
        "role": "Social worker",
        "effective_from": "2026-04-01",
        "establishment_fte": "8",
        "in_post_fte": "7.5",
    }
    response = api.post("/api/v1/teams/establishment/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["in_post_fte"] == "7.50" and response.json()["district"] == "leeds"
    refused = api.post(
        "/api/v1/teams/establishment/",
        {**body, "establishment_fte": "-1", "effective_from": "2026-05-01"},
        format="json",
    )
    assert refused.status_code == 400 and "cannot be negative" in str(refused.json())
    assert Establishment.objects.count() == 1
    listed = api_as(analyst).get(f"/api/v1/teams/establishment/?team={teams['leeds_mash'].pk}").json()
    assert [r["role"] for r in listed["results"]] == ["Social worker"]
    outsider = api_as(other_manager)
    assert outsider.get("/api/v1/teams/establishment/").json()["count"] == 0
    assert outsider.post("/api/v1/teams/establishment/", body, format="json").status_code == 400
