"""The linkage app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from safehub.linkage.models import ExtractRecord, MatchReview, Merge, ReviewStatus


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


def extract_outcomes(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"district", "outcome", "count"}] for extract rows linked in the period."""
    rows = (
        ExtractRecord.objects.filter(extract__linked_at__gte=start, extract__linked_at__lt=end)
        .values("extract__district__code", "outcome")
        .annotate(count=Count("pk"))
        .order_by("extract__district__code", "outcome")
    )
    return [
        {"district": r["extract__district__code"], "outcome": r["outcome"], "count": r["count"]} for r in rows
    ]


def review_decisions(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"district", "confirmed", "rejected", "pending"}]: queue decisions made in the period, and
    what is still waiting now."""
    rows = (
        MatchReview.objects.values("district__code")
        .annotate(
            confirmed=Count(
                "pk", filter=Q(status=ReviewStatus.CONFIRMED, decided_at__gte=start, decided_at__lt=end)
            ),
            rejected=Count(
                "pk", filter=Q(status=ReviewStatus.REJECTED, decided_at__gte=start, decided_at__lt=end)
            ),
            pending=Count("pk", filter=Q(status=ReviewStatus.PENDING)),
        )
        .order_by("district__code")
    )
    return [
        {"district": r["district__code"], **{k: r[k] for k in ("confirmed", "rejected", "pending")}}
        for r in rows
    ]


def merges(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"district", "merged", "undone"}] in the period."""
    rows = (
        Merge.objects.values("district__code")
        .annotate(
            merged=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
            undone=Count("pk", filter=Q(undone_at__gte=start, undone_at__lt=end)),
        )
        .order_by("district__code")
    )
    return [{"district": r["district__code"], "merged": r["merged"], "undone": r["undone"]} for r in rows]


MEASURES = [
    Measure(
        "linkage_extract_outcomes",
        "Partner extract rows by outcome",
        "Rows of partner extracts linked in the period: linked automatically, queued, confirmed or not found",
        extract_outcomes,
    ),
    Measure(
        "linkage_review_decisions",
        "Match review decisions",
        "Pairs confirmed or rejected by reviewers in the period, and pairs still waiting",
        review_decisions,
    ),
    Measure(
        "linkage_merges",
        "Person record merges",
        "Duplicate person records merged, and merges undone, in the period",
        merges,
    ),
]
