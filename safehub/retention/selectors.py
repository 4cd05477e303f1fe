"""Reads for the review queue. Reviews load only through their scoped queryset (the person's
owning agency, a share or break-glass: core.access), never across agencies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from safehub.retention.models import RetentionReview, ReviewStatus


def queue_for(user: Any, *, group: str = "") -> QuerySet[RetentionReview]:
    """Pending reviews due today or earlier, oldest first (index retention_status_due)."""
    reviews = RetentionReview.objects.visible_to(user).filter(
        status=ReviewStatus.PENDING, due_on__lte=timezone.localdate()
    )
    if group:
        reviews = reviews.filter(group__code=group)
    return reviews.select_related("person", "group").order_by("due_on", "person__family_name")


def upcoming_count(user: Any) -> int:
    return (
        RetentionReview.objects.visible_to(user)
        .filter(status=ReviewStatus.PENDING, due_on__gt=timezone.localdate())
        .count()
    )


def decided_for(user: Any, limit: int = 20) -> QuerySet[RetentionReview]:
    return (
        RetentionReview.objects.visible_to(user)
        .exclude(status=ReviewStatus.PENDING)
        .select_related("person", "group", "decided_by")
        .order_by("-decided_at")[:limit]
    )
