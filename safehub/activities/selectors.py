"""Reads of the activity register and of team establishment.

Neither holds personal data, so reads are not audited; every read is still limited to the
caller's force (another partnership's ids are 404).

Establishment is a history: a record for a team and role is in force from its `effective_from`
until the next record for the same team and role. A team's FTE on a day is the sum, over its
roles, of the record in force that day (index `establishment_team_from` serves the per-team read).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from safehub.activities.models import Activity, ActivityKind, Establishment
from safehub.core import periods
from safehub.core.access import parse_id
from safehub.core.models import Team

ZERO = Decimal("0")


# --- establishment (capacity) ---------------------------------------------------------------


def _in_force(records: list[Establishment], day: date) -> tuple[Decimal, Decimal, bool]:
    """Sum, over roles, of the latest record with effective_from <= day; `records` are one team's,
    in any order. The flag says whether any record was in force."""
    latest: dict[str, Establishment] = {}
    for record in records:
        if record.effective_from > day:
            continue
        current = latest.get(record.role)
        if current is None or record.effective_from > current.effective_from:
            latest[record.role] = record
    establishment = sum((r.establishment_fte for r in latest.values()), ZERO)
    in_post = sum((r.in_post_fte for r in latest.values()), ZERO)
    return establishment, in_post, bool(latest)


def fte_on(team: Team | Any, day: date) -> tuple[Decimal, Decimal]:
    """A team's (establishment FTE, in-post FTE) on `day`: for each role the record with the latest
    effective_from on or before `day`, summed. (0, 0) before the team's first record."""
    team_id: Any = getattr(team, "pk", team)
    records = list(Establishment.objects.filter(team_id=team_id, effective_from__lte=day))
    establishment, in_post, _ = _in_force(records, day)
    return establishment, in_post


def teams_of_force(force_id: Any) -> QuerySet[Team]:
    """The force's teams that have a workload or an establishment record (the capacity teams)."""
    return (
        Team.objects.filter(agency__force_id=force_id)
        .filter(Q(capacity__isnull=False) | Q(establishment__isnull=False))
        .distinct()
        .select_related("agency", "district", "capacity")
        .order_by("name", "agency__name")
    )


def monthly_fte(force_id: Any, first_month: date, last_month: date) -> list[dict[str, Any]]:
    """Establishment and in-post FTE of each of the force's capacity teams for every month from
    `first_month` to `last_month` (both included), as in force on the 1st of the month.

    One row per team and month: team_id, team, agency, district (code or ''), workload (code or ''),
    month (the 1st), establishment_fte and in_post_fte (floats). Months before a team's first
    establishment record are left out (its capacity then is unknown, not nil). Ordered by month,
    then team name. Called by the analytics app's demand-against-capacity view.
    """
    months = periods.months_between(first_month, periods.add_months(last_month, 1))
    if not months:
        return []
    teams = list(teams_of_force(force_id))
    records: dict[Any, list[Establishment]] = defaultdict(list)
    for record in Establishment.objects.filter(team__in=teams, effective_from__lte=months[-1]):
        records[record.team_id].append(record)
    rows = []
    for month in months:
        for team in teams:
            establishment, in_post, known = _in_force(records.get(team.pk, []), month)
            if not known:
                continue
            capacity = getattr(team, "capacity", None)
            rows.append(
                {
                    "team_id": team.pk,
                    "team": team.name,
                    "agency": team.agency.name,
                    "district": team.district.code if team.district else "",
                    "workload": capacity.workload if capacity else "",
                    "month": month,
                    "establishment_fte": float(establishment),
                    "in_post_fte": float(in_post),
                }
            )
    return rows


def establishment_series(force: Any, months: int = 24, *, today: date | None = None) -> list[dict[str, Any]]:
    """Per capacity team of `force`, its FTE for the last `months` months up to this month:
    {team, workload, workload_label, points: [{month, establishment_fte, in_post_fte}]}."""
    last = periods.month_start(today or timezone.localdate())
    first = periods.add_months(last, -(max(months, 1) - 1))
    force_id = getattr(force, "pk", force)
    by_team: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in monthly_fte(force_id, first, last):
        by_team[row["team_id"]].append(row)
    series = []
    for team in teams_of_force(force_id):
        capacity = getattr(team, "capacity", None)
        series.append(
            {
                "team": team,
                "workload": capacity.workload if capacity else "",
                "workload_label": capacity.get_workload_display() if capacity else "",
                "points": [
                    {
                        "month": row["month"],
                        "establishment_fte": row["establishment_fte"],
                        "in_post_fte": row["in_post_fte"],
                    }
                    for row in by_team.get(team.pk, [])
                ],
            }
        )
    return series


def teams_for(user: Any) -> QuerySet[Team]:
    """Every team of the caller's partnership (the teams page lists them all, so a workload can be set)."""
    return (
        Team.objects.filter(agency__force_id=_force_id(user))
        .select_related("agency", "district")
        .order_by("name", "agency__name")
    )


def establishment_for(user: Any, *, team: Team | None = None) -> QuerySet[Establishment]:
    queryset = Establishment.objects.filter(team__agency__force_id=_force_id(user)).select_related(
        "team", "team__agency", "team__district"
    )
    queryset = queryset.order_by("team__name", "team__agency__name", "role", "-effective_from")
    return queryset.filter(team=team) if team is not None else queryset


# --- the activity register ------------------------------------------------------------------


def _force_id(user: Any):
    return user.agency.force_id if getattr(user, "agency_id", None) else None


@dataclass(frozen=True)
class RegisterFilter:
    """What the register is filtered by: each blank means "all"."""

    kind: str = ""
    theme: str = ""
    district: str = ""  # district code
    financial_year: int | None = None  # the year it starts
    starts_from: date | None = None
    starts_to: date | None = None


def activities_for(user: Any) -> QuerySet[Activity]:
    return Activity.objects.of_force(_force_id(user)).prefetch_related("districts")


def activity_for(user: Any, activity_id: Any) -> Activity:
    found = activities_for(user).filter(pk=parse_id(activity_id)).first()
    if found is None:
        raise Http404("No such activity")
    return found


def _theme_filter(queryset: QuerySet[Activity], theme: str) -> QuerySet[Activity]:
    """Themes are a JSON list; `contains` on a JSON list is not supported by SQLite, so filter by
    id in Python over the force's (few hundred at most) activities."""
    ids = [pk for pk, themes in queryset.values_list("pk", "themes") if theme in (themes or [])]
    return queryset.filter(pk__in=ids)


def activities_filtered(queryset: QuerySet[Activity], chosen: RegisterFilter) -> QuerySet[Activity]:
    """The register filtered by kind, theme, district (only activities naming the district, not
    force-wide ones), financial year and start dates."""
    if chosen.kind:
        queryset = queryset.filter(kind=chosen.kind)
    if chosen.district:
        queryset = queryset.filter(districts__code=chosen.district).distinct()
    if chosen.financial_year is not None:
        first, end = periods.financial_year_bounds(chosen.financial_year)
        queryset = queryset.filter(starts_on__gte=first, starts_on__lt=end)
    if chosen.starts_from:
        queryset = queryset.filter(starts_on__gte=chosen.starts_from)
    if chosen.starts_to:
        queryset = queryset.filter(starts_on__lte=chosen.starts_to)
    if chosen.theme:
        queryset = _theme_filter(queryset, chosen.theme)
    return queryset


def totals_by_kind(queryset: QuerySet[Activity]) -> dict[str, Any]:
    """Activities, attendance, reach and cost by kind (in the kinds' order) and in all."""
    rows = {
        row["kind"]: row
        for row in queryset.order_by()
        .values("kind")
        .annotate(
            activities=Count("pk", distinct=True),
            attendance=Sum("attendance"),
            reach=Sum("reach"),
            cost=Sum("cost"),
        )
    }
    by_kind = []
    for code, label in ActivityKind.choices:
        row = rows.get(code)
        if not row:
            continue
        by_kind.append(
            {
                "kind": code,
                "label": label,
                "activities": row["activities"],
                "attendance": row["attendance"] or 0,
                "reach": row["reach"] or 0,
                "cost": (row["cost"] or ZERO).quantize(Decimal("0.01")),
            }
        )
    return {
        "by_kind": by_kind,
        "activities": sum(r["activities"] for r in by_kind),
        "attendance": sum(r["attendance"] for r in by_kind),
        "reach": sum(r["reach"] for r in by_kind),
        "cost": sum((r["cost"] for r in by_kind), Decimal("0.00")),
    }


def financial_years_of(queryset: QuerySet[Activity]) -> list[int]:
    """The financial years the activities start in, latest first (for the filter)."""
    days = queryset.order_by().values_list("starts_on", flat=True).distinct()
    return sorted({periods.financial_year_of(day) for day in days}, reverse=True)
