"""The practice reviews API: record and walk a review, recommendations through the tracker; 400
naming the field; outsider 404; aggregate role 403; same-agency reader 403 on a write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.reviews.models import PracticeReview

pytestmark = pytest.mark.django_db


def test_record_and_walk_a_review(api_as, manager, child, officer):
    api = api_as(manager)
    learned = timezone.now() - timedelta(days=250)
    response = api.post(
        "/api/v1/practice-reviews/",
        {
            "person": str(child.pk),
            "reference": "Child T",
            "incident_kind": "serious_harm",
            "incident_on": str(timezone.localdate(learned)),
            "incident_summary": "Injuries",
            "learned_at": learned.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "notification" and body["next_deadline"]["overdue"] is True
    base = f"/api/v1/practice-reviews/{body['id']}/"
    notified = learned + timedelta(days=1)
    assert (
        api.post(base + "notification/", {"notified_at": notified.isoformat()}, format="json").status_code
        == 200
    )
    held = timezone.localdate(notified) + timedelta(days=7)
    assert (
        api.post(
            base + "rapid-review/", {"held_on": str(held), "findings": "Gaps"}, format="json"
        ).status_code
        == 200
    )
    response = api.post(
        base + "decision/",
        {
            "decision": "local_review",
            "rationale": "Significant",
            "decided_on": str(held),
            "started_on": str(held),
        },
        format="json",
    )
    assert response.json()["stage"] == "lcspr"
    response = api.post(
        base + "recommendations/",
        {"text": "Train staff", "owning_agency": "wyp", "owner": officer.username, "due_on": str(held)},
        format="json",
    )
    assert response.status_code == 201 and response.json()["overdue"] is True
    assert api.post(base + "learning-themes/", {"themes": ["neglect"]}, format="json").status_code == 200
    today = timezone.localdate()
    response = api.post(
        base + "publication/",
        {"sent_to_panel_on": str(today - timedelta(days=9)), "published_on": str(today)},
        format="json",
    )
    assert response.status_code == 200 and response.json()["stage"] == "published"
    detail = api.get(base).json()
    assert [r["text"] for r in detail["recommendations"]] == ["Train staff"]
    assert api.get("/api/v1/practice-reviews/?stage=published").json()["count"] == 1
    assert api.get("/api/v1/practice-reviews/?stage=sideways").status_code == 400


def test_bad_input_is_400_naming_the_field(api_as, open_review, manager):
    review = open_review("notification", days_ago=3)
    api = api_as(manager)
    future = (timezone.now() + timedelta(days=2)).isoformat()
    response = api.post(
        f"/api/v1/practice-reviews/{review.pk}/notification/", {"notified_at": future}, format="json"
    )
    assert response.status_code == 400 and "notified_at" in response.json()
    response = api.post(f"/api/v1/practice-reviews/{review.pk}/decision/", {}, format="json")
    assert response.status_code == 400
    assert PracticeReview.objects.get().notified_at is None


def test_overdue_filter(api_as, open_review, manager):
    review = open_review("notification", days_ago=30)
    rows = api_as(manager).get("/api/v1/practice-reviews/?stage=overdue").json()["results"]
    assert [row["id"] for row in rows] == [str(review.pk)]


def test_outsider_404_analyst_403_reader_403_on_write(api_as, open_review, outsider, analyst, owner):
    review = open_review("notification", days_ago=3)
    path = f"/api/v1/practice-reviews/{review.pk}/"
    assert api_as(outsider).get(path).status_code == 404
    assert api_as(analyst).get("/api/v1/practice-reviews/").status_code == 403
    reader = api_as(owner)
    assert reader.get(path).status_code == 200
    response = reader.post(path + "notification/", {"notified_at": timezone.now().isoformat()}, format="json")
    assert response.status_code == 403
