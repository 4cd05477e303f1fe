"""Reads: a user's referrals (scoped) and the Home Office-shaped statistics (aggregates only).

The statistics never return a person-level field: counts by exploitation type, age group at
exploitation, nationality, district and calendar quarter, and the decisions with their percent
positive. Index nrm_referred_district serves the period filter.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from safehub.core.models import District
from safehub.slavery import rules
from safehub.slavery.models import Decision, Kind, NrmReferral, Sex, Status

OPEN_STATUSES = (Status.AWAITING_RG, Status.RECOVERY)


def referrals_for(user: Any, *, kind: str = "", status: str = "", district: District | None = None):
    """The referrals `user` may see, newest first (scoped: own agency, MASH district, shares)."""
    queryset = NrmReferral.objects.visible_to(user).select_related("district", "owning_agency", "person")
    if kind:
        queryset = queryset.filter(kind=kind)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if district is not None:
        queryset = queryset.filter(district=district)
    return queryset


def _period(force: Any, start: datetime | None, end: datetime | None, district: District | None):
    queryset = NrmReferral.objects.all()
    if force is not None:
        queryset = queryset.filter(district__force=force)
    if start is not None:
        queryset = queryset.filter(referred_at__gte=start)
    if end is not None:
        queryset = queryset.filter(referred_at__lt=end)
    if district is not None:
        queryset = queryset.filter(district=district)
    return queryset


def _rows(counter: Counter, labels: dict[str, str], order: list[str] | None = None) -> list[dict[str, Any]]:
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], labels.get(k, k)))
    total = sum(counter.values())
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "count": counter[key],
            "percent": rules.percent(counter[key], total),
        }
        for key in keys
        if counter[key] or order is not None
    ]


def statistics(
    *,
    force: Any = None,
    start: datetime | None = None,
    end: datetime | None = None,
    district: District | None = None,
) -> dict[str, Any]:
    """NRM referrals and Duty to Notify reports in the shape of the Home Office quarterly tables."""
    rows = list(
        _period(force, start, end, district).values_list(
            "kind",
            "exploitation_types",
            "age_at_exploitation",
            "nationality",
            "district__code",
            "district__name",
            "referred_at",
            "county_lines",
            "sex",
        )
    )
    nrm = [r for r in rows if r[0] == Kind.NRM]
    by_type, mentions, by_age, by_nationality, by_district, by_quarter, by_sex = (Counter() for _ in range(7))
    district_names: dict[str, str] = {}
    for _kind, types, age, nationality, code, name, referred_at, _county, sex in nrm:
        by_sex[sex] += 1
        by_type[rules.exploitation_group(types)] += 1
        for t in dict.fromkeys(types):
            mentions[t] += 1
        by_age[rules.age_group(age)] += 1
        by_nationality[nationality] += 1
        by_district[code] += 1
        district_names[code] = name
        by_quarter[rules.quarter_of(timezone.localtime(referred_at))] += 1
    type_labels = dict(rules.EXPLOITATION_LABELS) | {rules.MULTIPLE: rules.MULTIPLE_LABEL}
    type_order = [t for t, _ in rules.EXPLOITATION_TYPES if t != "unknown"] + [rules.MULTIPLE, "unknown"]
    dtn_quarters = Counter(rules.quarter_of(timezone.localtime(r[6])) for r in rows if r[0] == Kind.DTN)
    decisions = _decisions(force, start, end, district)
    quarters = sorted(set(by_quarter) | set(dtn_quarters) | set(decisions["by_quarter"]))
    empty = {"rg_positive": 0, "rg_negative": 0, "cg_positive": 0, "cg_negative": 0}
    return {
        "nrm_referrals": len(nrm),
        "dtn_reports": len(rows) - len(nrm),
        "county_lines": sum(1 for r in nrm if r[7]),
        "by_exploitation_type": _rows(by_type, type_labels, type_order),
        "exploitation_mentions": _rows(mentions, type_labels, [t for t, _ in rules.EXPLOITATION_TYPES]),
        "by_age_group": _rows(by_age, dict(rules.AGE_GROUPS), [k for k, _ in rules.AGE_GROUPS]),
        "by_sex": _rows(by_sex, dict(Sex.choices), list(Sex.values)),
        "by_nationality": _rows(by_nationality, {}),
        "by_district": _rows(by_district, district_names),
        "by_quarter": [
            {
                "quarter": q,
                "label": rules.quarter_label(q),
                "nrm_referrals": by_quarter[q],
                "dtn_reports": dtn_quarters[q],
                **decisions["by_quarter"].get(q, empty),
            }
            for q in quarters
        ],
        "decisions": decisions["totals"],
    }


def _decision_counts(queryset, prefix: str) -> dict[str, Any]:
    counts = queryset.aggregate(
        positive=Count("pk", filter=Q(**{f"{prefix}_decision": Decision.POSITIVE})),
        negative=Count("pk", filter=Q(**{f"{prefix}_decision": Decision.NEGATIVE})),
    )
    made = counts["positive"] + counts["negative"]
    return {**counts, "made": made, "percent_positive": rules.percent(counts["positive"], made)}


def _decisions(force, start, end, district) -> dict[str, Any]:
    """Decisions counted by when they were made (as the Home Office does), and RG timeliness."""
    base = NrmReferral.objects.filter(kind=Kind.NRM)
    if force is not None:
        base = base.filter(district__force=force)
    if district is not None:
        base = base.filter(district=district)

    def made_in(prefix: str):
        queryset = base.filter(**{f"{prefix}_decided_at__isnull": False})
        if start is not None:
            queryset = queryset.filter(**{f"{prefix}_decided_at__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{prefix}_decided_at__lt": end})
        return queryset

    rg, cg = made_in("rg"), made_in("cg")
    on_time = sum(1 for decided, due in rg.values_list("rg_decided_at", "rg_due_at") if decided <= due)
    rg_totals = _decision_counts(rg, "rg")
    totals = {
        "reasonable_grounds": rg_totals
        | {
            "on_target": on_time,
            "percent_on_target": rules.percent(on_time, rg_totals["made"]),
        },
        "conclusive_grounds": _decision_counts(cg, "cg"),
    }
    by_quarter: dict[str, dict[str, Any]] = {}
    for prefix in ("rg", "cg"):
        for decided, decision in made_in(prefix).values_list(f"{prefix}_decided_at", f"{prefix}_decision"):
            q = rules.quarter_of(timezone.localtime(decided))
            row = by_quarter.setdefault(
                q, {"rg_positive": 0, "rg_negative": 0, "cg_positive": 0, "cg_negative": 0}
            )
            row[f"{prefix}_{decision}"] += 1
    return {"totals": totals, "by_quarter": by_quarter}
