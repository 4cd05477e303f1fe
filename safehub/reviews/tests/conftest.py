"""Practice review fixtures: the Leeds partnership manager, a Leeds child held by children's social
care, and a helper that walks a review to a stage through the services."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.reviews import services

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )


@pytest.fixture
def child(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Tia",
        family_name="Testchild",
        date_of_birth=date(2025, 6, 1),
    )


@pytest.fixture
def open_review(manager, child):
    """Walk a review from a serious incident learned of `days_ago` days ago to `stage`."""

    def _open(stage: str = "notification", *, days_ago: int = 300, decision: str = "local_review"):
        learned = timezone.now() - timedelta(days=days_ago)
        review = services.review_create(
            actor=manager,
            person=child,
            reference="Child T",
            incident_kind="serious_harm",
            incident_on=timezone.localdate(learned) - timedelta(days=1),
            incident_summary="Unexplained fractures; neglect suspected.",
            learned_at=learned,
        )
        if stage == "notification":
            return review
        review = services.review_notify(actor=manager, review=review, notified_at=learned + timedelta(days=2))
        if stage == "rapid_review":
            return review
        held = timezone.localdate(learned) + timedelta(days=10)
        review = services.review_rapid_review(
            actor=manager, review=review, held_on=held, findings="Gaps found"
        )
        if stage == "decision":
            return review
        review = services.review_decide(
            actor=manager,
            review=review,
            decision=decision,
            rationale="Significant learning about escalation",
            decided_on=held,
            started_on=held + timedelta(days=7) if decision == "local_review" else None,
        )
        return review

    return _open


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)
