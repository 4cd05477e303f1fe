"""The meetings app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. Cases count by the start of the meeting that heard them, and only meetings that were held
(held, or minutes approved). Actions count by their due date. `MEASURES` declares them (id, title,
definition, query) for the analytics app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safehub.meetings.models import Action, ActionStatus, Kind, MeetingCase, MeetingStatus

HEARD = (MeetingStatus.HELD, MeetingStatus.CLOSED)


def _heard(kind: str, start: datetime, end: datetime):
    """Cases heard at held meetings of `kind` in the period (index meeting_series_starts)."""
    return MeetingCase.objects.filter(
        meeting__series__kind=kind,
        meeting__status__in=HEARD,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    )


def _by_district_and_month(kind: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = (
        _heard(kind, start, end)
        .annotate(month=TruncMonth("meeting__starts_at"))
        .values("month", area=F("meeting__series__district__code"))
        .annotate(count=Count("pk"))
        .order_by("month", "area")
    )
    return [{"month": row["month"].date(), "district": row["area"], "count": row["count"]} for row in rows]


def marac_cases_by_district_month(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month": date of the 1st, "district": code, "count": n}] of cases heard at MARAC."""
    return _by_district_and_month(Kind.MARAC, start, end)


def mace_cases_by_district_month(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month": date of the 1st, "district": code, "count": n}] of cases heard at MACE."""
    return _by_district_and_month(Kind.MACE, start, end)


def repeat_marac_rate(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per district: cases heard at MARAC, those heard at MARAC in the 12 months before, percent."""
    rows = (
        _heard(Kind.MARAC, start, end)
        .values("meeting__series__district__code")
        .annotate(cases=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True)))
        .order_by("meeting__series__district__code")
    )
    return [
        {
            "district": row["meeting__series__district__code"],
            "cases": row["cases"],
            "repeats": row["repeats"],
            "percent": round(100 * row["repeats"] / row["cases"], 1) if row["cases"] else None,
        }
        for row in rows
    ]


def _due_in(start: datetime, end: datetime):
    first, after = timezone.localtime(start).date(), timezone.localtime(end).date()
    return Action.objects.filter(due_on__gte=first, due_on__lt=after).exclude(status=ActionStatus.CANCELLED)


def _days_late(due_on: date, status: str, completed_at: datetime | None, today: date) -> int | None:
    """Days past the due date: done late (by the day it was done) or open past it (by today)."""
    if status == ActionStatus.DONE and completed_at is not None:
        late = (timezone.localtime(completed_at).date() - due_on).days
    elif status == ActionStatus.OPEN:
        late = (today - due_on).days
    else:
        return None
    return late if late > 0 else None


def actions_overdue(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per kind of meeting: actions due in the period (not cancelled), how many were or are overdue
    (done after the due date, or open past it today), the percent, and the average days overdue."""
    today = timezone.localdate()
    rows = []
    for kind in Kind.values:
        values = _due_in(start, end).filter(case__meeting__series__kind=kind)
        due = late_count = late_days = 0
        for due_on, status, completed_at in values.values_list("due_on", "status", "completed_at"):
            if due_on >= today and status == ActionStatus.OPEN:
                continue  # not due yet: neither on time nor late
            due += 1
            late = _days_late(due_on, status, completed_at, today)
            if late is not None:
                late_count += 1
                late_days += late
        rows.append(
            {
                "kind": kind,
                "due": due,
                "overdue": late_count,
                "percent": round(100 * late_count / due, 1) if due else None,
                "average_days_overdue": round(late_days / late_count, 1) if late_count else None,
            }
        )
    return rows


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "meetings.marac_cases_by_district_month",
        "MARAC cases heard by district and month",
        "Cases on the agenda of MARAC meetings held in the period, by district and calendar month of "
        "the meeting. A case heard again (a review) counts again.",
        marac_cases_by_district_month,
    ),
    Measure(
        "meetings.repeat_marac_rate",
        "Repeat MARAC rate",
        "Cases heard at MARAC in the period whose person was heard at MARAC in the 12 months before "
        "(SafeLives' repeat MARAC definition), as a share of the cases heard, by district.",
        repeat_marac_rate,
    ),
    Measure(
        "meetings.mace_cases_by_district_month",
        "MACE cases heard by district and month",
        "Cases on the agenda of MACE meetings held in the period, by district and calendar month of "
        "the meeting. A case kept on review counts at each meeting.",
        mace_cases_by_district_month,
    ),
    Measure(
        "meetings.actions_overdue",
        "Meeting actions overdue",
        "Actions agreed at MARAC and MACE that fell due in the period (not cancelled): the share done "
        "after the due date or still open past it, and the average days overdue.",
        actions_overdue,
    ),
)
