"""Reads of the fund: a partnership's rounds, applications and awards, and the summary totals.

The fund holds no personal data, so reads are not audited; every read is still limited to the
caller's force (another partnership's ids are 404).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.http import Http404

from safehub.core.access import parse_id
from safehub.fund import rules
from safehub.fund.models import ZERO, FundApplication, FundAward, FundRound, MonitoringReturn


def _force(user: Any):
    return user.agency.force if getattr(user, "agency_id", None) else None


def rounds_for(user: Any):
    return FundRound.objects.filter(force=_force(user)).order_by("number")


def round_for(user: Any, round_id: Any) -> FundRound:
    found = rounds_for(user).filter(pk=parse_id(round_id)).first()
    if found is None:
        raise Http404("No such round")
    return found


def applications_for(user: Any, *, round: FundRound | None = None):
    queryset = FundApplication.objects.filter(round__force=_force(user)).select_related("round")
    queryset = queryset.prefetch_related("districts")
    return queryset.filter(round=round) if round is not None else queryset


def application_for(user: Any, application_id: Any) -> FundApplication:
    found = applications_for(user).filter(pk=parse_id(application_id)).first()
    if found is None:
        raise Http404("No such application")
    return found


def awards_for(user: Any, *, round: FundRound | None = None):
    queryset = (
        FundAward.objects.filter(round__force=_force(user))
        .select_related("round", "application")
        .prefetch_related("application__districts")
        .annotate(reported_people=Sum("returns__people_reached"), spent=Sum("returns__spend"))
        .order_by("round__number", "application__organisation", "pk")
    )
    return queryset.filter(round=round) if round is not None else queryset


def award_for(user: Any, award_id: Any) -> FundAward:
    found = awards_for(user).filter(pk=parse_id(award_id)).first()
    if found is None:
        raise Http404("No such award")
    return found


def awarded_in(round: FundRound) -> Decimal:
    return _pence(FundAward.objects.filter(round=round).aggregate(total=Sum("amount"))["total"])


def spent_on(award: FundAward) -> Decimal:
    return _pence(MonitoringReturn.objects.filter(award=award).aggregate(total=Sum("spend"))["total"])


def _pence(total: Decimal | None) -> Decimal:
    """A database sum as pounds and pence (SQLite's SUM drops trailing zeros)."""
    return (total or ZERO).quantize(rules.PENNY)


def summary(force: Any, *, round_numbers: list[int] | None = None) -> dict[str, Any]:
    """Totals over the force's rounds (or the numbered ones): awards, money, people, by round,
    theme and district, and the summary sentence built from them."""
    rounds = FundRound.objects.filter(force=force).order_by("number")
    if round_numbers:
        rounds = rounds.filter(number__in=round_numbers)
    rounds = list(rounds)
    awards = FundAward.objects.filter(round__in=rounds)
    by_round = {
        row["round"]: row
        for row in awards.values("round").annotate(
            projects=Count("pk"), awarded=Sum("amount"), people=Sum("application__projected_people")
        )
    }
    reported = {
        row["award__round"]: row["people"] or 0
        for row in MonitoringReturn.objects.filter(award__round__in=rounds)
        .values("award__round")
        .annotate(people=Sum("people_reached"))
    }
    applications = {
        row["round"]: row["n"]
        for row in FundApplication.objects.filter(round__in=rounds).values("round").annotate(n=Count("pk"))
    }
    round_rows = []
    for r in rounds:
        row = by_round.get(r.pk, {})
        awarded = _pence(row.get("awarded"))
        round_rows.append(
            {
                "id": r.pk,
                "number": r.number,
                "name": r.name,
                "budget": r.budget,
                "applications": applications.get(r.pk, 0),
                "projects": row.get("projects", 0),
                "awarded": awarded,
                "remaining": r.budget - awarded,
                "projected_people": row.get("people") or 0,
                "reported_people": reported.get(r.pk, 0),
                "synthetic": r.synthetic,
            }
        )
    projects = sum(row["projects"] for row in round_rows)
    awarded = sum((row["awarded"] for row in round_rows), ZERO)
    people = sum(row["projected_people"] for row in round_rows)
    funded_rounds = [row["number"] for row in round_rows if row["projects"]] or [r.number for r in rounds]
    by_theme: dict[str, dict[str, Any]] = {}
    for row in awards.values("application__theme").annotate(
        projects=Count("pk"), awarded=Sum("amount"), people=Sum("application__projected_people")
    ):
        by_theme[row["application__theme"]] = row
    theme_rows = [
        {
            "theme": code,
            "label": label,
            "projects": by_theme.get(code, {}).get("projects", 0),
            "awarded": _pence(by_theme.get(code, {}).get("awarded")),
            "projected_people": by_theme.get(code, {}).get("people") or 0,
        }
        for code, label in rules.THEMES
    ]
    districts: dict[str, dict[str, Any]] = defaultdict(lambda: {"projects": 0, "awarded": ZERO})
    for code, name, amount in awards.values_list(
        "application__districts__code", "application__districts__name", "amount"
    ):
        if code is None:
            continue
        districts[code]["name"] = name
        districts[code]["projects"] += 1
        districts[code]["awarded"] += amount
    district_rows = [{"district": code, **values} for code, values in sorted(districts.items())]
    return {
        "rounds": [row["number"] for row in round_rows],
        "projects": projects,
        "awarded": awarded,
        "budget": sum((r.budget for r in rounds), ZERO),
        "projected_people": people,
        "reported_people": sum(row["reported_people"] for row in round_rows),
        "sentence": rules.summary_sentence(
            round_numbers=funded_rounds, projects=projects, awarded=awarded, people=people
        )
        if rounds
        else "No fund rounds are recorded yet.",
        "synthetic": any(r.synthetic for r in rounds),
        "by_round": round_rows,
        "by_theme": theme_rows,
        "by_district": district_rows,
    }
