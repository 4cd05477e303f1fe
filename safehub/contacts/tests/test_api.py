"""The contacts API against the standard cast: 400 naming the field with nothing stored, 404, 403."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safehub.contacts.models import Contact, EncompassNotification, PublicProtectionNotice, ThriveGrading
from safehub.people.models import Person

from .factories import child_at_school, record, thrive

pytestmark = pytest.mark.django_db


def payload(**changes):
    data = {
        "district": "leeds",
        "received_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "channel": "101",
        "category": "domestic",
        "postcode": "LS6 1AA",
        "narrative": "Caller reports an argument next door (synthetic).",
        "people": [],
    }
    data.update(changes)
    return data


@pytest.fixture
def contact(callhandler, districts, victim):
    return record(
        callhandler, districts["leeds"], category="domestic", people=[{"person": victim, "role": "victim"}]
    )


def test_create_with_existing_and_new_people(api_as, callhandler, victim, agencies, districts):
    child = child_at_school(
        owner=agencies["police"],
        district=districts["leeds"],
        school=agencies["leeds_school"],
        dob=date(2015, 6, 1),
    )
    people = [
        {"person": str(victim.pk), "role": "victim"},
        {"person": str(child.pk), "role": "child_present"},
        {
            "new_person": {"given_name": "Sam", "family_name": "Suspectful", "district": "leeds"},
            "role": "suspect",
        },
    ]
    response = api_as(callhandler).post("/api/v1/contacts/", payload(people=people), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {p["role"] for p in body["people"]} == {"victim", "child_present", "suspect"}
    assert body["reference"].startswith("C-")
    assert body["encompass"][0]["school"] == "leeds-school"
    assert EncompassNotification.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"district": "nowhere"}, "district"),
        ({"narrative": ""}, "narrative"),
        ({"postcode": "NOPE"}, "postcode"),
        ({"received_at": (timezone.now() + timedelta(days=1)).isoformat()}, "received_at"),
        (
            {
                "people": [
                    {
                        "role": "child_present",
                        "new_person": {"given_name": "Kit", "family_name": "Nodob", "district": "leeds"},
                    }
                ]
            },
            "people[0].date_of_birth",
        ),
        ({"people": [{"role": "victim"}]}, "people"),
        ({"people": [{"role": "boss", "person": "00000000-0000-0000-0000-000000000000"}]}, "people"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_stores_nothing(api_as, callhandler, changes, field):
    response = api_as(callhandler).post("/api/v1/contacts/", payload(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Contact.objects.exists()
    assert not Person.objects.filter(family_name="Nodob").exists()


def test_a_person_out_of_scope_is_400_and_stores_nothing(api_as, callhandler, bradford_person):
    people = [{"person": str(bradford_person.pk), "role": "victim"}]
    response = api_as(callhandler).post("/api/v1/contacts/", payload(people=people), format="json")
    assert response.status_code == 400
    assert "people[0].person" in response.json()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("callhandler", 200),
        ("officer", 200),
        ("mash", 200),
        ("partner", 404),
        ("outsider", 404),
        ("analyst", 403),
        ("auditor", 403),
    ],
)
def test_detail_by_persona(request, api_as, contact, persona, expected):
    response = api_as(request.getfixturevalue(persona)).get(f"/api/v1/contacts/{contact.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["people"][0]["role"] == "victim"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("callhandler", 201), ("mash", 403), ("outsider", 403), ("analyst", 403), ("commissioner", 403)],
)
def test_create_by_persona(request, api_as, persona, expected):
    response = api_as(request.getfixturevalue(persona)).post("/api/v1/contacts/", payload(), format="json")
    assert response.status_code == expected
    assert Contact.objects.exists() == (expected == 201)


def test_list_is_scoped(api_as, callhandler, mash, outsider, contact, districts):
    record(callhandler, districts["bradford"], category="asb")
    assert api_as(callhandler).get("/api/v1/contacts/").json()["count"] == 2
    assert api_as(mash).get("/api/v1/contacts/").json()["count"] == 1
    assert api_as(outsider).get("/api/v1/contacts/").json()["count"] == 0
    assert api_as(callhandler).get("/api/v1/contacts/", {"category": "asb"}).json()["count"] == 1
    assert api_as(callhandler).get("/api/v1/contacts/", {"district": "leeds"}).json()["count"] == 1


def test_thrive_arrival_and_ppn(api_as, callhandler, contact, victim):
    client = api_as(callhandler)
    response = client.post(
        f"/api/v1/contacts/{contact.pk}/thrive/", thrive({"threat": "high"}), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["grade"] == "immediate"
    arrived = contact.received_at + timedelta(minutes=4)
    response = client.post(
        f"/api/v1/contacts/{contact.pk}/arrival/", {"arrived_at": arrived.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["attended_within_target"] is True
    response = client.post(
        f"/api/v1/contacts/{contact.pk}/ppns/",
        {"person": str(victim.pk), "concern_type": "domestic_abuse", "rag": "red", "summary": "High risk"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting_mash"
    detail = client.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert len(detail["gradings"]) == 1 and len(detail["ppns"]) == 1


def test_thrive_without_rationale_is_400(api_as, callhandler, contact):
    response = api_as(callhandler).post(
        f"/api/v1/contacts/{contact.pk}/thrive/",
        thrive(harm_rationale="", risk_level="extreme"),
        format="json",
    )
    assert response.status_code == 400
    assert {"harm_rationale", "risk_level"} <= set(response.json())
    assert not ThriveGrading.objects.exists()


def test_arrival_before_the_call_is_400(api_as, callhandler, contact):
    before = contact.received_at - timedelta(minutes=1)
    response = api_as(callhandler).post(
        f"/api/v1/contacts/{contact.pk}/arrival/", {"arrived_at": before.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "arrived_at" in response.json()
    contact.refresh_from_db()
    assert contact.arrived_at is None


@pytest.mark.parametrize(("persona", "expected"), [("mash", 403), ("outsider", 404), ("analyst", 403)])
def test_writes_by_persona(request, api_as, contact, victim, persona, expected):
    client = api_as(request.getfixturevalue(persona))
    assert (
        client.post(f"/api/v1/contacts/{contact.pk}/thrive/", thrive(), format="json").status_code == expected
    )
    response = client.post(
        f"/api/v1/contacts/{contact.pk}/ppns/",
        {"person": str(victim.pk), "concern_type": "other", "rag": "green", "summary": "x"},
        format="json",
    )
    assert response.status_code == expected
    assert not PublicProtectionNotice.objects.exists()


def test_people_endpoint_and_flags(api_as, callhandler, contact, victim, districts):
    for days in (30, 20):
        record(
            callhandler,
            districts["leeds"],
            received_at=timezone.now() - timedelta(days=days),
            people=[{"person": victim, "role": "victim"}],
        )
    client = api_as(callhandler)
    new = record(callhandler, districts["leeds"])
    response = client.post(
        f"/api/v1/contacts/{new.pk}/people/", {"person": str(victim.pk), "role": "victim"}, format="json"
    )
    assert response.status_code == 201
    flags = response.json()["flags"]
    assert [f["rule_id"] for f in flags] == ["repeat_victim"]
    assert flags[0]["person"] == str(victim.pk)
    assert len(flags[0]["contacts"]) >= 3


def test_forged_id_is_404(api_as, callhandler):
    assert (
        api_as(callhandler).get("/api/v1/contacts/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_schema_lists_the_contacts_endpoints(api_as, callhandler):
    content = api_as(callhandler).get("/api/v1/schema/").content
    assert b"/api/v1/contacts/{contact_id}/thrive/" in content
