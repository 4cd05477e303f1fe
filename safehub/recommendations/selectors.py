"""Reads of the recommendations tracker, always for a user (scoped by `visible_to`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safehub.core import audit
from safehub.core.access import parse_id
from safehub.core.models import AuditAction
from safehub.recommendations.models import OPEN_STATUSES, Recommendation, SourceKind, Status

VIEWS = {"open": "Open", "overdue": "Overdue", "closed": "Closed", "all": "All"}


def _require_access(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        raise PermissionDenied("Your role does not give access to the recommendations tracker")


def recommendations_visible_to(user: Any) -> QuerySet[Recommendation]:
    _require_access(user)
    return Recommendation.objects.visible_to(user).select_related("owner", "owning_agency", "district")


def recommendation_for(user: Any, recommendation_id: Any, *, write: bool = False) -> Recommendation:
    """One recommendation within the user's scope (404 otherwise); reads are audited."""
    _require_access(user)
    found = recommendations_visible_to(user).filter(pk=parse_id(recommendation_id)).first()
    if found is None:
        raise Http404("No such recommendation")
    if not write:
        audit.record(user, AuditAction.READ, found)
    return found


def filtered(
    rows: QuerySet[Recommendation],
    *,
    view: str = "open",
    source_kind: str = "",
    agency_id: Any = None,
    owner: Any = None,
    today: date | None = None,
) -> QuerySet[Recommendation]:
    today = today or timezone.localdate()
    if view == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif view == "overdue":
        rows = rows.overdue(today)
    elif view == "closed":
        rows = rows.exclude(status__in=OPEN_STATUSES)
    if source_kind:
        rows = rows.filter(source_kind=source_kind)
    if agency_id:
        rows = rows.filter(owning_agency_id=agency_id)
    if owner is not None:
        rows = rows.filter(owner=owner)
    return rows.order_by("due_on", "created_at")


def _counts(rows: QuerySet[Recommendation], key: str, today: date) -> list[dict[str, Any]]:
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    return list(
        rows.values(key)
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            total=Count("pk"),
        )
        .order_by(key)
    )


def summary(user: Any, today: date | None = None) -> dict[str, Any]:
    """Open and overdue counts by source kind and by owning agency, over what the user may see."""
    today = today or timezone.localdate()
    rows = Recommendation.objects.visible_to(user)
    labels = dict(SourceKind.choices)
    by_source = [
        {**row, "kind": row["source_kind"], "label": labels[row["source_kind"]]}
        for row in _counts(rows, "source_kind", today)
    ]
    by_agency = _agency_counts(rows, today)
    totals = defaultdict(int)
    for row in by_source:
        for key in ("open", "overdue", "completed", "total"):
            totals[key] += row[key]
    return {"by_source": by_source, "by_agency": by_agency, "totals": dict(totals)}


def _agency_counts(rows: QuerySet[Recommendation], today: date) -> list[dict[str, Any]]:
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    result = (
        rows.values("owning_agency_id", "owning_agency__name")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            total=Count("pk"),
        )
        .order_by("owning_agency__name")
    )
    return [
        {**row, "agency_id": row["owning_agency_id"], "label": row["owning_agency__name"]} for row in result
    ]


def for_source(source: Any) -> QuerySet[Recommendation]:
    """The recommendations a record made (the caller has loaded `source` through its own access)."""
    return (
        Recommendation.objects.filter(source_type=audit.object_label(source), source_id=source.pk)
        .select_related("owner", "owning_agency")
        .order_by("due_on", "created_at")
    )
