"""The recommendations API: scoped lists and filters, recording (400 naming the field, nothing
saved), notes; outsider 404, aggregate role 403, owner 403 on recording."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def _payload(officer, **extra):
    return {
        "source_kind": "hmicfrs",
        "source_reference": "PEEL AFI 4",
        "text": "Review DVPN refusals.",
        "owning_agency": officer.agency.code,
        "owner": officer.username,
        "due_on": str(timezone.localdate() + timedelta(days=30)),
        **extra,
    }


def test_manager_records_and_lists(api_as, manager, officer):
    api = api_as(manager)
    response = api.post("/api/v1/recommendations/", _payload(officer), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["owning_agency"], body["status"], body["overdue"]) == (
        officer.username,
        "wyp",
        "open",
        False,
    )
    listed = api.get("/api/v1/recommendations/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


@pytest.mark.parametrize("missing", ["owner", "due_on"])
def test_no_owner_or_no_due_date_is_400_naming_the_field(api_as, manager, officer, missing):
    payload = _payload(officer)
    payload.pop(missing)
    response = api_as(manager).post("/api/v1/recommendations/", payload, format="json")
    assert response.status_code == 400
    assert missing in response.json()
    assert not Recommendation.objects.exists()


def test_overdue_filter_and_notes(api_as, record, officer):
    late = record(officer, due_in=-2)
    record(officer, due_in=3)
    api = api_as(officer)
    rows = api.get("/api/v1/recommendations/?view=overdue").json()["results"]
    assert [row["id"] for row in rows] == [str(late.pk)]
    assert api.get("/api/v1/recommendations/?view=sideways").status_code == 400
    response = api.post(
        f"/api/v1/recommendations/{late.pk}/notes/", {"status": "completed", "note": ""}, format="json"
    )
    assert response.status_code == 400 and "note" in response.json()
    response = api.post(
        f"/api/v1/recommendations/{late.pk}/notes/",
        {"status": "completed", "note": "Done: audit"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["notes"][0]["text"] == "Done: audit"


def test_owner_cannot_record_without_a_source(api_as, officer):
    response = api_as(officer).post("/api/v1/recommendations/", _payload(officer), format="json")
    assert response.status_code == 403


def test_outsider_gets_404_and_analyst_403(api_as, record, officer, outsider, analyst):
    item = record(officer)
    assert api_as(outsider).get(f"/api/v1/recommendations/{item.pk}/").status_code == 404
    assert api_as(outsider).get("/api/v1/recommendations/").json()["results"] == []
    assert api_as(analyst).get("/api/v1/recommendations/").status_code == 403
