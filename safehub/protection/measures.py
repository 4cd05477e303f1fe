"""The protection app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes) and returns plain
rows. `MEASURES` declares them (id, title, definition, query). Indexes protection_order_served,
protection_dvds_received and protection_idva_deployed serve the period filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safehub.protection import rules
from safehub.protection.models import DisclosureApplication, HearingOutcome, IdvaDeployment, ProtectionOrder


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def orders_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Notices served, applications made, orders made, and breaches, by district and scheme."""
    rows = (
        ProtectionOrder.objects.filter(served_at__gte=start, served_at__lt=end)
        .values("district__code", "scheme")
        .annotate(
            notices=Count("pk", distinct=True),
            applications=Count("pk", filter=Q(application_made_at__isnull=False), distinct=True),
            orders=Count("pk", filter=Q(outcome=HearingOutcome.GRANTED), distinct=True),
            breaches=Count("breaches"),
        )
        .order_by("district__code", "scheme")
    )
    return [
        {
            "district": r["district__code"],
            "scheme": r["scheme"],
            "notices": r["notices"],
            "applications": r["applications"],
            "orders": r["orders"],
            "breaches": r["breaches"],
        }
        for r in rows
    ]


def heard_within_window(start: datetime, end: datetime) -> dict[str, Any]:
    """Notices whose hearing fell due in the period: heard by the due time (48 hours, the clock),
    heard late, not heard with the time passed, and the percent heard in time."""
    now = timezone.now()
    orders = ProtectionOrder.objects.filter(hearing_due_at__gte=start, hearing_due_at__lt=end)
    counts = orders.aggregate(
        due=Count("pk"),
        in_time=Count("pk", filter=Q(hearing_at__isnull=False, hearing_at__lte=F("hearing_due_at"))),
        late=Count("pk", filter=Q(hearing_at__gt=F("hearing_due_at"))),
        not_heard=Count("pk", filter=Q(hearing_at__isnull=True, hearing_due_at__lte=now)),
    )
    measured = counts["in_time"] + counts["late"] + counts["not_heard"]
    return {**counts, "percent_in_time": _percent(counts["in_time"], measured)}


def dvds_within_28_days(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Clare's Law applications by district and month received: received, completed within 28
    days, measurable (closed, or open past 28 days), and the percent within 28 days."""
    now = timezone.now()
    rows = (
        DisclosureApplication.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "district__code")
        .annotate(
            received=Count("pk"),
            in_time=Count("pk", filter=Q(completed_at__isnull=False, completed_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(completed_at__gt=F("due_at"))),
            open_overdue=Count("pk", filter=Q(completed_at__isnull=True, due_at__lt=now)),
        )
        .order_by("month", "district__code")
    )
    return [
        {
            "month": r["month"].date(),
            "district": r["district__code"],
            "received": r["received"],
            "in_time": r["in_time"],
            "measurable": r["in_time"] + r["late"] + r["open_overdue"],
            "percent_in_time": _percent(r["in_time"], r["in_time"] + r["late"] + r["open_overdue"]),
        }
        for r in rows
    ]


def idva_outcome_rates(start: datetime, end: datetime) -> dict[str, Any]:
    """Criminal-justice outcome rate of domestic abuse contacts with and without the IDVA car
    (contacts received in the period with a final outcome), the difference and its 95% CI."""
    from safehub.protection.selectors import evaluation

    result = evaluation(timezone.localtime(start).date(), timezone.localtime(end).date())
    diff = result["overall"]["positive"]
    return {
        "with_idva": diff.with_total,
        "with_idva_outcomes": diff.with_count,
        "without_idva": diff.without_total,
        "without_idva_outcomes": diff.without_count,
        "rate_with": None if diff.rate_with is None else round(100 * diff.rate_with, 1),
        "rate_without": None if diff.rate_without is None else round(100 * diff.rate_without, 1),
        "difference_points": None if diff.difference is None else round(100 * diff.difference, 1),
        "ci_low_points": None if diff.low is None else round(100 * diff.low, 1),
        "ci_high_points": None if diff.high is None else round(100 * diff.high, 1),
    }


def idva_engagement(start: datetime, end: datetime) -> dict[str, Any]:
    """IDVA car deployments in the period: victims engaged, support accepted, safety plans started."""
    counts = IdvaDeployment.objects.filter(deployed_at__gte=start, deployed_at__lt=end).aggregate(
        deployments=Count("pk"),
        engaged=Count("pk", filter=Q(victim_engaged=True)),
        accepted=Count("pk", filter=Q(support_accepted=True)),
        safety_plans=Count("pk", filter=Q(safety_plan=True)),
    )
    return {
        **counts,
        "percent_engaged": _percent(counts["engaged"], counts["deployments"]),
        "percent_accepted": _percent(counts["accepted"], counts["deployments"]),
    }


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = [
    Measure(
        "protection_orders_by_district",
        "DVPN/DVPO and DAPN/DAPO applications",
        "Notices served, applications to the magistrates, orders made and breaches, by district and scheme",
        orders_by_district,
    ),
    Measure(
        "protection_heard_within_window",
        "Protection order applications heard within the window",
        "Notices whose hearing fell due in the period heard within 48 hours (not counting Sundays, "
        "Christmas Day, Good Friday and bank holidays)",
        heard_within_window,
    ),
    Measure(
        "dvds_within_28_days",
        "Clare's Law disclosures within 28 days",
        "Applications by district and month received, decided and delivered within 28 days (the dvds clock)",
        dvds_within_28_days,
    ),
    Measure(
        "idva_outcome_rates",
        "Criminal-justice outcomes with and without the IDVA car",
        "Share of domestic abuse contacts with a final outcome that ended in "
        f"{', '.join(rules.POSITIVE_OUTCOMES)}, "
        "with and without an IDVA car deployment; difference with a 95% Newcombe interval",
        idva_outcome_rates,
    ),
    Measure(
        "idva_engagement",
        "IDVA car engagement",
        "IDVA car deployments where the victim engaged, accepted support and started a safety plan",
        idva_engagement,
    ),
]
