"""The non-recent offences measure (contacts.non_recent_by_group) as a table for the dashboard, the
scrutiny report and the API: offence group by district, with a total row for each group.

The generic table (`presenters.result_table`) would show the stored codes and no totals; this one
names groups and districts and adds each group's "All districts" row. As in the generic table, a
percentage is hidden ("[c]") whenever a count it is built on is.
"""

from __future__ import annotations

from typing import Any

from safehub.analytics import rules

KEYS = frozenset({"offence_group", "district", "reported", "non_recent", "percent_non_recent"})
COLUMNS = ["Offence group", "District", "Reported", "Non-recent (over 12 months)", "Percent non-recent"]
ALL_DISTRICTS = "All districts"


def matches(result: Any) -> bool:
    """Whether a measure's result has the non-recent rows' shape (a non-empty list of those rows)."""
    return (
        isinstance(result, list)
        and bool(result)
        and all(isinstance(row, dict) and set(row) == KEYS for row in result)
    )


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    from safehub.analytics.selectors import district_names

    try:
        from safehub.contacts.measures import OFFENCE_GROUP_LABELS
    except ImportError:  # pragma: no cover - the contacts app not installed
        OFFENCE_GROUP_LABELS = {}
    return dict(OFFENCE_GROUP_LABELS), district_names()


def _row(group: str, district: str, reported: int, non_recent: int, suppress: bool) -> list:
    hide = suppress and (rules.is_small(reported) or rules.is_small(non_recent))
    percent = round(100 * non_recent / reported, 1) if reported else "n/a"
    return [
        group,
        district,
        rules.suppress(reported, enabled=suppress),
        rules.suppress(non_recent, enabled=suppress),
        rules.SUPPRESSED if hide else percent,
    ]


def table(result: list[dict], *, suppress: bool) -> tuple[list[str], list[list]]:
    """Rows by group then district, each group followed by its "All districts" total."""
    groups, districts = _labels()
    rows: list[list] = []
    order: list[str] = []
    for row in result:
        if row["offence_group"] not in order:
            order.append(row["offence_group"])
    for group in order:
        label = groups.get(group, group)
        mine = [row for row in result if row["offence_group"] == group]
        for row in mine:
            name = districts.get(row["district"], row["district"])
            rows.append(_row(label, name, row["reported"], row["non_recent"], suppress))
        reported = sum(row["reported"] for row in mine)
        non_recent = sum(row["non_recent"] for row in mine)
        rows.append(_row(label, ALL_DISTRICTS, reported, non_recent, suppress))
    return list(COLUMNS), rows
