"""What the partnership did and whether it worked, for the scrutiny report: the activity register's
key-information sentences, the recommendations tracker's open and overdue items by source, the
share of offences reported long after they happened, and demand against capacity.

The report reads these through analytics (ARCHITECTURE.md: reports import analytics only). The
recommendation and non-recent figures come from the measures' snapshots for the report's period
(stored by `rollups.snapshot`, so the report's stamp covers them); the activity sentences from the
activities app, which analytics may import; capacity from `analytics.capacity`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from safehub.activities import summaries
from safehub.analytics import capacity_presenters, rules, selectors
from safehub.core.models import Force

OVERDUE_ITEMS = "recommendations.overdue_items"
OPEN_BY_SOURCE = "recommendations.open_overdue_by_source"
NON_RECENT = "contacts.non_recent_by_group"

GROUP_SUBJECTS = {
    "cse": "child sexual exploitation offences",
    "csa": "child sexual abuse offences",
    "rape_sexual": "rape and other sexual offences",
    "da": "domestic abuse offences",
}


def _rows(period: str, measure_id: str) -> list[dict]:
    snap = selectors.snapshots(period).get(measure_id)
    return list(snap.result) if snap and isinstance(snap.result, list) else []


def _n(value, suppress: bool):
    shown = rules.suppress(value, enabled=suppress)
    return f"{shown:,}" if isinstance(shown, int) else str(shown)


def activity_sentences(start: date, end: date) -> list[str]:
    """The activity register's sentences for the period (every partnership in this installation)."""
    lines: list[str] = []
    for force in Force.objects.order_by("name"):
        lines.extend(summaries.key_information(force.pk, start, end))
    return lines


def recommendation_sentences(period: str, *, suppress: bool = True) -> list[str]:
    """One sentence per source with open items, then each overdue item by name, oldest first."""
    lines = []
    for row in _rows(period, OPEN_BY_SOURCE):
        if not row.get("open"):
            continue
        lines.append(
            f"{row['label']}: {_n(row['open'], suppress)} recommendations or areas for improvement open at "
            f"the end of the period, {_n(row['overdue'], suppress)} of them past their due date."
        )
    for item in _rows(period, OVERDUE_ITEMS):
        due = date.fromisoformat(str(item["due_on"]))
        lines.append(
            f"Overdue {str(item.get('finding') or 'recommendation').lower()}: {item['source']}, "
            f"{item['reference']} (owner: {item['agency']}; due "
            f"{due.day} {due:%B %Y}, {item['days_overdue']:,} days ago): {item['text']}"
        )
    return lines or ["No recommendation was open at the end of the period."]


def non_recent_sentences(period: str, *, suppress: bool = True) -> list[str]:
    """'Of N child sexual exploitation offences reported in 2025-26, X (Y%) were reported more than
    12 months after they happened.' One per offence group with reports, force-wide."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in _rows(period, NON_RECENT):
        group = row.get("offence_group") or ""
        totals[group][0] += int(row.get("reported") or 0)
        totals[group][1] += int(row.get("non_recent") or 0)
    lines = []
    for group, subject in GROUP_SUBJECTS.items():
        reported, non_recent = totals.get(group, (0, 0))
        if not reported:
            continue
        if suppress and (rules.is_small(reported) or rules.is_small(non_recent)):
            lines.append(f"Non-recent {subject}: fewer than 5 in {period} (suppressed).")
            continue
        percent = round(100 * non_recent / reported)
        lines.append(
            f"Of {reported:,} {subject} reported in {period}, {non_recent:,} ({percent}%) were reported more "
            "than 12 months after they happened."
        )
    return lines


def capacity_sentences(start: date, end: date) -> list[str]:
    """Demand against capacity, in words, for the period (every partnership in this installation)."""
    lines: list[str] = []
    for force in Force.objects.order_by("name"):
        lines.extend(capacity_presenters.capacity_sentences(force.pk, start, end))
    return lines
