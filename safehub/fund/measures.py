"""The fund's measures for the dashboard: totals only (the fund holds no personal data).

Each function takes a period (start inclusive, end exclusive; aware datetimes) and counts awards
made (awarded_on) or monitoring returns (period_end) in it. `MEASURES` declares them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from safehub.fund import rules
from safehub.fund.models import ZERO, FundAward, MonitoringReturn


def _awards(start: datetime, end: datetime):
    return FundAward.objects.filter(
        awarded_on__gte=timezone.localtime(start).date(), awarded_on__lt=timezone.localtime(end).date()
    )


def awards_by_round(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"round": n, "projects": n, "awarded": "1234.56", "projected_people": n}]."""
    rows = (
        _awards(start, end)
        .values("round__number")
        .annotate(projects=Count("pk"), awarded=Sum("amount"), people=Sum("application__projected_people"))
        .order_by("round__number")
    )
    return [
        {
            "round": row["round__number"],
            "projects": row["projects"],
            "awarded": f"{(row['awarded'] or ZERO).quantize(rules.PENNY)}",
            "projected_people": row["people"] or 0,
        }
        for row in rows
    ]


def awards_by_theme(start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = {
        row["application__theme"]: row
        for row in _awards(start, end)
        .values("application__theme")
        .annotate(projects=Count("pk"), awarded=Sum("amount"))
    }
    return [
        {
            "theme": code,
            "label": label,
            "projects": rows[code]["projects"],
            "awarded": f"{rows[code]['awarded'].quantize(rules.PENNY)}",
        }
        for code, label in rules.THEMES
        if code in rows
    ]


def awards_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Projects serving each district (a project serving several counts in each) and their awards."""
    rows = (
        _awards(start, end)
        .values("application__districts__code")
        .annotate(projects=Count("pk"), awarded=Sum("amount"))
        .order_by("application__districts__code")
    )
    return [
        {
            "district": row["application__districts__code"],
            "projects": row["projects"],
            "awarded": f"{row['awarded'].quantize(rules.PENNY)}",
        }
        for row in rows
        if row["application__districts__code"]
    ]


def people_reached(start: datetime, end: datetime) -> dict[str, Any]:
    """People the period's awards expect to reach, and people reported reached in returns for
    periods ending in it."""
    projected = _awards(start, end).aggregate(n=Sum("application__projected_people"))["n"] or 0
    reported = (
        MonitoringReturn.objects.filter(
            period_end__gte=timezone.localtime(start).date(), period_end__lt=timezone.localtime(end).date()
        ).aggregate(n=Sum("people_reached"))["n"]
        or 0
    )
    return {"projected_people": projected, "reported_people": reported}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "fund_awards_by_round",
        "Fund awards by round",
        "Awards made in the period, by fund round",
        awards_by_round,
    ),
    Measure(
        "fund_awards_by_theme", "Fund awards by theme", "Awards made in the period, by theme", awards_by_theme
    ),
    Measure(
        "fund_awards_by_district",
        "Fund awards by district",
        "Awards made in the period to projects serving each district",
        awards_by_district,
    ),
    Measure(
        "fund_people_reached",
        "People reached by funded projects",
        "Expected reach of the period's awards, and reach reported in monitoring returns",
        people_reached,
    ),
)
