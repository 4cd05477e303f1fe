"""The missing app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes, by reported_at
unless it says otherwise) and returns plain rows. `MEASURES` declares them (id, title, definition,
query). Index missing_district_reported serves the period filters.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safehub.missing import rules
from safehub.missing.models import (
    InterviewStatus,
    MissingEpisode,
    ReturnInterview,
    RiskGrading,
    RiskLevel,
    Routing,
)


def _in_period(start: datetime, end: datetime):
    return MissingEpisode.objects.filter(reported_at__gte=start, reported_at__lt=end)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def episodes_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"district": code, "count": n}]."""
    rows = (
        _in_period(start, end).values("district__code").annotate(count=Count("pk")).order_by("district__code")
    )
    return [{"district": row["district__code"], "count": row["count"]} for row in rows]


def episodes_by_month(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month": date of the 1st, "district": code, "count": n}] by calendar month (Europe/London)."""
    rows = (
        _in_period(start, end)
        .annotate(month=TruncMonth("reported_at"))
        .values("month", "district__code")
        .annotate(count=Count("pk"))
        .order_by("month", "district__code")
    )
    return [
        {"month": row["month"].date(), "district": row["district__code"], "count": row["count"]}
        for row in rows
    ]


def year_on_year(start: datetime, end: datetime) -> dict[str, Any]:
    """Episodes in the period against the same period a year before, and the change in percent."""
    now = _in_period(start, end).count()
    before = _in_period(start - relativedelta(years=1), end - relativedelta(years=1)).count()
    return {"episodes": now, "previous_year": before, "change_percent": _percent(now - before, before)}


def repeat_rate(start: datetime, end: datetime) -> dict[str, Any]:
    """Episodes the repeat-missing rule flagged when reported, and the people missing in the period
    who were flagged at least once."""
    episodes = _in_period(start, end)
    counts = episodes.aggregate(total=Count("pk"), repeat=Count("pk", filter=Q(repeat_missing=True)))
    people = episodes.values("person_id").distinct().count()
    flagged = episodes.filter(repeat_missing=True).values("person_id").distinct().count()
    return {
        "episodes": counts["total"],
        "repeat_episodes": counts["repeat"],
        "percent_episodes": _percent(counts["repeat"], counts["total"]),
        "people": people,
        "people_flagged": flagged,
        "percent_people": _percent(flagged, people),
    }


def median_duration(start: datetime, end: datetime) -> dict[str, Any]:
    """Median hours missing (last seen to found) of the period's episodes that have ended."""
    hours = [
        rules.duration(seen, reported, found).total_seconds() / 3600
        for seen, reported, found in _in_period(start, end)
        .filter(found_at__isnull=False)
        .values_list("last_seen_at", "reported_at", "found_at")
    ]
    return {"found": len(hours), "median_hours": round(statistics.median(hours), 1) if hours else None}


def graded_high(start: datetime, end: datetime) -> dict[str, Any]:
    """Episodes graded high at any point (on report or on a regrading)."""
    high = set(RiskLevel.objects.filter(is_high=True).values_list("code", flat=True))
    episodes = _in_period(start, end)
    total = episodes.count()
    count = (
        RiskGrading.objects.filter(episode__in=episodes, level__in=high)
        .values("episode_id")
        .distinct()
        .count()
    )
    return {"episodes": total, "graded_high": count, "percent": _percent(count, total)}


def interviews_within_72_hours(start: datetime, end: datetime) -> dict[str, Any]:
    """Return home interviews due in the period (by due time): offered by the due time, offered
    late, and not offered with the due time passed."""
    now = timezone.now()
    counts = {"due": 0, "offered_in_time": 0, "offered_late": 0, "not_offered": 0, "not_yet_due": 0}
    for offered, due in ReturnInterview.objects.filter(due_at__gte=start, due_at__lt=end).values_list(
        "offered_at", "due_at"
    ):
        counts["due"] += 1
        if rules.offered_in_time(offered, due):
            counts["offered_in_time"] += 1
        elif offered is not None:
            counts["offered_late"] += 1
        elif due <= now:
            counts["not_offered"] += 1
        else:
            counts["not_yet_due"] += 1
    measured = counts["due"] - counts["not_yet_due"]
    return {**counts, "percent_in_time": _percent(counts["offered_in_time"], measured)}


def hospital_routing(start: datetime, end: datetime) -> dict[str, Any]:
    """Episodes from hospital: left with the NHS trust (no police deployment) or a police response."""
    counts = (
        _in_period(start, end)
        .filter(missing_from=rules.HOSPITAL)
        .aggregate(
            total=Count("pk"),
            nhs=Count("pk", filter=Q(routing=Routing.NHS_TRUST)),
            police=Count("pk", filter=Q(routing=Routing.POLICE)),
        )
    )
    return {
        "hospital_episodes": counts["total"],
        "nhs_trust": counts["nhs"],
        "police": counts["police"],
        "percent_nhs_trust": _percent(counts["nhs"], counts["total"]),
    }


def open_caseload(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Point in time at the end of the period, whenever reported: [{"district": code, "category":
    "open_episodes" or "interviews_outstanding", "count": n}]. An episode is open when reported
    before `end` and not found by then; a return home interview is outstanding when its child was
    found before `end` and it was neither completed nor declined by then. `start` is not used."""
    episodes = (
        MissingEpisode.objects.filter(reported_at__lt=end)
        .filter(Q(found_at__isnull=True) | Q(found_at__gte=end))
        .values("district__code")
        .annotate(count=Count("pk"))
        .order_by("district__code")
    )
    interviews = (
        ReturnInterview.objects.filter(episode__found_at__lt=end)
        .exclude(completed_at__lt=end)
        .exclude(status=InterviewStatus.DECLINED, responded_at__lt=end)
        .values("district__code")
        .annotate(count=Count("pk"))
        .order_by("district__code")
    )
    return [
        {"district": row["district__code"] or "", "category": category, "count": row["count"]}
        for category, rows in (("open_episodes", episodes), ("interviews_outstanding", interviews))
        for row in rows
    ]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = [
    Measure(
        "missing_by_district",
        "Missing episodes by district",
        "Episodes reported, by district",
        episodes_by_district,
    ),
    Measure(
        "missing_by_month",
        "Missing episodes by month",
        "Episodes reported, by calendar month and district",
        episodes_by_month,
    ),
    Measure(
        "missing_year_on_year",
        "Missing episodes, change on the year before",
        "Episodes reported in the period against the same period a year earlier",
        year_on_year,
    ),
    Measure(
        "missing_repeat_rate",
        "Repeat missing",
        "Episodes (and people) the partnership's repeat-missing rule flagged when reported",
        repeat_rate,
    ),
    Measure(
        "missing_median_duration",
        "Median time missing",
        "Median hours from last seen to found, of episodes that have ended",
        median_duration,
    ),
    Measure(
        "missing_graded_high", "Episodes graded high risk", "Episodes graded high at any point", graded_high
    ),
    Measure(
        "missing_rhi_within_72_hours",
        "Return home interviews offered within 72 hours",
        "Interviews due in the period offered by their due time (the rhi clock)",
        interviews_within_72_hours,
    ),
    Measure(
        "missing_hospital_routing",
        "Missing from hospital: handled by the NHS trust",
        "Hospital episodes left with the NHS trust under Right Care, Right Person, against a police response",
        hospital_routing,
    ),
    Measure(
        "missing_open_caseload",
        "Missing episodes open and return home interviews outstanding, by district",
        "At the end of the period: episodes reported and not yet found, and return home interviews "
        "for children found that were neither completed nor declined (point in time)",
        open_caseload,
    ),
]
