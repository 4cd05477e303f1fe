"""The contacts app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query) for the analytics app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from safehub.contacts import selectors
from safehub.contacts.models import Contact, EncompassNotification, PublicProtectionNotice


def _in_period(start: datetime, end: datetime):
    return Contact.objects.filter(received_at__gte=start, received_at__lt=end)


def contacts_by_category(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"category": code, "count": n}] by opening category."""
    return list(_in_period(start, end).values("category").annotate(count=Count("pk")).order_by("category"))


def contacts_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"district": code, "count": n}] (index contact_district_received)."""
    rows = (
        _in_period(start, end).values("district__code").annotate(count=Count("pk")).order_by("district__code")
    )
    return [{"district": row["district__code"], "count": row["count"]} for row in rows]


def contacts_by_month(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month": date of the 1st, "category": code, "count": n}] by calendar month (Europe/London)."""
    rows = (
        _in_period(start, end)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "category")
        .annotate(count=Count("pk"))
        .order_by("month", "category")
    )
    return [
        {"month": row["month"].date(), "category": row["category"], "count": row["count"]} for row in rows
    ]


def contacts_by_month_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month", "district": code, "category": code, "count"}]: every cell, so a district's
    demand can be broken down by category (index contact_district_received serves the filter)."""
    rows = (
        _in_period(start, end)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "district__code", "category")
        .annotate(count=Count("pk"))
        .order_by("month", "district__code", "category")
    )
    return [
        {
            "month": row["month"].date(),
            "district": row["district__code"],
            "category": row["category"],
            "count": row["count"],
        }
        for row in rows
    ]


def grade_compliance(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per grade with a target and district: contacts, attended, within target, missed, percent."""
    return selectors.grade_compliance(_in_period(start, end))


def ppns_by_rag(start: datetime, end: datetime) -> list[dict[str, Any]]:
    return list(
        PublicProtectionNotice.objects.filter(raised_at__gte=start, raised_at__lt=end)
        .values("rag", "status")
        .annotate(count=Count("pk"))
        .order_by("rag", "status")
    )


def encompass_timeliness(start: datetime, end: datetime) -> dict[str, int]:
    """Encompass notifications sent, acknowledged by the start of the school day, late, open."""
    rows = EncompassNotification.objects.filter(incident_at__gte=start, incident_at__lt=end).select_related(
        "notification"
    )
    counts = {"sent": 0, "acknowledged_in_time": 0, "acknowledged_late": 0, "not_acknowledged": 0}
    for row in rows.only("due_at", "notification__acknowledged_at"):
        counts["sent"] += 1
        acknowledged = row.notification.acknowledged_at if row.notification else None
        if acknowledged is None:
            counts["not_acknowledged"] += 1
        elif acknowledged <= row.due_at:
            counts["acknowledged_in_time"] += 1
        else:
            counts["acknowledged_late"] += 1
    return counts


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "contacts.by_category",
        "Contacts by category",
        "Contacts received in the period, by opening incident category (NSIR style).",
        contacts_by_category,
    ),
    Measure(
        "contacts.by_district",
        "Contacts by district",
        "Contacts received in the period, by the district of the incident.",
        contacts_by_district,
    ),
    Measure(
        "contacts.by_month",
        "Contacts by month",
        "Contacts received in each calendar month of the period, by category.",
        contacts_by_month,
    ),
    Measure(
        "contacts.by_month_district",
        "Contacts by month, district and category",
        "Contacts received in each calendar month of the period, by district and opening category.",
        contacts_by_month_district,
    ),
    Measure(
        "contacts.grade_compliance",
        "Attendance within the grade target",
        "Contacts at a grade with an attendance target (e.g. Immediate 15 minutes, Priority 60): "
        "attended within the target counted from the call, out of those attended or past the target "
        "unattended. Measured against the contact's current grade.",
        grade_compliance,
    ),
    Measure(
        "contacts.ppns_by_rag",
        "Public protection notices by RAG",
        "PPNs raised in the period by RAG rating and whether the MASH has taken them.",
        ppns_by_rag,
    ),
    Measure(
        "contacts.encompass_timeliness",
        "Operation Encompass timeliness",
        "Notifications to schools for incidents in the period: acknowledged before the start of the "
        "next school day, acknowledged late, not acknowledged.",
        encompass_timeliness,
    ),
)
