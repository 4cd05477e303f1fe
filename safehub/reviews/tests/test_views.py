"""Practice review pages: the partnership manager runs a review by form; the due and overdue page;
same-agency readers read but get 403 on a write; outsiders 404; aggregate roles 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.recommendations.models import Recommendation
from safehub.reviews import services
from safehub.reviews.models import PracticeReview

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_manager_records_a_serious_incident_by_form(client, manager, child):
    client.force_login(manager)
    response = client.post("/reviews/new/", {"query": "Testchild"})
    assert f"/reviews/new/{child.pk}/" in response.content.decode()
    learned = timezone.localdate() - timedelta(days=1)
    data = {
        "reference": "Child T",
        "incident_kind": "serious_harm",
        **_date("incident_on", learned),
        "incident_summary": "Unexplained injuries",
        **_date("learned_date", learned),
        "learned_time": "09:15",
    }
    response = client.post(f"/reviews/new/{child.pk}/", {**data, "reference": ""})
    assert "Enter the review&#x27;s name, such as Child T" in response.content.decode()
    assert not PracticeReview.objects.exists()
    response = client.post(f"/reviews/new/{child.pk}/", data)
    review = PracticeReview.objects.get()
    assert response.url == f"/reviews/{review.pk}/"
    assert review.owning_agency == manager.agency


def test_future_learning_date_is_refused_on_the_form(client, manager, child):
    client.force_login(manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "reference": "Child T",
        "incident_kind": "death",
        **_date("incident_on", timezone.localdate()),
        "incident_summary": "x",
        **_date("learned_date", tomorrow),
        "learned_time": "09:15",
    }
    response = client.post(f"/reviews/new/{child.pk}/", data)
    assert "cannot be in the future" in response.content.decode()
    assert not PracticeReview.objects.exists()


def test_detail_shows_clocks_and_steps_and_is_audited(client, manager, open_review):
    review = open_review("rapid_review", days_ago=40)
    client.force_login(manager)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Child T" in page and "Rapid review due" in page and "Overdue" in page
    assert f"/reviews/{review.pk}/rapid-review/" in page
    assert AuditEvent.objects.filter(object_id=str(review.pk), action="read", actor=manager).exists()


def test_steps_by_form_to_publication_and_a_recommendation_on_the_tracker(
    client, manager, open_review, officer
):
    review = open_review("rapid_review", days_ago=300)
    client.force_login(manager)
    held = timezone.localdate(review.notified_at) + timedelta(days=5)
    response = client.post(
        f"/reviews/{review.pk}/rapid-review/", {**_date("held_on", held), "findings": "Gaps in sharing"}
    )
    assert response.status_code == 302
    started = held + timedelta(days=3)
    response = client.post(
        f"/reviews/{review.pk}/decision/",
        {
            "decision": "local_review",
            "rationale": "Learning is significant",
            **_date("decided_on", held),
            **_date("started_on", started),
        },
    )
    assert response.status_code == 302
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        f"/reviews/{review.pk}/recommendations/new/",
        {
            "text": "Escalation training for all staff",
            "district": "",
            "owning_agency": str(officer.agency_id),
            "owner": str(officer.pk),
            **_date("due_on", due),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Recommendation.objects.get().source_id == review.pk
    assert (
        client.post(f"/reviews/{review.pk}/learning-themes/", {"themes": ["escalation"]}).status_code == 302
    )
    published = timezone.localdate()
    response = client.post(
        f"/reviews/{review.pk}/publication/",
        {**_date("sent_to_panel_on", published - timedelta(days=7)), **_date("published_on", published)},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.published_on == published
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Escalation training for all staff" in page and "Published" in page


def test_due_page_lists_overdue_first_and_counts_late_recommendations(client, manager, open_review, officer):
    late = open_review("notification", days_ago=30)
    client.force_login(manager)
    response = client.get("/reviews/due/")
    assert [row["id"] for row in response.context["rows"]] == [late.pk]
    assert response.context["overdue"] == 1
    assert "None overdue on the tracker." in response.content.decode()
    other = open_review("lcspr", days_ago=300)
    services.review_recommendation_add(
        actor=manager,
        review=other,
        text="Audit escalation",
        owning_agency=officer.agency,
        owner=officer,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    response = client.get("/reviews/due/")
    # Both overdue: the one overdue longest (the publication, about 100 days) first.
    assert [row["id"] for row in response.context["rows"]] == [other.pk, late.pk]
    assert "1 overdue recommendation</a>" in response.content.decode()


def test_same_agency_practitioner_reads_but_cannot_change(client, owner, open_review):
    review = open_review("notification", days_ago=3)
    client.force_login(owner)
    assert client.get(f"/reviews/{review.pk}/").status_code == 200
    assert client.get(f"/reviews/{review.pk}/notification/").status_code == 403
    assert client.get("/reviews/new/").status_code == 403


def test_outsider_gets_404(client, outsider, open_review):
    review = open_review("notification", days_ago=3)
    client.force_login(outsider)
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/reviews/{review.pk}/notification/", {}).status_code == 404
    assert client.get("/reviews/").context["rows"] == []


@pytest.mark.parametrize("persona", ["analyst", "commissioner", "auditor"])
def test_aggregate_and_oversight_roles_get_403(client, open_review, persona, request):
    review = open_review("notification", days_ago=3)
    client.force_login(request.getfixturevalue(persona))
    for path in ("/reviews/", "/reviews/due/", f"/reviews/{review.pk}/"):
        assert client.get(path).status_code == 403


def test_the_tracker_links_back_to_the_review_only_for_those_who_may_open_it(
    client, manager, open_review, officer
):
    review = open_review("lcspr", days_ago=300)
    made = services.review_recommendation_add(
        actor=manager,
        review=review,
        text="Check for babies at every call",
        owning_agency=officer.agency,
        owner=officer,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    client.force_login(manager)
    assert f"/reviews/{review.pk}/" in client.get(f"/recommendations/{made.pk}/").content.decode()
    client.force_login(officer)
    page = client.get(f"/recommendations/{made.pk}/").content.decode()
    assert "Check for babies at every call" in page and f"/reviews/{review.pk}/" not in page
