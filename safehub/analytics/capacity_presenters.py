"""What the capacity page, the API and the scrutiny report show of `capacity.build`'s report:
suppression (counts of 1 to 4 and the figures built on them, for commissioners), plain values,
the page's table and charts, and the sentences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from safehub.activities.models import Workload
from safehub.analytics import charts, rules
from safehub.analytics.capacity import (
    FORECAST_MONTHS,
    WORKLOAD_LABELS,
    WORKLOAD_SERIES,
    Figure,
    Line,
    Report,
    _number,
    build,
    pressure_ranking,
    pressure_sentences,
)


def hidden(line: Line, *, suppress: bool) -> bool:
    """Counts of 1 to 4 are not shown to commissioners, nor the figures built on them."""
    return suppress and rules.is_small(line.new_work)


def figures(report: Report, *, suppress: bool) -> list[Figure]:
    """The district totals as the pressure ranking's input (suppressed ones left out)."""
    return [
        Figure(
            g.total.district,
            g.total.workload,
            g.total.per_fte,
            g.total.forecast_per_fte(FORECAST_MONTHS[-1]),
        )
        for g in report.groups
        if g.total.per_fte is not None and not hidden(g.total, suppress=suppress)
    ]


def sentences(report: Report, *, suppress: bool) -> list[str]:
    if not report.groups:
        return [
            "No team has a workload and an establishment recorded for these months: record them on the "
            "team establishment pages."
        ]
    result = pressure_sentences(pressure_ranking(figures(report, suppress=suppress)), report.place_names)
    staffed = [line for g in report.groups for line in g.teams if line.vacancy_percent is not None]
    if staffed:
        worst = max(staffed, key=lambda line: (line.vacancy_percent, line.team))
        if worst.vacancy_percent and worst.vacancy_percent > 0:
            result.append(
                f"The highest vacancy rate is {worst.vacancy_percent:.0f}% in {worst.team} ({worst.agency}, "
                f"{report.place(worst.district)}): {_number(worst.in_post_fte or 0)} FTE in post against "
                f"an establishment of {_number(worst.establishment_fte or 0)}."
            )
    return result


def line_values(line: Line, *, suppress: bool) -> dict[str, Any]:
    """A line's figures as plain values (counts of 1 to 4 as "[c]" when suppressing)."""
    hide = hidden(line, suppress=suppress)
    hide_open = suppress and rules.is_small(line.open_cases)
    return {
        "kind": line.kind,
        "team_id": str(line.team_id) if line.team_id else None,
        "team": line.team,
        "agency": line.agency,
        "teams": line.teams,
        "district": line.district,
        "workload": line.workload,
        "workload_label": WORKLOAD_LABELS.get(line.workload, line.workload),
        "series": line.demand.series if line.demand else "",
        "categories": list(line.demand.categories) if line.demand else [],
        "establishment_fte": line.establishment_fte,
        "in_post_fte": line.in_post_fte,
        "vacancy_percent": line.vacancy_percent,
        "new_work": rules.suppress(line.new_work, enabled=suppress),
        "new_work_per_month": None if hide else line.new_work_per_month,
        "new_work_per_fte": None if hide else line.per_fte,
        "open_cases": rules.suppress(line.open_cases, enabled=suppress),
        "open_cases_per_fte": None if hide_open else line.open_per_fte,
        "current_in_post_fte": line.current_in_post_fte,
        "forecast_per_fte_3_months": line.forecast_per_fte(3),
        "forecast_per_fte_6_months": line.forecast_per_fte(6),
        "unavailable": line.unavailable,
        "months": [
            {
                "month": f"{m.month:%Y-%m}",
                "new_work": rules.suppress(m.new_work, enabled=suppress),
                "establishment_fte": m.establishment_fte,
                "in_post_fte": m.in_post_fte,
                "per_fte": None if suppress and rules.is_small(m.new_work) else m.per_fte,
            }
            for m in line.months
        ],
    }


def _shown(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"


def table(report: Report, *, suppress: bool) -> list[dict[str, Any]]:
    """Rows for the page's table: each district total, then its teams (display strings)."""
    rows = []
    for group in report.groups:
        for line in (group.total, *group.teams):
            values = line_values(line, suppress=suppress)
            if line.kind == "total":
                name = f"{report.place(line.district).capitalize()}: {values['workload_label']}"
                detail = f"{line.teams} team{'s' if line.teams != 1 else ''}"
            else:
                name, detail = line.team, line.agency
            rows.append(
                {
                    "kind": line.kind,
                    "name": name,
                    "detail": detail,
                    "cells": [
                        _shown(values["establishment_fte"]),
                        _shown(values["in_post_fte"]),
                        _shown(values["vacancy_percent"], "%"),
                        _shown(
                            rules.SUPPRESSED
                            if values["new_work"] == rules.SUPPRESSED
                            else values["new_work_per_month"]
                        ),
                        _shown(values["new_work_per_fte"]),
                        _shown(values["open_cases"])
                        if line.demand and line.demand.open_measure
                        else "not measured",
                        _shown(values["open_cases_per_fte"])
                        if line.demand and line.demand.open_measure
                        else "n/a",
                        _shown(values["forecast_per_fte_3_months"]),
                        _shown(values["forecast_per_fte_6_months"]),
                    ],
                    "unavailable": line.unavailable if line.kind == "total" else "",
                }
            )
    return rows


PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#505a5f", "#0b0c0c", "#912b88", "#b58840")


def chart_panels(report: Report, *, suppress: bool) -> list[dict[str, Any]]:
    """Per workload, new work per FTE in post by area over the months (one line per area)."""
    panels = []
    labels = [m.strftime("%b %y") for m in report.months]
    for workload in Workload.values:
        totals = [g.total for g in report.groups if g.total.workload == workload]
        if not totals or all(line.per_fte is None for line in totals):
            continue
        chart_id = f"capacity-{workload.replace('_', '-')}"
        title = f"{WORKLOAD_LABELS[workload]}: new {WORKLOAD_SERIES[workload].noun} a month per FTE in post"
        lines = []
        rows = []
        for index, line in enumerate(totals):
            values = [None if suppress and rules.is_small(m.new_work) else m.per_fte for m in line.months]
            lines.append((report.place(line.district).capitalize(), values, PALETTE[index % len(PALETTE)]))
        for i, month in enumerate(report.months):
            rows.append([month.strftime("%b %Y"), *[_shown(values[i]) for _, values, _ in lines]])
        panels.append(
            {
                "id": chart_id,
                "title": title,
                "svg": charts.line_chart(chart_id, title, labels, lines),
                "columns": ["Month", *[name for name, _, _ in lines]],
                "rows": rows,
            }
        )
    return panels


def capacity_sentences(force_id: Any, start: date | datetime, end: date | datetime) -> list[str]:
    """For the scrutiny report: where pressure is highest and growing, and the highest vacancy, over
    the months from `start` up to `end` (exclusive; a date after the 1st counts its month in),
    small numbers suppressed. Empty when the force has no capacity team with staffing recorded."""
    first = start.date() if isinstance(start, datetime) else start
    after = end.date() if isinstance(end, datetime) else end
    first = date(first.year, first.month, 1)
    after = date(after.year, after.month, 1) + (relativedelta(months=1) if after.day > 1 else relativedelta())
    report = build(force_id, first, after)
    return sentences(report, suppress=True) if report.groups else []
