"""A synthetic Safer Communities Fund for the demo: five rounds, applications from made-up
organisations, awards and monitoring returns.

Every figure is made up and every round is marked `synthetic`, so the summary page and API say
so: the totals are not the Mayor's real ones (the seed's "289 projects, £2,459,441.97, 91k
people" is only the shape the sentence follows). Reproducible (random.Random(2031)); a second call
adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.models import AuditAction, District, Force, RoleGrant
from safehub.core.roles import Role
from safehub.fund import rules
from safehub.fund.models import ApplicationStatus, FundApplication, FundAward, FundRound, MonitoringReturn

Progress = Callable[[str, int, int], None]

# Applications per round.
SIZES = {"small": 8, "full": 75}
SEED = 2031
JOB = core_demo.DEMO_JOB
ROUNDS = 5
ORG_STARTS = [
    "Aire",
    "Calder",
    "Pennine",
    "Riverside",
    "Northgate",
    "Hollybank",
    "Moorside",
    "Kestrel",
    "Brookfield",
]
ORG_KINDS = [
    "Community Trust",
    "Youth Project",
    "Women's Centre",
    "Advice Network",
    "Sports Club",
    "Arts Collective",
]
PROJECTS = {
    "csae": "Safer online: sessions for children and parents on grooming",
    "domestic_abuse": "Peer support groups for survivors of domestic abuse",
    "fraud_cyber": "Scam awareness for older residents",
    "trafficking": "Outreach to workers at risk of labour exploitation",
    "honour_based_abuse": "Community champions against so-called honour-based abuse",
    "stalking_harassment": "Stalking advocacy and safety planning",
    "rape_sexual_offences": "Counselling after rape and sexual assault",
    "youth_violence": "Detached youth work in the night-time economy",
    "hate_crime": "Third-party hate crime reporting centres",
    "other": "Neighbourhood safety walks",
}
THEME_WEIGHTS = {
    "domestic_abuse": 22,
    "csae": 14,
    "youth_violence": 14,
    "rape_sexual_offences": 9,
    "fraud_cyber": 8,
    "trafficking": 7,
    "stalking_harassment": 7,
    "honour_based_abuse": 5,
    "hate_crime": 7,
    "other": 7,
}


def already_loaded() -> int:
    return core_demo.created_by_demo("fund.fundround")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    per_round = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    force = Force.objects.filter(code=core_demo.FORCE_CODE).first() or Force.objects.first()
    manager_grant = RoleGrant.objects.filter(role=Role.PARTNERSHIP_MANAGER).select_related("user").first()
    if force is None or manager_grant is None:
        raise RuntimeError("Load the core demo first: the fund needs the force and the partnership manager")
    manager = manager_grant.user
    districts = list(District.objects.filter(force=force).order_by("code"))
    rng = random.Random(SEED)
    today = timezone.localdate()
    counts = {"rounds": 0, "applications": 0, "awards": 0, "returns": 0}
    total = ROUNDS * per_round
    done = 0
    for number in range(1, ROUNDS + 1):
        opens = today - timedelta(days=(ROUNDS - number) * 240 + 300)
        fund_round = FundRound(
            force=force,
            number=number,
            name=f"{opens:%B %Y} round (synthetic demo)",
            opens_on=opens,
            closes_on=opens + timedelta(days=42),
            budget=Decimal("0.00"),
            synthetic=True,
        )
        applications = []
        for _ in range(per_round):
            theme = rng.choices(list(THEME_WEIGHTS), weights=list(THEME_WEIGHTS.values()))[0]
            requested = Decimal(rng.randint(150_000, 2_500_000)) / 100
            applications.append((theme, requested.quantize(rules.PENNY)))
        awarded_share = [rng.random() < 0.8 for _ in applications]
        fund_round.budget = (
            sum(
                (req for (_, req), funded in zip(applications, awarded_share, strict=True) if funded),
                Decimal("0"),
            )
            + Decimal(rng.randint(0, 2_000_000)) / 100
        )
        fund_round.budget = fund_round.budget.quantize(rules.PENNY)
        fund_round.full_clean()
        fund_round.save()
        audit.record(JOB, AuditAction.CREATE, fund_round, fields=["number", "name", "budget"])
        counts["rounds"] += 1
        for (theme, requested), funded in zip(applications, awarded_share, strict=True):
            submitted = fund_round.opens_on + timedelta(days=rng.randint(0, 41))
            application = FundApplication(
                round=fund_round,
                organisation=f"{rng.choice(ORG_STARTS)} {rng.choice(ORG_KINDS)}",
                project=PROJECTS[theme],
                theme=theme,
                amount_requested=requested,
                projected_people=rng.choice([40, 60, 120, 200, 300, 450, 800]),
                submitted_on=submitted,
                created_by=manager,
            )
            application.full_clean()
            application.save()
            application.districts.set(rng.sample(districts, k=1 if rng.random() < 0.8 else 2))
            audit.record(JOB, AuditAction.CREATE, application, fields=["organisation", "project", "theme"])
            counts["applications"] += 1
            decided = fund_round.closes_on + timedelta(days=rng.randint(20, 50))
            if decided > today:
                pass
            elif funded:
                award = FundAward(
                    application=application,
                    round=fund_round,
                    amount=requested,
                    awarded_on=decided,
                    created_by=manager,
                )
                award.full_clean()
                award.save()
                application.status, application.decided_on = ApplicationStatus.AWARDED, decided
                application.save(update_fields=["status", "decided_on"])
                audit.record(JOB, AuditAction.CREATE, award, fields=["amount", "awarded_on"])
                counts["awards"] += 1
                counts["returns"] += _returns(rng, award, manager, today)
            else:
                application.status, application.decided_on = ApplicationStatus.DECLINED, decided
                application.save(update_fields=["status", "decided_on"])
            done += 1
            progress("fund applications", done, total)
    return counts


def _returns(rng: random.Random, award: FundAward, manager: Any, today: date) -> int:
    """Quarterly returns until today: reach and spend spread over a year, never more than awarded."""
    made, spent = 0, Decimal("0.00")
    for quarter in range(1, 5):
        period_end = award.awarded_on + timedelta(days=91 * quarter)
        if period_end > today:
            break
        people = int(award.application.projected_people * rng.uniform(0.1, 0.35))
        spend = min(
            (award.amount * Decimal(rng.uniform(0.15, 0.3))).quantize(rules.PENNY), award.amount - spent
        )
        spent += spend
        monitoring = MonitoringReturn(
            award=award,
            period_end=period_end,
            people_reached=people,
            spend=spend,
            narrative="Sessions delivered as planned (synthetic demo return).",
            submitted_on=min(period_end + timedelta(days=14), today),
            created_by=manager,
        )
        monitoring.full_clean()
        monitoring.save()
        audit.record(JOB, AuditAction.CREATE, monitoring, fields=["period_end", "people_reached", "spend"])
        made += 1
    return made
