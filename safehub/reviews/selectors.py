"""Reads of practice reviews, always for a user (scoped and audited through `core.access`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from safehub.core.access import load_for
from safehub.reviews import rules, services
from safehub.reviews.models import PracticeReview


def _require_person_level(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to person-level records")


def reviews_visible_to(user: Any) -> QuerySet[PracticeReview]:
    _require_person_level(user)
    return PracticeReview.objects.visible_to(user).select_related("person", "district", "owning_agency")


def review_for(user: Any, review_id: Any, *, write: bool = False) -> PracticeReview:
    """One review in scope (404 otherwise; audited read); a write also needs the partnership manager role."""
    review = load_for(user, PracticeReview, review_id, write=write)
    if write and not services.may_run_reviews(user):
        raise PermissionDenied("Only a safeguarding partnership manager runs practice reviews")
    return review


def may_change(user: Any, review: PracticeReview) -> bool:
    """Whether `user` runs this review (a partnership manager of its owning agency)."""
    return (
        services.may_run_reviews(user)
        and PracticeReview.objects.editable_by(user).filter(pk=review.pk).exists()
    )


def due_and_overdue(user: Any, now: datetime | None = None) -> list[tuple[PracticeReview, rules.Deadline]]:
    """Reviews with a clock running, soonest first (overdue ones first of all)."""
    now = now or timezone.now()
    found = []
    for review in (
        reviews_visible_to(user)
        .exclude(published_on__isnull=False)
        .exclude(decision__in=["no_local_review", "national_review"])
    ):
        deadline = rules.next_deadline(services.facts_of(review), now)
        if deadline is not None:
            found.append((review, deadline))
    found.sort(key=lambda pair: (not pair[1].overdue, pair[1].due_at))
    return found
