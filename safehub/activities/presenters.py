"""The register and team establishment as display strings (templates hold no logic)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse

from safehub.activities import summaries, targets
from safehub.activities.models import Activity, Theme

THEME_LABELS = dict(Theme.choices)


def money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def fte(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def dates(activity: Activity) -> str:
    if activity.ends_on and activity.ends_on != activity.starts_on:
        return f"{summaries.day_text(activity.starts_on)} to {summaries.day_text(activity.ends_on)}"
    return summaries.day_text(activity.starts_on)


def themes(codes: list[str]) -> str:
    return ", ".join(THEME_LABELS.get(code, code) for code in codes)


def districts(activity: Activity) -> str:
    names = [d.name for d in activity.districts.all()]
    return ", ".join(sorted(names)) if names else "Force-wide"


def impact_url(activity: Activity) -> str:
    """The analytics campaign impact page, once that page exists ('' until then)."""
    if not activity.is_campaign:
        return ""
    try:
        return reverse("analytics:campaign-impact", kwargs={"activity_id": activity.pk})
    except NoReverseMatch:
        return ""


def target_text(activity: Activity) -> str:
    if not activity.is_campaign:
        return ""
    titles = dict(targets.choices())
    parts = [titles.get(activity.target_series, activity.target_series)]
    if activity.target_category:
        parts.append(f"category {activity.target_category}")
    parts.append(f"district {activity.target_district}" if activity.target_district else "force-wide")
    return ", ".join(parts)


def row(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "dates": dates(activity),
        "themes": themes(activity.themes),
        "districts": districts(activity),
        "attendance": number(activity.attendance),
        "reach": number(activity.reach),
        "cost": money(activity.cost),
    }


def detail(activity: Activity) -> dict[str, Any]:
    return {
        **row(activity),
        "description": activity.description,
        "venue": activity.venue,
        "lead_organisation": activity.lead_organisation,
        "partners": summaries.join(activity.partner_organisations, most=50),
        "audience": activity.audience,
        "attendance_text": (
            f"{number(activity.attendance)} {activity.attendance_noun}".strip()
            if activity.attendance is not None
            else ""
        ),
        "funding_source": activity.funding_source,
        "outcomes": activity.outcomes,
        "is_campaign": activity.is_campaign,
        "target": target_text(activity),
        "impact_url": impact_url(activity),
        "sentence": summaries.sentence(activity),
    }


def totals(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "activities": number(data["activities"]),
        "attendance": number(data["attendance"]),
        "reach": number(data["reach"]),
        "cost": money(data["cost"]),
        "rows": [
            {
                "label": r["label"],
                "activities": number(r["activities"]),
                "attendance": number(r["attendance"]),
                "reach": number(r["reach"]),
                "cost": money(r["cost"]),
            }
            for r in data["by_kind"]
        ],
    }


def _changes(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The months whose figures differ from the month before (the first month always)."""
    kept, previous = [], None
    for point in points:
        figures = (point["establishment_fte"], point["in_post_fte"])
        if figures != previous:
            kept.append(point)
        previous = figures
    return kept


def team_rows(series: list[dict[str, Any]], records: list[Any]) -> list[dict[str, Any]]:
    """Each capacity team: its workload, FTE now and the establishment records (latest first)."""
    by_team: dict[Any, list[Any]] = {}
    for record in records:
        by_team.setdefault(record.team_id, []).append(record)
    rows = []
    for item in series:
        team = item["team"]
        latest = item["points"][-1] if item["points"] else None
        rows.append(
            {
                "id": team.pk,
                "name": team.name,
                "agency": team.agency.name,
                "district": team.district.name if team.district_id else "Force-wide",
                "workload": item["workload_label"] or "Not set",
                "establishment_now": fte(latest["establishment_fte"]) if latest else "",
                "in_post_now": fte(latest["in_post_fte"]) if latest else "",
                "history": [
                    {
                        "month": f"{p['month']:%B %Y}",
                        "establishment": fte(p["establishment_fte"]),
                        "in_post": fte(p["in_post_fte"]),
                        "vacancies": fte(max(p["establishment_fte"] - p["in_post_fte"], 0)),
                    }
                    for p in _changes(item["points"])
                ],
                "records": [
                    {
                        "role": r.role,
                        "from": summaries.day_text(r.effective_from),
                        "establishment": fte(r.establishment_fte),
                        "in_post": fte(r.in_post_fte),
                        "note": r.note,
                    }
                    for r in by_team.get(team.pk, [])
                ],
            }
        )
    return rows
