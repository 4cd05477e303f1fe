"""Reads for domestic abuse powers and schemes. Person-level lists take the user and go through
`visible_to`; the evaluation, timeliness table and findings report return counts only.

Indexes: protection_order_served (orders by district and time served), protection_dvds_received
(timeliness by district and month), protection_cj_outcome and protection_idva_deployed (evaluation),
contact_district_received (domestic abuse contacts in a period).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from safehub.contacts.models import Category, Contact, ContactPerson
from safehub.core.models import District
from safehub.protection import rules
from safehub.protection.models import (
    CjOutcome,
    CriminalJusticeOutcome,
    DisclosureApplication,
    IdvaDeployment,
    IdvaSupport,
    ProtectionOrder,
    ScrutinyCase,
    ScrutinySample,
    Theme,
)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def orders_for(user: Any, *, open_only: bool = False) -> QuerySet[ProtectionOrder]:
    orders = ProtectionOrder.objects.visible_to(user).select_related("victim", "subject", "district")
    if open_only:
        orders = orders.filter(outcome__in=["pending", "adjourned"])
    return orders.order_by("-served_at")


def support_for(user: Any, order: ProtectionOrder) -> QuerySet[IdvaSupport]:
    return IdvaSupport.objects.visible_to(user).filter(order=order).select_related("recorded_by")


def disclosures_for(user: Any, *, open_only: bool = False) -> QuerySet[DisclosureApplication]:
    rows = DisclosureApplication.objects.visible_to(user).select_related(
        "person_at_risk", "subject", "district"
    )
    if open_only:
        rows = rows.filter(completed_at__isnull=True)
    return rows.order_by("due_at" if open_only else "-received_at")


def deployments_for(user: Any) -> QuerySet[IdvaDeployment]:
    return IdvaDeployment.objects.visible_to(user).select_related("district").order_by("-deployed_at")


def samples_for(user: Any) -> QuerySet[ScrutinySample]:
    return ScrutinySample.objects.visible_to(user).order_by("-drawn_at")


def recent_da_contacts(user: Any, *, days: int = 30) -> list[dict[str, Any]]:
    """The user's force's domestic abuse contacts of the last `days` days, with victim and suspect."""
    since = timezone.now() - timedelta(days=days)
    contacts = list(
        Contact.objects.editable_by(user)
        .filter(category=Category.DOMESTIC, received_at__gte=since)
        .select_related("district")
        .order_by("-received_at")[:100]
    )
    people = defaultdict(dict)
    for row in (
        ContactPerson.objects.visible_to(user)
        .filter(contact__in=contacts, role__in=["victim", "suspect"])
        .select_related("person")
    ):
        people[row.contact_id].setdefault(row.role, row.person)
    return [
        {"contact": c, "victim": people[c.pk].get("victim"), "suspect": people[c.pk].get("suspect")}
        for c in contacts
    ]


def contact_parties(user: Any, contact: Contact) -> dict[str, Any]:
    rows = ContactPerson.objects.visible_to(user).filter(contact=contact).select_related("person")
    found: dict[str, Any] = {}
    for row in rows:
        found.setdefault(row.role, row.person)
    return found


# --- the scrutiny sample's pool ----------------------------------------------------------------------


@dataclass
class Pool:
    eligible: list[Contact]
    excluded: dict[str, int] = field(default_factory=dict)


def sample_pool(user: Any, start: date, end: date, *, exclude_live: bool, exclude_reviewed: bool) -> Pool:
    """Domestic abuse contacts received in [start, end] that the user's force holds and that are
    closed (a final criminal-justice outcome); with counts of those left out and why."""
    contacts = list(
        Contact.objects.editable_by(user)
        .filter(
            category=Category.DOMESTIC,
            received_at__gte=_start(start),
            received_at__lt=_start(end + timedelta(days=1)),
        )
        .select_related("district")
        .order_by("id")
    )
    outcomes = dict(
        CriminalJusticeOutcome.objects.filter(contact__in=contacts).values_list("contact_id", "outcome")
    )
    reviewed = set(
        ScrutinyCase.objects.filter(
            sample__owning_agency_id=user.agency_id, contact__in=contacts
        ).values_list("contact_id", flat=True)
    )
    excluded = {"no_outcome": 0, "live_investigation": 0, "reviewed_before": 0}
    eligible = []
    for contact in contacts:
        outcome = outcomes.get(contact.pk)
        if outcome is None:
            excluded["no_outcome"] += 1
        elif outcome == rules.LIVE_OUTCOME and exclude_live:
            excluded["live_investigation"] += 1
        elif exclude_reviewed and contact.pk in reviewed:
            excluded["reviewed_before"] += 1
        else:
            eligible.append(contact)
    return Pool(eligible, excluded)


def findings_report(sample: ScrutinySample) -> dict[str, Any]:
    """The panel's findings: themes counted, and each case's findings by its pseudonymous number."""
    cases = list(sample.cases.order_by("number"))
    labels = dict(Theme.choices)
    themes = Counter(theme for case in cases for theme in case.themes)
    by_district: dict[str, dict[str, int]] = defaultdict(lambda: {"cases": 0, "reviewed": 0})
    for case in cases:
        by_district[case.district_code]["cases"] += 1
        by_district[case.district_code]["reviewed"] += 1 if case.reviewed_at else 0
    return {
        "cases": len(cases),
        "reviewed": sum(1 for c in cases if c.reviewed_at),
        "themes": [{"theme": labels.get(t, t), "code": t, "cases": n} for t, n in themes.most_common()],
        "districts": [{"district": d, **counts} for d, counts in sorted(by_district.items())],
        "findings": [
            {
                "case": f"Case {c.number}",
                "district": c.district_code,
                "outcome": (c.pack.get("outcome") or {}).get("outcome", ""),
                "good_practice": c.good_practice,
                "areas_for_development": c.areas_for_development,
                "themes": [labels.get(t, t) for t in c.themes],
            }
            for c in cases
            if c.reviewed_at
        ],
    }


# --- the IDVA car evaluation (aggregates only) ------------------------------------------------------


def _period_key(moment: datetime, period: str) -> str:
    local = timezone.localtime(moment)
    if period == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return f"{local.year}-{local.month:02d}"


def _group(rows: list[tuple[str, bool]]) -> dict[str, Any]:
    """Counts of each outcome with and without an IDVA car, and the difference in the positive rate."""
    with_car = Counter(outcome for outcome, deployed in rows if deployed)
    without = Counter(outcome for outcome, deployed in rows if not deployed)
    n_with, n_without = sum(with_car.values()), sum(without.values())
    positive_with = sum(with_car[o] for o in rules.POSITIVE_OUTCOMES)
    positive_without = sum(without[o] for o in rules.POSITIVE_OUTCOMES)
    outcomes = []
    for code, label in CjOutcome.choices:
        if code == rules.LIVE_OUTCOME:
            continue
        diff = rules.difference_ci(with_car[code], n_with, without[code], n_without)
        outcomes.append(
            {
                "code": code,
                "label": label,
                "with": with_car[code],
                "without": without[code],
                "difference": diff,
            }
        )
    return {
        "with_total": n_with,
        "without_total": n_without,
        "outcomes": outcomes,
        "positive": rules.difference_ci(positive_with, n_with, positive_without, n_without),
    }


def evaluation(
    start: date, end: date, *, district: District | None = None, period: str = "month"
) -> dict[str, Any]:
    """Criminal-justice outcomes of domestic abuse contacts received in [start, end] with a final
    outcome, attended with and without an IDVA car: overall, by district and by month or quarter."""
    contacts = Contact.objects.filter(
        category=Category.DOMESTIC,
        received_at__gte=_start(start),
        received_at__lt=_start(end + timedelta(days=1)),
    )
    if district is not None:
        contacts = contacts.filter(district=district)
    deployed = set(IdvaDeployment.objects.filter(contact__in=contacts).values_list("contact_id", flat=True))
    rows = list(
        CriminalJusticeOutcome.objects.filter(
            contact__in=contacts, outcome__in=rules.FINAL_OUTCOMES
        ).values_list("contact_id", "outcome", "contact__district__code", "contact__received_at")
    )
    pending = CriminalJusticeOutcome.objects.filter(contact__in=contacts, outcome=rules.LIVE_OUTCOME).count()
    total = contacts.count()
    by_district: dict[str, list] = defaultdict(list)
    by_period: dict[str, list] = defaultdict(list)
    for contact_id, outcome, code, received in rows:
        item = (outcome, contact_id in deployed)
        by_district[code].append(item)
        by_period[_period_key(received, period)].append(item)
    overall = _group([(o, cid in deployed) for cid, o, _, _ in rows])
    return {
        "start": start,
        "end": end,
        "period": period,
        "contacts": total,
        "with_outcome": len(rows),
        "under_investigation": pending,
        "no_outcome": total - len(rows) - pending,
        "deployments": len(deployed),
        "overall": overall,
        "districts": [{"district": code, **_group(items)} for code, items in sorted(by_district.items())],
        "periods": [{"period": key, **_group(items)} for key, items in sorted(by_period.items())],
    }


# --- Clare's Law timeliness (aggregates only) ---------------------------------------------------------


def timeliness(start: date, end: date, *, district: District | None = None) -> list[dict[str, Any]]:
    """By district and month received: applications, completed within 28 days, completed late, open
    past 28 days, open within 28 days, percent within 28 days (of those measurable), median days."""
    now = timezone.now()
    rows = DisclosureApplication.objects.filter(
        received_at__gte=_start(start), received_at__lt=_start(end + timedelta(days=1))
    )
    if district is not None:
        rows = rows.filter(district=district)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for code, received, due_at, completed in rows.values_list(
        "district__code", "received_at", "due_at", "completed_at"
    ):
        key = (code, _period_key(received, "month"))
        cell = cells.setdefault(
            key, {"received": 0, "in_time": 0, "late": 0, "open_overdue": 0, "open_in_time": 0, "days": []}
        )
        cell["received"] += 1
        verdict = rules.within_window(completed, due_at, now)
        if completed is not None:
            cell["in_time" if verdict else "late"] += 1
            cell["days"].append(rules.days_taken(received, completed, now))
        else:
            cell["open_overdue" if verdict is False else "open_in_time"] += 1
    table = []
    for (code, month), cell in sorted(cells.items()):
        measurable = cell["in_time"] + cell["late"] + cell["open_overdue"]
        days = cell.pop("days")
        table.append(
            {
                "district": code,
                "month": month,
                **cell,
                "percent_in_time": round(100 * cell["in_time"] / measurable, 1) if measurable else None,
                "median_days": statistics.median(days) if days else None,
            }
        )
    return table


def panel_rounds(limit: int = 12) -> list[ScrutinySample]:
    """The latest panel rounds, for their anonymised findings reports (counts and case numbers)."""
    return list(ScrutinySample.objects.order_by("-drawn_at")[:limit])


def sample_recommendations(sample: ScrutinySample) -> list[Any]:
    """Recommendations on the tracker that came from this panel round."""
    from safehub.recommendations.models import Recommendation

    return list(
        Recommendation.objects.filter(source_type="protection.scrutinysample", source_id=sample.pk)
        .select_related("owner")
        .order_by("due_on")
    )


def recommendation_owners(user: Any) -> QuerySet:
    """Active people in the user's agency with a person-level role, who can own a recommendation."""
    from safehub.core.models import User
    from safehub.core.roles import PERSON_LEVEL_ROLES

    return (
        User.objects.filter(
            agency_id=user.agency_id, is_active=True, role_grants__role__in=PERSON_LEVEL_ROLES
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
