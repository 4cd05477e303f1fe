"""The practice reviews' measures for the dashboard: aggregates only (counts and percentages by
district; never a child, a review name or its text).

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query). Index review_agency_learned serves
the period filters on learned_at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from safehub.reviews import rules
from safehub.reviews.models import LearningTheme, PracticeReview


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def timeliness_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Serious incidents learned of in the period, by district: notifications sent within 5 working
    days, rapid reviews held within 15 working days of the notification, and decisions taken."""
    rows: dict[str, Counter] = {}
    found = PracticeReview.objects.filter(learned_at__gte=start, learned_at__lt=end).values_list(
        "district__code",
        "notification_due_at",
        "notified_at",
        "rapid_review_due_at",
        "rapid_review_on",
        "decision",
    )
    for district, notify_due, notified, rapid_due, rapid_on, decision in found:
        row = rows.setdefault(district, Counter())
        row["incidents"] += 1
        if notified is not None:
            row["notified"] += 1
            row["notified_on_time"] += rules.on_time(notified, notify_due)
        if rapid_on is not None and rapid_due is not None:
            row["rapid_reviews"] += 1
            row["rapid_reviews_on_time"] += rules.on_time(rapid_on, rapid_due)
        if decision:
            row[f"decision_{decision}"] += 1
    return [
        {
            "district": district,
            "incidents": row["incidents"],
            "notified": row["notified"],
            "percent_notified_on_time": _percent(row["notified_on_time"], row["notified"]),
            "rapid_reviews": row["rapid_reviews"],
            "percent_rapid_reviews_on_time": _percent(row["rapid_reviews_on_time"], row["rapid_reviews"]),
            "local_reviews": row["decision_local_review"],
            "no_local_review": row["decision_no_local_review"],
            "national_reviews": row["decision_national_review"],
        }
        for district, row in sorted(rows.items())
    ]


def publications(start: datetime, end: datetime) -> dict[str, Any]:
    """Local reviews published in the period, and how many within 6 months of their start."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    found = PracticeReview.objects.filter(published_on__gte=first, published_on__lt=last).values_list(
        "published_on", "publication_due_at"
    )
    published = on_time = 0
    for published_on, due_at in found:
        published += 1
        on_time += rules.on_time(published_on, due_at)
    return {
        "published": published,
        "within_6_months": on_time,
        "percent_within_6_months": _percent(on_time, published),
    }


def learning_themes(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """How often each learning theme was recorded, over reviews learned of in the period."""
    counts: Counter = Counter()
    for themes in PracticeReview.objects.filter(learned_at__gte=start, learned_at__lt=end).values_list(
        "learning_themes", flat=True
    ):
        counts.update(themes)
    labels = dict(LearningTheme.choices)
    return [
        {"theme": code, "label": labels[code], "reviews": counts[code]}
        for code in LearningTheme.values
        if counts[code]
    ]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "reviews.timeliness_by_district",
        "Serious incident notifications and rapid reviews on time",
        "Serious incidents the partnership learned of in the period, by district: the share notified to "
        "the national panel within 5 working days, the share of rapid reviews held within 15 working "
        "days of the notification, and the decisions on a local review.",
        timeliness_by_district,
    ),
    Measure(
        "reviews.publications",
        "Local reviews published within 6 months",
        "Local child safeguarding practice reviews published in the period, and the share published "
        "within 6 months of the review starting.",
        publications,
    ),
    Measure(
        "reviews.learning_themes",
        "Learning themes of practice reviews",
        "How many reviews (of incidents learned of in the period) recorded each learning theme.",
        learning_themes,
    ),
)
