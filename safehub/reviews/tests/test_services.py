"""Practice review services: a rapid review to a published local review on the partnership's
clocks, with chronology and audit; bad input names the field and saves nothing; only the
partnership manager of the owning agency runs a review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent, ClockOverride
from safehub.people.models import ChronologyEvent
from safehub.recommendations.models import Recommendation
from safehub.reviews import services
from safehub.reviews.models import PracticeReview
from safehub.reviews.tests.conftest import london

pytestmark = pytest.mark.django_db


def test_full_pathway_to_publication_with_chronology_and_audit(open_review, manager, officer):
    review = open_review("lcspr", days_ago=300)
    assert review.rapid_review_due_at is not None and review.publication_due_at is not None
    services.review_set_themes(actor=manager, review=review, themes=["escalation", "information_sharing"])
    made = services.review_recommendation_add(
        actor=manager,
        review=review,
        text="Escalate unresolved concerns within 5 working days.",
        owning_agency=officer.agency,
        owner=officer,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    assert (made.source_type, made.source_id, made.source_kind) == (
        "reviews.practicereview",
        review.pk,
        "practice_review",
    )
    assert made.source_reference == "Practice review Child T (local review)"
    published = timezone.localdate() - timedelta(days=1)
    review = services.review_publish(
        actor=manager,
        review=review,
        sent_to_panel_on=published - timedelta(days=8),
        published_on=published,
        publication_url="https://example.com/child-t",
    )
    assert review.learning_themes == ["information_sharing", "escalation"]
    kinds = list(
        ChronologyEvent.objects.filter(person=review.person)
        .order_by("at", "created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "serious_incident",
        "serious_incident_notified",
        "rapid_review",
        "practice_review_decision",
        "practice_review_published",
    ]
    actions = AuditEvent.objects.filter(object_id=str(review.pk), actor=manager).values_list(
        "action", flat=True
    )
    assert list(actions).count("create") == 1 and list(actions).count("update") >= 6


@time_machine.travel(london(2027, 4, 1, 12, 0), tick=False)
def test_notification_due_counts_working_days_across_easter_and_the_rapid_review_from_sending(manager, child):
    review = services.review_create(
        actor=manager,
        person=child,
        reference="Child E",
        incident_kind="death",
        incident_on=date(2027, 3, 24),
        incident_summary="Sudden death; neglect suspected",
        learned_at=london(2027, 3, 25, 10, 0),
    )
    assert review.notification_due_at == london(2027, 4, 5, 10, 0)
    review = services.review_notify(actor=manager, review=review, notified_at=london(2027, 3, 31, 16, 0))
    # 15 working days from Wednesday 31 March 2027 16:00 (Good Friday and Easter Monday already past).
    assert review.rapid_review_due_at == london(2027, 4, 21, 16, 0)


@time_machine.travel(london(2026, 12, 23, 17, 0), tick=False)
def test_a_partnership_override_changes_the_clock(manager, child):
    ClockOverride.objects.create(
        force=manager.agency.force,
        clock_id="cspr-notification",
        amount=3,
        source="Local test setting",
        effective_from=date(2026, 1, 1),
    )
    review = services.review_create(
        actor=manager,
        person=child,
        reference="Child X",
        incident_kind="serious_harm",
        incident_on=date(2026, 12, 22),
        incident_summary="Injuries",
        learned_at=london(2026, 12, 23, 15, 0),
    )
    # 3 working days from Wednesday 23 December 2026: 24, 29, 30 December.
    assert review.notification_due_at == london(2026, 12, 30, 15, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": " "}, "reference"),
        ({"incident_kind": "bruise"}, "incident_kind"),
        ({"incident_summary": ""}, "incident_summary"),
        ({"learned_at": None}, "learned_at"),
        ({"learned_in_future": True}, "learned_at"),
        ({"incident_after_learning": True}, "incident_on"),
    ],
)
def test_bad_incident_names_the_field_and_saves_nothing(manager, child, overrides, field):
    learned = timezone.now() - timedelta(days=2)
    data = {
        "reference": "Child T",
        "incident_kind": "serious_harm",
        "incident_on": timezone.localdate(learned),
        "incident_summary": "Injuries",
        "learned_at": learned,
    }
    if overrides.pop("learned_in_future", False):
        data["learned_at"] = timezone.now() + timedelta(days=1)
    if overrides.pop("incident_after_learning", False):
        data["incident_on"] = timezone.localdate()
    data.update(overrides)
    with pytest.raises(ValidationError) as problem:
        services.review_create(actor=manager, person=child, **data)
    assert field in problem.value.message_dict
    assert not PracticeReview.objects.exists() and not ChronologyEvent.objects.exists()


def test_notification_before_learning_or_in_the_future_is_refused(open_review, manager):
    review = open_review("notification", days_ago=5)
    for moment in (review.learned_at - timedelta(minutes=1), timezone.now() + timedelta(hours=1)):
        with pytest.raises(ValidationError) as problem:
            services.review_notify(actor=manager, review=review, notified_at=moment)
        assert "notified_at" in problem.value.message_dict
    review.refresh_from_db()
    assert review.notified_at is None and review.rapid_review_due_at is None


def test_steps_happen_in_order(open_review, manager):
    review = open_review("notification", days_ago=20)
    with pytest.raises(ValidationError):
        services.review_rapid_review(actor=manager, review=review, held_on=timezone.localdate(), findings="x")
    with pytest.raises(ValidationError):
        services.review_recommendation_add(
            actor=manager, review=review, text="x", owning_agency=None, owner=None, due_on=None
        )


def test_decision_needs_a_rationale_and_a_local_review_its_start(open_review, manager):
    review = open_review("decision", days_ago=40)
    with pytest.raises(ValidationError) as problem:
        services.review_decide(
            actor=manager,
            review=review,
            decision="local_review",
            rationale="",
            decided_on=timezone.localdate(),
        )
    assert set(problem.value.message_dict) == {"rationale", "started_on"}
    review.refresh_from_db()
    assert review.decision == ""


def test_no_local_review_closes_the_review(open_review):
    review = open_review("closed", days_ago=40, decision="no_local_review")
    assert review.publication_due_at is None
    assert services.rules.stage(services.facts_of(review)) == "closed"


def test_publication_needs_themes_and_the_panel_first(open_review, manager):
    review = open_review("lcspr", days_ago=300)
    published = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as problem:
        services.review_publish(
            actor=manager,
            review=review,
            sent_to_panel_on=published - timedelta(days=3),
            published_on=published,
        )
    assert "Record the review's learning themes before publishing it" in problem.value.messages
    services.review_set_themes(actor=manager, review=review, themes=["neglect"])
    with pytest.raises(ValidationError) as problem:
        services.review_publish(
            actor=manager,
            review=review,
            sent_to_panel_on=published,
            published_on=published - timedelta(days=2),
        )
    assert "published_on" in problem.value.message_dict
    review.refresh_from_db()
    assert review.published_on is None


def test_a_recommendation_without_owner_or_due_date_is_refused(open_review, manager, officer):
    review = open_review("lcspr", days_ago=300)
    with pytest.raises(ValidationError) as problem:
        services.review_recommendation_add(
            actor=manager,
            review=review,
            text="Do better",
            owning_agency=officer.agency,
            owner=None,
            due_on=None,
        )
    assert {"owner", "due_on"} <= set(problem.value.message_dict)
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "mash", "officer", "outsider"])
def test_only_a_partnership_manager_of_the_owning_agency_runs_reviews(open_review, child, persona, request):
    review = open_review("notification", days_ago=3)
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.review_notify(actor=user, review=review, notified_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.review_create(
            actor=user,
            person=child,
            reference="Child Q",
            incident_kind="death",
            incident_on=timezone.localdate(),
            incident_summary="x",
            learned_at=timezone.now(),
        )
