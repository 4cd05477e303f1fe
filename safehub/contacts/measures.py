"""The contacts app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query) for the analytics app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safehub.contacts import rules, selectors
from safehub.contacts.models import (
    Category,
    Contact,
    EncompassNotification,
    OffenceGroup,
    PublicProtectionNotice,
)


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


def non_recent_by_group(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"offence_group", "district", "reported", "non_recent", "percent_non_recent"}] for each offence
    group (cse, csa, rape_sexual, da; in that order) and district code with a report in the period.

    reported: contacts received in the period in the group (rules.measured_group: a domestic abuse
    contact with no group counts as "da"); non_recent: those received more than 12 calendar months
    after the offence (rules.is_non_recent, on Europe/London dates); percent_non_recent: non_recent
    out of reported, to one decimal place. Reported counts are one grouped query (index
    contact_district_received); only contacts with an offence date are read one by one.
    """
    wanted = Q(offence_group__in=rules.NON_RECENT_GROUPS) | Q(offence_group="", category=Category.DOMESTIC)
    contacts = _in_period(start, end).filter(wanted)
    reported: dict[tuple[str, str], int] = {}
    for row in contacts.values("offence_group", "category", "district__code").annotate(count=Count("pk")):
        key = (rules.measured_group(row["offence_group"], row["category"]), row["district__code"])
        reported[key] = reported.get(key, 0) + row["count"]
    non_recent: dict[tuple[str, str], int] = {}
    dated = contacts.filter(offence_at__isnull=False).values_list(
        "offence_group", "category", "district__code", "offence_at", "received_at"
    )
    for group, category, district, offence_at, received_at in dated.iterator():
        if rules.is_non_recent(timezone.localtime(offence_at), timezone.localtime(received_at)):
            key = (rules.measured_group(group, category), district)
            non_recent[key] = non_recent.get(key, 0) + 1
    order = {group: index for index, group in enumerate(rules.NON_RECENT_GROUPS)}
    rows = []
    for group, district in sorted(reported, key=lambda key: (order[key[0]], key[1])):
        count, late = reported[(group, district)], non_recent.get((group, district), 0)
        rows.append(
            {
                "offence_group": group,
                "district": district,
                "reported": count,
                "non_recent": late,
                "percent_non_recent": round(100 * late / count, 1),
            }
        )
    return rows


OFFENCE_GROUP_LABELS = {group: OffenceGroup(group).label for group in rules.NON_RECENT_GROUPS}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]
    caveats: str = ""
    numerator: str = ""
    denominator: str = ""


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
    Measure(
        "contacts.non_recent_by_group",
        "Non-recent offences by offence group and district",
        "Contacts received in the period about child sexual exploitation (CSE), child sexual abuse "
        "(CSA), rape and other sexual offences, or domestic abuse (DA), by the district of the "
        "incident, and how many of them were reported more than 12 calendar months after the offence "
        "happened (non-recent), with that as a percentage. The DA group is every contact recorded with "
        "the offence group DA, plus every domestic abuse contact recorded with no offence group. "
        "Counted by the date the contact was received, not the date of the offence.",
        non_recent_by_group,
        caveats="Counted in the period the report was received, so a rise can be a wave of reports of "
        "old offences rather than of offending. More than 12 months means on calendar dates: 12 months "
        "and a day is non-recent, exactly 12 months is not. Where the offence date is not recorded the "
        "offence is counted as recent (at the time of the call), so the share is a lower bound. Where an "
        "offence went on over a period, its earliest date is recorded. Each contact counts once, in one "
        "group. Offences of other kinds are not counted. Percentages built on a count of 1 to 4 are "
        "hidden along with the count where small numbers are suppressed.",
        numerator="Contacts in the group received more than 12 calendar months after the offence date",
        denominator="Contacts received in the period in the group",
    ),
)
