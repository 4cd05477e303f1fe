"""Reads for core pages: the audit search, the break-glass queue, the index summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from safehub.core.models import AuditEvent, BreakGlass
from safehub.core.models.sharing import BreakGlassReview


def audit_event_search(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Audit events matching the auditor's filters, newest first (indexes audit_object_at, audit_actor_at)."""
    events = AuditEvent.objects.all()
    if filters.get("object_id"):
        value = str(filters["object_id"])
        events = events.filter(object_id=value) | events.filter(person_id=value)
    if filters.get("actor"):
        events = events.filter(actor_label=filters["actor"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("flagged"):
        events = events.filter(flagged=True)
    if filters.get("date_from"):
        events = events.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(at__date__lte=filters["date_to"])
    return events.order_by("-at", "-id")


def break_glass_queue(pending_only: bool = True) -> QuerySet[BreakGlass]:
    grants = BreakGlass.objects.select_related("user", "user__agency", "reviewed_by")
    if pending_only:
        grants = grants.filter(review=BreakGlassReview.PENDING)
    return grants.order_by("-created_at")


def count_by(queryset: QuerySet, field: str) -> list[dict[str, Any]]:
    """Counts per value of `field` (aggregate only: no person-level fields leave this function)."""
    return list(queryset.values(field).annotate(count=Count("pk")).order_by(field))
