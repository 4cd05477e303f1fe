"""The fund's records and totals as display strings."""

from __future__ import annotations

from typing import Any

from safehub.fund import rules


def money(value) -> str:
    return rules.pounds(value)


def round_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "budget_text": money(row["budget"]),
        "awarded_text": money(row["awarded"]),
        "remaining_text": money(row["remaining"]),
        "projected_text": f"{row['projected_people']:,}",
        "reported_text": f"{row['reported_people']:,}",
    }


def summary(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "awarded_text": money(data["awarded"]),
        "budget_text": money(data["budget"]),
        "projected_text": f"{data['projected_people']:,}",
        "reported_text": f"{data['reported_people']:,}",
        "round_rows": [round_row(r) for r in data["by_round"]],
        "theme_rows": [
            {**r, "awarded_text": money(r["awarded"]), "people_text": f"{r['projected_people']:,}"}
            for r in data["by_theme"]
            if r["projects"]
        ],
        "district_rows": [{**r, "awarded_text": money(r["awarded"])} for r in data["by_district"]],
    }


def application_row(application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "organisation": application.organisation,
        "project": application.project,
        "theme": rules.THEME_LABELS.get(application.theme, application.theme),
        "districts": ", ".join(d.name for d in application.districts.all()),
        "requested": money(application.amount_requested),
        "people": f"{application.projected_people:,}",
        "status": application.get_status_display(),
        "open": application.status == "submitted",
    }
