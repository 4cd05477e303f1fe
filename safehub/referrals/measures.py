"""The referrals app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes, by received_at)
and returns plain rows. `MEASURES` declares them (id, title, definition, query).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from safehub.referrals.models import ApprovalStatus, Decision, Outcome, Rag, Referral, ReferralSubject

# Decisions that stand: approved, or needing no approval.
_STANDING = (ApprovalStatus.APPROVED, ApprovalStatus.NOT_REQUIRED, ApprovalStatus.PENDING)


def _in_period(start: datetime, end: datetime):
    return Referral.objects.filter(received_at__gte=start, received_at__lt=end)


def referrals_by_source(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"source": code, "count": n}]."""
    return list(_in_period(start, end).values("source").annotate(count=Count("pk")).order_by("source"))


def referrals_by_category(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"category": code, "count": n}]: a referral with two concerns counts once in each."""
    counts: Counter[str] = Counter()
    for categories in _in_period(start, end).values_list("categories", flat=True):
        counts.update(set(categories or []))
    return [{"category": code, "count": counts[code]} for code in sorted(counts)]


def referrals_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = (
        _in_period(start, end).values("district__code").annotate(count=Count("pk")).order_by("district__code")
    )
    return [{"district": row["district__code"], "count": row["count"]} for row in rows]


def referrals_by_month(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"month": date of the 1st, "count": n}] by calendar month (Europe/London)."""
    rows = (
        _in_period(start, end)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return [{"month": row["month"].date(), "count": row["count"]} for row in rows]


def timeliness_by_rag(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per RAG: triaged referrals, decided by their due time, late (decided after, or undecided and
    past due), and the percent on time (of those decided or overdue)."""
    first_decision: dict[Any, datetime] = {}
    for referral_id, decided_at in (
        Decision.objects.filter(referral__in=_in_period(start, end))
        .order_by("decided_at")
        .values_list("referral_id", "decided_at")
    ):
        first_decision.setdefault(referral_id, decided_at)
    now = datetime.now(tz=start.tzinfo)
    rows = []
    for rag in Rag.values:
        total = on_time = late = 0
        for pk, due_at in (
            _in_period(start, end).filter(rag=rag, due_at__isnull=False).values_list("pk", "due_at")
        ):
            total += 1
            decided = first_decision.get(pk)
            if decided is not None and decided <= due_at:
                on_time += 1
            elif decided is not None or due_at <= now:
                late += 1
        measured = on_time + late
        rows.append(
            {
                "rag": rag,
                "referrals": total,
                "on_time": on_time,
                "late": late,
                "percent_on_time": round(100 * on_time / measured, 1) if measured else None,
            }
        )
    return rows


def re_referrals(start: datetime, end: datetime) -> dict[str, Any]:
    """Referrals in the period about a person already referred in the 12 months before it (one query)."""
    earlier = ReferralSubject.objects.filter(
        person_id__in=ReferralSubject.objects.filter(referral=OuterRef(OuterRef("pk"))).values("person_id"),
        referral__received_at__lt=OuterRef("received_at"),
        referral__received_at__gte=OuterRef("received_at") - timedelta(days=365),
    ).exclude(referral=OuterRef("pk"))
    counts = (
        _in_period(start, end)
        .annotate(is_repeat=Exists(earlier))
        .aggregate(total=Count("pk"), repeat=Count("pk", filter=Q(is_repeat=True)))
    )
    total, repeat = counts["total"], counts["repeat"]
    return {
        "referrals": total,
        "re_referrals": repeat,
        "percent": round(100 * repeat / total, 1) if total else None,
    }


def outcomes(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"outcome": code, "count": n}] of standing decisions on referrals received in the period."""
    return list(
        Decision.objects.filter(referral__in=_in_period(start, end), approval_status__in=_STANDING)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by("outcome")
    )


def conversion(start: datetime, end: datetime) -> dict[str, Any]:
    """Decided referrals converted to a section 47 strategy discussion or a section 42 enquiry."""
    decided = (
        Decision.objects.filter(referral__in=_in_period(start, end), approval_status__in=_STANDING)
        .values("referral_id")
        .distinct()
        .count()
    )

    def share(outcome: str) -> dict[str, Any]:
        count = (
            Decision.objects.filter(
                referral__in=_in_period(start, end), approval_status__in=_STANDING, outcome=outcome
            )
            .values("referral_id")
            .distinct()
            .count()
        )
        return {"count": count, "percent": round(100 * count / decided, 1) if decided else None}

    return {"decided": decided, "s47": share(Outcome.S47), "s42": share(Outcome.S42)}


def open_caseload(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Point in time: [{"district": code, "count": n}] of referrals open at the end of the period,
    whenever received: received before `end` with no decision recorded before it (a decision
    returned for a new one does not close a referral). Today this is the MASH queue (received,
    triaged, awaiting information). `start` is not used: the caseload is a stock, not a flow."""
    decided = Decision.objects.filter(referral=OuterRef("pk"), decided_at__lt=end).exclude(
        approval_status=ApprovalStatus.RETURNED
    )
    rows = (
        Referral.objects.filter(received_at__lt=end)
        .exclude(Exists(decided))
        .values("district__code")
        .annotate(count=Count("pk"))
        .order_by("district__code")
    )
    return [{"district": row["district__code"] or "", "count": row["count"]} for row in rows]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = [
    Measure(
        "referrals_by_source",
        "MASH referrals by source",
        "Referrals received, by source",
        referrals_by_source,
    ),
    Measure(
        "referrals_by_category",
        "MASH referrals by concern",
        "Referrals received, counted once under each concern",
        referrals_by_category,
    ),
    Measure(
        "referrals_by_district",
        "MASH referrals by district",
        "Referrals received, by district",
        referrals_by_district,
    ),
    Measure(
        "referrals_by_month",
        "MASH referrals by month",
        "Referrals received, by calendar month",
        referrals_by_month,
    ),
    Measure(
        "timeliness_by_rag",
        "MASH timeliness by RAG",
        "Triaged referrals decided by the due time of their RAG rating",
        timeliness_by_rag,
    ),
    Measure(
        "re_referrals",
        "Re-referrals within 12 months",
        "Referrals about a person referred in the 12 months before",
        re_referrals,
    ),
    Measure("outcomes", "MASH outcomes", "Decisions (not returned) by outcome", outcomes),
    Measure(
        "conversion",
        "Conversion to section 47 and section 42",
        "Decided referrals with an s47 or s42 outcome",
        conversion,
    ),
    Measure(
        "open_caseload",
        "MASH referrals open at the end of the period, by district",
        "Referrals received before the end of the period and not yet decided at that moment "
        "(point in time, whenever received)",
        open_caseload,
    ),
]
