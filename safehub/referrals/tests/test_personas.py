"""Persona matrix for the referral pages and API: host agency, MASH, manager, referrer (through its
share), another partner, an outsider, aggregate and oversight roles."""

import pytest
from django.urls import reverse

from safehub.referrals import services

pytestmark = pytest.mark.django_db

# persona -> (detail, triage page, approve page, queue, list count in the API)
EXPECTED = {
    "owner": (200, 403, 403, 403, 1),
    "mash": (200, 200, 403, 200, 1),
    "mashmanager": (200, 200, 200, 200, 1),
    "partner": (200, 403, 403, 403, 1),
    "officer": (404, 404, 404, 403, 0),
    "outsider": (404, 404, 404, 403, 0),
    "analyst": (403, 403, 403, 403, None),
    "auditor": (403, 403, 403, 403, None),
}


@pytest.fixture
def triaged(referral, mash):
    return services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag="green", reason="Early help"
    )


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_pages_by_persona(request, client, triaged, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    detail, triage, approve, queue, _ = EXPECTED[persona]
    assert client.get(reverse("referrals:detail", args=[triaged.pk])).status_code == detail
    for name in ("referrals:triage", "referrals:assign", "referrals:ask", "referrals:decide"):
        assert client.get(reverse(name, args=[triaged.pk])).status_code == triage, name
    assert client.get(reverse("referrals:approve", args=[triaged.pk])).status_code == approve
    assert client.get(reverse("referrals:queue")).status_code == queue
    assert client.get(reverse("referrals:queue_json")).status_code == queue
    person_level = 403 if detail == 403 else 200
    for name in ("referrals:mine", "referrals:information_requests", "referrals:create"):
        assert client.get(reverse(name)).status_code == person_level, name
    # A write from anyone but the MASH changes nothing.
    before = triaged.version
    client.post(
        reverse("referrals:triage", args=[triaged.pk]), {"rag": "red", "reason": "x", "version": before}
    )
    triaged.refresh_from_db()
    assert (triaged.rag == "red") == (triage == 200)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_api_by_persona(request, api_as, triaged, persona):
    user = request.getfixturevalue(persona)
    client = api_as(user)
    detail, triage, approve, _, count = EXPECTED[persona]
    assert client.get(f"/api/v1/referrals/{triaged.pk}/").status_code == detail
    listed = client.get("/api/v1/referrals/")
    if count is None:
        assert listed.status_code == 403
    else:
        assert listed.status_code == 200 and listed.json()["count"] == count
    response = client.post(
        f"/api/v1/referrals/{triaged.pk}/triage/",
        {"rag": "amber", "reason": "More concern", "version": triaged.version},
        format="json",
    )
    assert response.status_code == triage
    response = client.post(
        f"/api/v1/referrals/{triaged.pk}/approve/", {"version": triaged.version}, format="json"
    )
    # The manager reaches the service, which refuses: nothing waits for approval.
    assert response.status_code == (400 if approve == 200 else approve)


def test_nav_items(client, mash, school_user, analyst):
    from safehub.core.navigation import nav_items_for

    # One item for the section: the MASH's queue, or everyone else's referrals.
    labels = [item["label"] for item in nav_items_for(mash, "/")]
    assert "MASH queue" in labels and "Referrals" not in labels
    labels = [item["label"] for item in nav_items_for(school_user, "/")]
    assert "MASH queue" not in labels and "Referrals" in labels
    labels = [item["label"] for item in nav_items_for(analyst, "/")]
    assert not {"MASH queue", "Referrals"} & set(labels)
    # Every referral page keeps the section's item current.
    for path in ("/referrals/mine/", "/referrals/information-requests/", "/referrals/new/"):
        active = [item["label"] for item in nav_items_for(mash, path) if item["active"]]
        assert active == ["MASH queue"], path


def test_the_referral_pages_share_a_subnav(client, mash, school_user):
    for user, expected in (
        (mash, ["MASH queue", "My referrals", "Information requests"]),
        (school_user, ["My referrals", "Information requests"]),
    ):
        client.force_login(user)
        html = client.get("/referrals/information-requests/").content.decode()
        nav = html.split('aria-label="Referrals"', 1)[1].split("</nav>", 1)[0]
        assert [label for label in expected if f">{label}</a>" in nav] == expected
        assert ("MASH queue" in nav) == (user is mash)
        assert 'aria-current="page">Information requests</a>' in nav


def test_api_full_flow(api_as, school_user, mash, mashmanager, child, outsider):
    school = api_as(school_user)
    from safehub.referrals.tests.conftest import referral_fields

    response = school.post(
        "/api/v1/referrals/",
        {"district": "leeds", **referral_fields(), "subjects": [{"person": str(child.pk)}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    referral_id, version = body["id"], body["version"]
    assert body["decision_due_at"] and body["rag"] == ""
    mash_client = api_as(mash)
    response = mash_client.post(
        f"/api/v1/referrals/{referral_id}/triage/",
        {"rag": "red", "reason": "Injury", "version": version},
        format="json",
    )
    assert response.status_code == 200 and response.json()["due_at"]
    version = response.json()["version"]
    response = mash_client.post(
        f"/api/v1/referrals/{referral_id}/assign/", {"assignee": "mash", "version": version}, format="json"
    )
    assert response.status_code == 200
    version = response.json()["version"]
    response = mash_client.post(
        f"/api/v1/referrals/{referral_id}/decision/",
        {
            "outcome": "s47_strategy",
            "rationale": "Injury",
            "feedback_text": "Strategy discussion",
            "version": version,
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "awaiting_approval"
    version = response.json()["version"]
    manager = api_as(mashmanager)
    response = manager.post(f"/api/v1/referrals/{referral_id}/approve/", {"version": version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    feedback = api_as(school_user).get(f"/api/v1/referrals/{referral_id}/").json()["feedback"]
    assert feedback["outcome"] == "Section 47 strategy discussion"
    assert api_as(outsider).get(f"/api/v1/referrals/{referral_id}/").status_code == 404
    assert api_as(mash).get("/api/v1/referrals/?rag=purple").status_code == 400
    assert api_as(mash).get("/api/v1/referrals/?rag=red&district=leeds").json()["count"] == 1
