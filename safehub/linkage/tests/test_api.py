"""API: match, imports, reviews, merge and undo, known-to; 404 outside scope, 403 for roles."""

import base64
from datetime import date

import pytest

from safehub.linkage.models import MatchReview, Merge
from safehub.linkage.tests.conftest import make_person

pytestmark = pytest.mark.django_db

QUERY = {"first_name": "Olivia", "surname": "Testington", "dob": "2012-04-09", "postcode": "LS6 2AB"}
CSV = "first_name,surname,dob\nOlivia,Testington,2012-04-09\nOlivia,Testington,2012-04-08\nNo,Date,\n"


def test_match_by_get_returns_candidates_with_probability_and_explanation(index, owner, api_as):
    body = api_as(owner).get("/api/v1/people/match/", QUERY).json()
    top = body["candidates"][0]
    assert top["person"] == str(index["olivia"].pk) and top["probability"] > 0.99
    assert {e["field"] for e in top["explanation"]} >= {"first_name", "surname", "dob", "postcode"}
    assert body["held_elsewhere"] == 0 and body["model_version"] == "baseline"


def test_match_by_post_for_an_outsider_discloses_nothing(index, outsider, api_as):
    body = api_as(outsider).post("/api/v1/people/match/", QUERY, format="json").json()
    assert body["candidates"] == [] and body["held_elsewhere"] == 1
    told = api_as(outsider).post(
        "/api/v1/linkage/ask-mash/", {"token": body["ask_mash_tokens"][0]}, format="json"
    )
    assert told.status_code == 200 and told.json() == {"told": 0}


def test_match_names_the_bad_field(owner, api_as):
    response = api_as(owner).get(
        "/api/v1/people/match/", {"first_name": "A", "surname": "B", "dob": "2999-01-01"}
    )
    assert response.status_code == 400 and "dob" in response.json()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/people/match/?first_name=A&surname=B"),
        ("get", "/api/v1/linkage/imports/"),
        ("get", "/api/v1/linkage/reviews/"),
    ],
)
def test_aggregate_roles_get_403(analyst, api_as, method, url):
    assert getattr(api_as(analyst), method)(url).status_code == 403


def _import(client, districts_code="leeds", content=CSV):
    return client.post(
        "/api/v1/linkage/imports/",
        {
            "district": districts_code,
            "partner_name": "Leeds health",
            "partner_kind": "health",
            "filename": "x.csv",
            "content_base64": base64.b64encode(content.encode()).decode(),
        },
        format="json",
    )


def test_import_reports_then_accept_links_and_queues_and_review_decides(index, mash, api_as):
    client = api_as(mash)
    created = _import(client)
    assert created.status_code == 201
    extract = created.json()
    assert (extract["good_rows"], extract["status"]) == (2, "checked")
    assert extract["problems"] == [{"row": 3, "field": "dob", "problem": "Enter a date of birth"}]
    accepted = client.post(f"/api/v1/linkage/imports/{extract['id']}/accept/").json()
    assert accepted["summary"] == {"auto_linked": 1, "queued": 1, "no_match": 0}
    reviews = client.get("/api/v1/linkage/reviews/").json()["results"]
    assert len(reviews) == 1 and reviews[0]["record"]["dob"] == "2012-04-08"
    decided = client.post(
        f"/api/v1/linkage/reviews/{reviews[0]['id']}/decision/", {"decision": "reject"}, format="json"
    )
    assert decided.json()["status"] == "rejected"
    again = client.post(
        f"/api/v1/linkage/reviews/{reviews[0]['id']}/decision/", {"decision": "confirm"}, format="json"
    )
    assert again.status_code == 400


def test_import_without_columns_is_400_naming_the_file(index, mash, api_as):
    response = _import(api_as(mash), content="first_name\nA\n")
    assert response.status_code == 400 and "file" in response.json()


def test_partner_practitioner_cannot_import(index, owner, api_as):
    assert _import(api_as(owner)).status_code == 403


def test_outsider_mash_gets_404_on_another_districts_import_and_review(
    index, mash, api_as, agencies, districts
):
    from safehub.core.roles import Role
    from safehub.core.tests.factories import UserFactory

    extract = _import(api_as(mash)).json()
    api_as(mash).post(f"/api/v1/linkage/imports/{extract['id']}/accept/")
    review = MatchReview.objects.get()
    other = UserFactory(
        username="bmash",
        agency=agencies["bradford_csc"],
        district=districts["bradford"],
        roles=[Role.MASH_MANAGER],
    )
    client = api_as(other)
    assert client.get(f"/api/v1/linkage/imports/{extract['id']}/").status_code == 404
    assert client.get(f"/api/v1/linkage/reviews/{review.pk}/").status_code == 404
    decision = client.post(
        f"/api/v1/linkage/reviews/{review.pk}/decision/", {"decision": "confirm"}, format="json"
    )
    assert decision.status_code == 404
    assert client.get("/api/v1/linkage/imports/not-a-uuid/").status_code == 404


def test_merge_and_undo(index, mash, agencies, districts, api_as):
    twin = make_person(agencies["police"], districts["leeds"], "Olivia", "Testington", date(2012, 4, 9))
    client = api_as(mash)
    merged = client.post(
        f"/api/v1/people/{index['olivia'].pk}/merge/",
        {"duplicate": str(twin.pk), "reason": "Same child, same DOB and address"},
        format="json",
    )
    assert merged.status_code == 201, merged.content
    body = merged.json()
    assert body["survivor"] == str(index["olivia"].pk) and not body["undone"]
    undone = client.post(f"/api/v1/merges/{body['id']}/undo/").json()
    assert undone["undone"] is True
    assert client.post(f"/api/v1/merges/{body['id']}/undo/").status_code == 400
    assert Merge.objects.get().is_undone


def test_merge_is_404_for_an_out_of_scope_duplicate(index, mash, api_as):
    response = api_as(mash).post(
        f"/api/v1/people/{index['olivia'].pk}/merge/",
        {"duplicate": str(index["noah"].pk), "reason": "Same child, same DOB and address"},
        format="json",
    )
    assert response.status_code == 404


def test_merge_is_403_for_a_partner_practitioner(index, owner, api_as):
    response = api_as(owner).post(
        f"/api/v1/people/{index['olivia'].pk}/merge/",
        {"duplicate": str(index["jacob"].pk), "reason": "Same child, same DOB and address"},
        format="json",
    )
    assert response.status_code == 403


def test_known_to_for_the_mash(index, mash, api_as):
    rows = api_as(mash).get(f"/api/v1/people/{index['olivia'].pk}/known-to/").json()
    assert rows == [
        {
            "agency": "Leeds Children's Social Care",
            "agency_code": "leeds-csc",
            "kind": rows[0]["kind"],
            "open_case": False,
            "contact": rows[0]["contact"],
        }
    ]


def test_known_to_is_403_for_others_and_404_outside_scope(index, owner, mash, analyst, api_as):
    assert api_as(owner).get(f"/api/v1/people/{index['olivia'].pk}/known-to/").status_code == 403
    assert api_as(analyst).get(f"/api/v1/people/{index['olivia'].pk}/known-to/").status_code == 403
    assert api_as(mash).get(f"/api/v1/people/{index['noah'].pk}/known-to/").status_code == 404


def test_the_schema_marks_match_by_get_deprecated_and_post_not(api_as, owner):
    schema = api_as(owner).get("/api/v1/schema/", {"format": "json"}).json()
    match = schema["paths"]["/api/v1/people/match/"]
    assert match["get"].get("deprecated") is True and "Use POST" in match["get"]["description"]
    assert not match["post"].get("deprecated")
