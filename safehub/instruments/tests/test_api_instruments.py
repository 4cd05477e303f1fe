"""Instruments and assessments API against the standard cast."""

from __future__ import annotations

import pytest

from safehub.core.models import AuditEvent
from safehub.instruments.models import Assessment

from .helpers import dash_answers

pytestmark = pytest.mark.django_db


def payload(person, **overrides):
    data = {"person": str(person.pk), "instrument": "dash", "answers": dash_answers(15)}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 201),
        ("mash", 201),
        ("partner", 201),  # a share gives read access, enough to assess
        ("outsider", 404),
        ("officer", 404),
        ("analyst", 403),
        ("commissioner", 403),
        ("auditor", 403),
    ],
)
def test_create_by_persona(request, api_as, person, share, persona, expected):
    response = api_as(request.getfixturevalue(persona)).post(
        "/api/v1/assessments/", payload(person), format="json"
    )

    assert response.status_code == expected, response.content
    assert Assessment.objects.exists() == (expected == 201)
    if expected != 201:
        assert "Testperson" not in response.content.decode()


def test_create_returns_the_scored_assessment(api_as, owner, person):
    response = api_as(owner).post("/api/v1/assessments/", payload(person), format="json")

    body = response.json()
    assert (body["instrument"], body["version"], body["score"], body["level"]) == ("dash", 1, 15, "high")
    assert body["person"] == str(person.pk)
    assert body["assessor"] == "owner" and body["assessor_agency"] == "leeds-csc"
    assert "marac:visible_high_risk" in body["triggers"]
    assert AuditEvent.objects.filter(action="create", object_id=body["id"], via="api").exists()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"answers": {**dash_answers(3), "q28": "yes"}},
            {"answers": {"q28": ["Unknown question: dash version 1 has no q28"]}},
        ),
        (
            {"answers": {**dash_answers(3), "q2": "maybe"}},
            {"answers": {"q2": ["Answer must be one of yes, no, not_known, not_asked"]}},
        ),
        (
            {"answers": {k: v for k, v in dash_answers(3).items() if k != "q27"}},
            {"answers": {"q27": ["Answer this mandatory question: yes, no, not_known or not_asked"]}},
        ),
        ({"answers": "yes"}, {"answers": ["Answers must be an object of question ids and answers"]}),
        (
            {"professional_judgement": {"level": "medium", "reason": "x"}},
            {
                "professional_judgement": {
                    "level": [
                        "DASH score 15 is 14 or more: professional judgement may raise the level "
                        "but not lower it"
                    ]
                }
            },
        ),
        (
            {"answers": dash_answers(3), "professional_judgement": {"level": "high"}},
            {"professional_judgement": {"reason": ["Enter the reason for your professional judgement"]}},
        ),
        (
            {"instrument": "oasys"},
            {
                "instrument": [
                    "Unknown instrument 'oasys': use one of child-exploitation, dash, missing-risk, thrive"
                ]
            },
        ),
    ],
)
def test_bad_input_is_400_naming_the_field_and_stores_nothing(api_as, owner, person, overrides, errors):
    response = api_as(owner).post("/api/v1/assessments/", payload(person, **overrides), format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Assessment.objects.exists()
    assert not person.chronology.filter(kind="assessment").exists()


@pytest.mark.parametrize("missing", ["person", "instrument", "answers"])
def test_missing_fields_are_400(api_as, owner, person, missing):
    data = payload(person)
    del data[missing]

    response = api_as(owner).post("/api/v1/assessments/", data, format="json")

    assert response.status_code == 400 and missing in response.json()
    assert not Assessment.objects.exists()


def test_unknown_fields_are_400(api_as, owner, person):
    response = api_as(owner).post("/api/v1/assessments/", payload(person, score=27), format="json")
    assert response.status_code == 400 and response.json() == {"score": ["Unknown field"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("partner", 200), ("mash", 200), ("outsider", 404), ("analyst", 403), ("auditor", 403)],
)
def test_detail_by_persona(request, api_as, owner, person, share, assess, persona, expected):
    assessment = assess(owner, person)

    response = api_as(request.getfixturevalue(persona)).get(f"/api/v1/assessments/{assessment.pk}/")

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id"] == str(assessment.pk)
        assert AuditEvent.objects.filter(action="read", object_id=str(assessment.pk)).count() == 1


def test_list_is_scoped_and_filtered_by_person(api_as, owner, outsider, person, bradford_person, assess):
    mine = assess(owner, person)
    theirs = assess(outsider, bradford_person)

    rows = api_as(owner).get("/api/v1/assessments/").json()["results"]
    assert [row["id"] for row in rows] == [str(mine.pk)]
    rows = api_as(owner).get("/api/v1/assessments/", {"person": str(person.pk)}).json()["results"]
    assert [row["id"] for row in rows] == [str(mine.pk)]
    assert api_as(owner).get("/api/v1/assessments/", {"person": str(bradford_person.pk)}).status_code == 404
    assert api_as(owner).get("/api/v1/assessments/", {"person": "not-a-uuid"}).status_code == 404
    assert AuditEvent.objects.filter(action="listed", object_id=str(mine.pk)).count() == 2
    assert not AuditEvent.objects.filter(action="listed", object_id=str(theirs.pk)).exists()


@pytest.mark.parametrize("persona", ["owner", "analyst", "auditor", "commissioner"])
def test_instrument_list_and_definition_for_any_signed_in_user(request, api_as, persona):
    client = api_as(request.getfixturevalue(persona))

    rows = client.get("/api/v1/instruments/").json()
    assert {row["id"]: row["current_version"] for row in rows} == {
        "child-exploitation": 1,
        "dash": 1,
        "missing-risk": 1,
        "thrive": 1,
    }
    body = client.get("/api/v1/instruments/dash/").json()
    assert body["version"] == 1 and len(body["definition"]["sections"]) == 4
    assert client.get("/api/v1/instruments/dash/versions/1/").json()["definition"]["id"] == "dash"
    assert client.get("/api/v1/instruments/dash/versions/9/").status_code == 404
    assert client.get("/api/v1/instruments/oasys/").status_code == 404


def test_instruments_need_a_signed_in_user(api_client):
    assert api_client.get("/api/v1/instruments/").status_code == 401
    assert api_client.get("/api/v1/assessments/").status_code == 401


def test_the_current_definition_reflects_a_new_version(api_as, owner, dash_v2):
    rows = api_as(owner).get("/api/v1/instruments/").json()
    dash = next(row for row in rows if row["id"] == "dash")
    assert dash["current_version"] == 2
    assert [v["version"] for v in dash["versions"]] == [1, 2]
    assert (
        api_as(owner)
        .get("/api/v1/instruments/dash/")
        .json()["definition"]["scoring"]["bands"][2]["min_score"]
        == 12
    )
