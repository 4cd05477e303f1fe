"""Meetings API: meetings, cases after acceptance, minutes, actions, listing candidates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.meetings import services
from safehub.meetings.models import Action, MeetingCase

pytestmark = pytest.mark.django_db


def test_meetings_list_is_scoped(api_as, meeting, officer, outsider, analyst):
    assert [m["id"] for m in api_as(officer).get("/api/v1/meetings/").json()["results"]] == [str(meeting.pk)]
    assert api_as(outsider).get("/api/v1/meetings/").json()["results"] == []
    assert api_as(analyst).get("/api/v1/meetings/").status_code == 403


def test_only_a_coordinator_creates_a_meeting(api_as, marac, idva, officer):
    starts = (timezone.now() + timedelta(days=5)).isoformat()
    assert (
        api_as(officer)
        .post("/api/v1/meetings/", {"series": str(marac.pk), "starts_at": starts}, format="json")
        .status_code
        == 403
    )
    response = api_as(idva).post(
        "/api/v1/meetings/", {"series": str(marac.pk), "starts_at": starts}, format="json"
    )
    assert response.status_code == 201 and response.json()["district"] == "leeds"


def test_cases_need_the_statement_accepted(api_as, meeting, officer, outsider, on_agenda):
    url = f"/api/v1/meetings/{meeting.pk}/cases/"
    response = api_as(officer).get(url)
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Accept the meeting's confidentiality statement before you open its cases"
    )
    services.confidentiality_accept(actor=officer, meeting=meeting)
    rows = api_as(officer).get(url).json()["results"]
    assert rows[0]["person_name"] == "Vera Victimson" and rows[0]["rules_fired"][0]["evidence"]
    assert api_as(outsider).get(url).status_code == 404


def test_a_coordinator_adds_a_candidate_or_a_manual_case(api_as, meeting, idva, listed_victim, districts):
    from safehub.people.tests.factories import PersonFactory

    client = api_as(idva)
    url = f"/api/v1/meetings/{meeting.pk}/cases/"
    response = client.post(url, {"person": str(listed_victim.pk)}, format="json")
    assert response.status_code == 201 and response.json()["listed_by"] == "rule"
    own = PersonFactory(owning_agency=idva.agency, district=districts["leeds"])
    response = client.post(url, {"person": str(own.pk)}, format="json")
    assert response.status_code == 400 and "No listing rule fires" in response.json()["person"][0]
    response = client.post(url, {"person": str(own.pk), "manual_reason": "Disclosed stalking"}, format="json")
    assert response.status_code == 201 and response.json()["listed_by"] == "manual"


def test_patch_records_minutes_and_refuses_another_meeting(api_as, meeting, idva, on_agenda):
    services.agenda_publish(actor=idva, meeting=meeting)
    other = services.meeting_create(
        actor=idva, series=meeting.series, starts_at=meeting.starts_at + timedelta(days=14)
    )
    client = api_as(idva)
    url = f"/api/v1/meeting-cases/{on_agenda.pk}/"
    response = client.patch(url, {"meeting": str(other.pk), "minutes": "Wrong"}, format="json")
    assert response.status_code == 400 and "not on this meeting's agenda" in response.json()["case"][0]
    response = client.patch(
        url, {"minutes": "Plan agreed", "risk_level_after": "high", "decision": "close"}, format="json"
    )
    assert response.status_code == 400 and response.json()["decision_reason"] == [
        "Enter why the case is closed"
    ]
    response = client.patch(
        url,
        {"minutes": "Plan agreed", "risk_level_after": "high", "decision": "keep_reviewing"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["decision"] == "keep_reviewing"


def test_a_member_cannot_minute(api_as, meeting, officer, on_agenda):
    services.confidentiality_accept(actor=officer, meeting=meeting)
    response = api_as(officer).patch(
        f"/api/v1/meeting-cases/{on_agenda.pk}/", {"minutes": "x"}, format="json"
    )
    assert response.status_code == 403


def test_actions_are_created_with_owner_and_due_date_and_listed_for_the_owner(
    api_as, meeting, idva, officer, on_agenda, outsider
):
    client = api_as(idva)
    response = client.post(
        "/api/v1/actions/",
        {"case": str(on_agenda.pk), "description": "Plan", "owner_agency": "wyp"},
        format="json",
    )
    assert response.status_code == 400 and {"owner", "due_on"} <= set(response.json())
    due = (timezone.localtime(meeting.starts_at).date() + timedelta(days=7)).isoformat()
    payload = {
        "case": str(on_agenda.pk),
        "description": "Flag the address",
        "owner_agency": "wyp",
        "owner": "officer",
        "due_on": due,
    }
    response = client.post("/api/v1/actions/", payload, format="json")
    assert response.status_code == 201
    action_id = response.json()["id"]
    assert [a["id"] for a in api_as(officer).get("/api/v1/actions/").json()["results"]] == [action_id]
    assert api_as(outsider).get(f"/api/v1/actions/{action_id}/").status_code == 404
    # A partial update: progress alone leaves the status as it is (the schema's PATCH needs no status).
    response = api_as(officer).patch(
        f"/api/v1/actions/{action_id}/", {"update": "Visit booked"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (Action.objects.get().status, Action.objects.get().update) == ("open", "Visit booked")
    empty = api_as(officer).patch(f"/api/v1/actions/{action_id}/", {}, format="json")
    assert empty.status_code == 400 and "update" in empty.json()
    response = api_as(officer).patch(
        f"/api/v1/actions/{action_id}/", {"status": "done", "update": "Flagged"}, format="json"
    )
    assert response.status_code == 200 and Action.objects.get().status == "done"


def test_listing_candidates_api(api_as, marac, idva, officer, outsider, listed_victim, bradford_marac):
    client = api_as(idva)
    response = client.get("/api/v1/listing-candidates/?ruleset=marac&district=leeds")
    assert response.status_code == 200
    body = response.json()
    assert body["ruleset"] == "marac" and body["candidates"][0]["person_name"] == "Vera Victimson"
    assert body["candidates"][0]["rules_fired"][0]["title"] == "Visible high risk"
    assert (
        client.get("/api/v1/listing-candidates/?ruleset=nope&district=leeds")
        .json()["ruleset"][0]
        .startswith("Unknown ruleset")
    )
    assert client.get("/api/v1/listing-candidates/?ruleset=marac&district=york").status_code == 400
    assert client.get("/api/v1/listing-candidates/?ruleset=mace&district=leeds").status_code == 404
    assert client.get("/api/v1/listing-candidates/?ruleset=marac&district=bradford").status_code == 404
    assert api_as(officer).get("/api/v1/listing-candidates/?ruleset=marac&district=leeds").status_code == 403
    assert api_as(outsider).get("/api/v1/listing-candidates/?ruleset=marac&district=leeds").status_code == 404
    as_of = (timezone.now() - timedelta(days=300)).isoformat()
    response = api_as(idva).get(
        "/api/v1/listing-candidates/", {"ruleset": "marac", "district": "leeds", "as_of": as_of}
    )
    assert response.status_code == 200, response.content
    assert response.json()["candidates"] == []
    assert not MeetingCase.objects.exists()
