"""The recommendations tracker's measures for the dashboard and the scrutiny report: counts by
source kind and owning agency, and the overdue items themselves (source, reference, owning agency,
due date and text: a recommendation is about practice, never about a person; never its owner or
a linked record).

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query). Index recommendation_force_due
serves the due-date filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from safehub.recommendations.models import OPEN_STATUSES, Recommendation, SourceKind, Status


def made_by_source(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"source_kind", "made", "open", "completed", "not_accepted"}] for items recorded in the period."""
    rows = (
        Recommendation.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("source_kind")
        .annotate(
            made=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            not_accepted=Count("pk", filter=Q(status=Status.NOT_ACCEPTED)),
        )
        .order_by("source_kind")
    )
    return [dict(row) for row in rows]


def due_by_agency(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Items due in the period, by owning agency: due, completed on time, completed late, still
    open and overdue today, not accepted; percent overdue of those due."""
    today = timezone.localdate()
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    result = []
    rows = (
        Recommendation.objects.filter(due_on__gte=first, due_on__lt=last)
        .values_list("owning_agency__code", "status", "due_on", "closed_at")
        .order_by("owning_agency__code")
    )
    counts: dict[str, dict[str, int]] = {}
    for agency, status, due_on, closed_at in rows:
        row = counts.setdefault(
            agency, {"due": 0, "completed_on_time": 0, "completed_late": 0, "overdue": 0, "not_accepted": 0}
        )
        row["due"] += 1
        if status == Status.COMPLETED:
            on_time = timezone.localtime(closed_at).date() <= due_on
            row["completed_on_time" if on_time else "completed_late"] += 1
        elif status == Status.NOT_ACCEPTED:
            row["not_accepted"] += 1
        elif due_on < today:
            row["overdue"] += 1
    for agency, row in counts.items():
        percent = round(100 * row["overdue"] / row["due"], 1) if row["due"] else None
        result.append({"agency": agency, **row, "percent_overdue": percent})
    return result


def open_overdue_by_source(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """A snapshot at the end of the period (or now, for a period not yet over): items open then, and
    those past due then, by source kind."""
    at = min(end, timezone.now())
    on = timezone.localtime(at).date()
    still_open = Q(created_at__lt=at) & (Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=at))
    rows = (
        Recommendation.objects.filter(still_open)
        .values("source_kind")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on)))
        .order_by("source_kind")
    )
    labels = dict(SourceKind.choices)
    return [{**row, "label": labels[row["source_kind"]]} for row in rows]


def overdue_items(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Items open and past their due date at the end of the period (or now, if that is sooner),
    oldest due first: what the scrutiny report lists by name."""
    at = min(end, timezone.now())
    on = timezone.localtime(at).date()
    still_open = Q(created_at__lt=at) & (Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=at))
    rows = (
        Recommendation.objects.filter(still_open, due_on__lt=on)
        .select_related("owning_agency")
        .order_by("due_on", "source_reference")
    )
    return [
        {
            "source": item.get_source_kind_display(),
            "finding": item.get_finding_display(),
            "reference": item.source_reference,
            "agency": item.owning_agency.name,
            "due_on": item.due_on,
            "days_overdue": (on - item.due_on).days,
            "text": item.text,
        }
        for item in rows
    ]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "recommendations.made_by_source",
        "Recommendations made, by source",
        "Recommendations and actions recorded in the period, by where they came from (HMICFRS, practice "
        "reviews, scrutiny panel, select committees, internal audit, other), with their status now.",
        made_by_source,
    ),
    Measure(
        "recommendations.due_by_agency",
        "Recommendations due, by owning agency",
        "Recommendations due in the period, by owning agency: completed by the due date, completed "
        "after it, still open and past due today, or not accepted; and the percentage overdue.",
        due_by_agency,
    ),
    Measure(
        "recommendations.open_overdue_by_source",
        "Open and overdue recommendations at the end of the period",
        "Recommendations open at the end of the period, and those of them past their due date, by source.",
        open_overdue_by_source,
    ),
    Measure(
        "recommendations.overdue_items",
        "Overdue recommendations",
        "Recommendations still open and past their due date at the end of the period (or today, for a "
        "period not yet over), oldest first: source, reference, owning agency, due date, days overdue and "
        "the recommendation's text.",
        overdue_items,
    ),
)
