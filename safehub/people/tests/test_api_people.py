"""People API against the standard cast: owner, partner with a share, outsider, analyst, auditor."""

import pytest

from safehub.core.models import AuditEvent
from safehub.people.models import Identifier, Person

from .factories import synthetic_nhs_number

VALID_NHS = synthetic_nhs_number(7)


def person_payload(**overrides):
    payload = {
        "given_name": "Maisie",
        "family_name": "Fakename",
        "date_of_birth": "2015-03-27",
        "sex": "female",
        "ethnicity": "white_british",
        "district": "leeds",
        "identifiers": [{"kind": "nhs_number", "value": VALID_NHS}],
    }
    payload.update(overrides)
    return payload


def test_token_needs_correct_password(api_client, owner):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "owner", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_gets_401(api_client, person):
    assert api_client.get(f"/api/v1/people/{person.pk}/").status_code == 401
    assert api_client.get("/api/v1/people/").status_code == 401


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 200),
        ("partner", 200),
        ("outsider", 404),
        ("analyst", 403),
        ("commissioner", 403),
        ("auditor", 403),
    ],
)
def test_person_detail_by_persona(request, api_as, person, share, persona, expected):
    client = api_as(request.getfixturevalue(persona))
    response = client.get(f"/api/v1/people/{person.pk}/")
    assert response.status_code == expected
    if expected != 200:
        assert "Testperson" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("partner", 403), ("outsider", 404), ("analyst", 403)],
)
def test_person_patch_by_persona(request, api_as, person, share, persona, expected):
    client = api_as(request.getfixturevalue(persona))
    response = client.patch(f"/api/v1/people/{person.pk}/", {"first_language": "Polish"}, format="json")
    assert response.status_code == expected
    person.refresh_from_db()
    assert (person.first_language == "Polish") == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"), [("owner", 200), ("partner", 200), ("outsider", 404), ("analyst", 403)]
)
def test_chronology_by_persona(request, api_as, person, share, persona, expected):
    client = api_as(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/people/{person.pk}/chronology/").status_code == expected


def test_list_shows_only_what_the_caller_may_see(api_as, owner, person, share, bradford_person):
    rows = api_as(owner).get("/api/v1/people/").json()["results"]
    assert {row["family_name"] for row in rows} == {"Testperson"}
    assert AuditEvent.objects.filter(action="listed", actor=owner, object_id=str(person.pk)).count() == 1


@pytest.mark.parametrize(("persona", "visible"), [("partner", {"Testperson"}), ("outsider", {"Elsewhere"})])
def test_search_is_scoped(request, api_as, person, share, bradford_person, persona, visible):
    client = api_as(request.getfixturevalue(persona))
    rows = client.get("/api/v1/people/", {"q": "Testperson"}).json()["results"]
    assert {r["family_name"] for r in rows} == (visible & {"Testperson"})
    rows = client.get("/api/v1/people/").json()["results"]
    assert {r["family_name"] for r in rows} == visible


def test_n_reads_make_n_audit_events(api_as, owner, person):
    client = api_as(owner)
    for _ in range(4):
        assert client.get(f"/api/v1/people/{person.pk}/").status_code == 200
    reads = AuditEvent.objects.filter(object_id=str(person.pk), action="read", actor=owner)
    assert reads.count() == 4
    assert all(event.via == "api" and event.request_id for event in reads)


def test_create_person_with_identifier(api_as, owner):
    response = api_as(owner).post("/api/v1/people/", person_payload(), format="json")
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.owning_agency == owner.agency
    assert person.identifiers.get().value == VALID_NHS
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="create").exists()
    assert person.chronology.filter(kind="record_created").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identifiers": [{"kind": "nhs_number", "value": "9991234567"}]}, "identifiers"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"ethnicity": "martian"}, "ethnicity"),
        ({"district": "atlantis"}, "district"),
        ({"district": "bradford"}, "district"),
        ({"given_name": ""}, "given_name"),
        ({"identifiers": [{"kind": "passport", "value": "X1"}]}, "identifiers"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(api_as, owner, overrides, field):
    before = (
        Person.objects.count(),
        Identifier.objects.count(),
        AuditEvent.objects.filter(action="create").count(),
    )
    response = api_as(owner).post("/api/v1/people/", person_payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    after = (
        Person.objects.count(),
        Identifier.objects.count(),
        AuditEvent.objects.filter(action="create").count(),
    )
    assert after == before


def test_patch_refuses_fields_that_cannot_be_changed(api_as, owner, person):
    response = api_as(owner).patch(f"/api/v1/people/{person.pk}/", {"owning_agency": "wyp"}, format="json")
    assert response.status_code == 400
    assert "owning_agency" in response.json()


def test_patch_with_future_dob_changes_nothing(api_as, owner, person):
    original = person.date_of_birth
    response = api_as(owner).patch(
        f"/api/v1/people/{person.pk}/", {"date_of_birth": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    person.refresh_from_db()
    assert person.date_of_birth == original


def test_patch_audits_the_changed_field_names(api_as, owner, person):
    api_as(owner).patch(
        f"/api/v1/people/{person.pk}/", {"first_language": "Urdu", "given_name": "Amelia"}, format="json"
    )
    event = AuditEvent.objects.get(object_id=str(person.pk), action="update")
    assert event.fields == ["first_language"]


def test_forged_uuid_is_404(api_as, owner):
    assert api_as(owner).get("/api/v1/people/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_oversized_payload_gets_413_and_saves_nothing(api_as, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = api_as(owner).post(
        "/api/v1/people/", person_payload(disability_notes="x" * 5000), format="json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not Person.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), [("auditor", 200), ("owner", 403), ("analyst", 403)])
def test_audit_events_are_for_auditors_only(request, api_as, owner, person, persona, expected):
    api_as(owner).get(f"/api/v1/people/{person.pk}/")
    client = api_as(request.getfixturevalue(persona))
    response = client.get("/api/v1/audit-events/", {"object_id": str(person.pk)})
    assert response.status_code == expected
    if expected == 200:
        actions = {row["action"] for row in response.json()["results"]}
        assert "read" in actions
        assert all(
            row["object_id"] == str(person.pk) or row["person_id"] == str(person.pk)
            for row in response.json()["results"]
        )


def test_schema_is_served(api_as, owner):
    response = api_as(owner).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/people/{person_id}/" in response.content
