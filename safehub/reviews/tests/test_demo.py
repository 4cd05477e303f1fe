"""The practice reviews demo: Leeds children's reviews at every stage, some overdue, with
recommendations on the tracker; idempotent."""

from __future__ import annotations

import pytest

from safehub.core import demo as core_demo
from safehub.core.models import User
from safehub.people import demo as people_demo
from safehub.recommendations import demo as recommendations_demo
from safehub.recommendations import selectors as recommendation_selectors
from safehub.reviews import demo, rules, selectors, services
from safehub.reviews.models import PracticeReview

pytestmark = pytest.mark.django_db


def _noop(*args) -> None:
    return None


def test_reviews_at_every_stage_some_overdue_with_recommendations():
    core_demo.load(size="small", progress=_noop)
    people_demo.load(size="small", progress=_noop)
    recommendations_demo.load(size="small", progress=_noop)
    counts = demo.load(size="small", progress=_noop)
    assert counts["practice reviews"] == len(demo.PLAN)
    reviews = list(PracticeReview.objects.all())
    stages = {rules.stage(services.facts_of(r)) for r in reviews}
    assert stages == {"notification", "rapid_review", "decision", "lcspr", "published", "closed"}
    manager = User.objects.get(username="partnership")
    due = selectors.due_and_overdue(manager)
    assert sum(1 for _, deadline in due if deadline.overdue) >= 3
    assert sum(1 for _, deadline in due if not deadline.overdue) >= 1
    published = PracticeReview.objects.get(published_on__isnull=False)
    assert published.learning_themes and recommendation_selectors.for_source(published).count() == 3
    assert recommendation_selectors.for_source(published).overdue().exists()
    health = User.objects.get(username="health")
    assert (
        recommendation_selectors.recommendations_visible_to(health)
        .filter(source_kind="practice_review")
        .exists()
    )
    assert all(r.person.chronology.filter(source_id=str(r.pk)).exists() for r in reviews)
    assert demo.load(size="small", progress=_noop) == {"already_loaded": len(demo.PLAN)}


def test_unknown_size_is_refused():
    with pytest.raises(ValueError):
        demo.load(size="huge", progress=_noop)
