"""Synthetic modern slavery records for the demo world: two years of NRM referrals and anonymous
Duty to Notify (MS1) reports across West Yorkshire's five districts.

- Children (criminal exploitation through county lines above all, then sexual) are always
  referred; adults are referred with consent, and otherwise notified on an anonymous MS1.
- Nationalities, exploitation types and districts are weighted to look like the Home Office
  tables (UK nationals the largest group); every figure is made up.
- The reasonable grounds decision follows the real `nrm-reasonable-grounds` clock (most within 5
  working days, some late, the newest still awaited); positive ones start the 30-day recovery
  period and the older ones have conclusive decisions and outcomes.

Reproducible (random.Random(2030)); one transaction, one `job:demo` audit event per record; a
second call adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.clock_settings import effective_clock
from safehub.core.models import Agency, AgencyKind, AuditAction, District, User
from safehub.core.roles import Role
from safehub.people import chronology
from safehub.people import rules as people_rules
from safehub.people.models import Person
from safehub.slavery import rules
from safehub.slavery.models import Authority, Consent, Decision, Kind, NrmReferral, Outcome, Sex, Status

Progress = Callable[[str, int, int], None]

SIZES = {"small": 40, "full": 400}
SEED = 2030
JOB = core_demo.DEMO_JOB
DAYS = 730
DISTRICT_WEIGHTS = {"leeds": 36, "bradford": 27, "kirklees": 15, "wakefield": 13, "calderdale": 9}
NATIONALITIES = {
    "British": 30,
    "Albanian": 12,
    "Vietnamese": 8,
    "Eritrean": 6,
    "Sudanese": 6,
    "Romanian": 5,
    "Polish": 4,
    "Iranian": 4,
    "Afghan": 4,
    "Iraqi": 3,
    "Chinese": 3,
    "Indian": 3,
    "Nigerian": 3,
    "Not known": 2,
}
CHILD_TYPES = {"criminal": 55, "sexual": 22, "labour": 8, "domestic_servitude": 3, "unknown": 4}
ADULT_TYPES = {
    "labour": 42,
    "sexual": 22,
    "criminal": 14,
    "domestic_servitude": 8,
    "organ_harvesting": 1,
    "unknown": 5,
}
INDICATORS = {
    "labour": "Found working long hours at a car wash with no pay and no documents.",
    "criminal": "Found in a property linked to drug supply far from home, owing money to older men.",
    "sexual": "Disclosed being moved between addresses and made to have sex with men for others' profit.",
    "domestic_servitude": "Kept in a family home doing all the housework, not allowed out and not paid.",
    "organ_harvesting": "Told a debt would be paid off by selling a kidney; travel arranged by others.",
    "unknown": "Several indicators of control; the type of exploitation is not yet clear.",
}


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def already_loaded() -> int:
    return core_demo.created_by_demo("slavery.nrmreferral")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create about SIZES[size] referrals and MS1 reports over the last two years."""
    target = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    districts = {d.code: d for d in District.objects.select_related("force")}
    if not districts or not Person.objects.exists():
        raise RuntimeError("Load the core and people demo first (safehub.core.demo, safehub.people.demo)")
    recorder = (
        User.objects.filter(role_grants__role=Role.OFFICER, agency__kind=AgencyKind.POLICE)
        .order_by("username")
        .first()
    )
    if recorder is None:
        raise RuntimeError("Load the core demo first: referrals need a police officer as recorder")
    rng = random.Random(SEED)
    now = timezone.now()
    agencies = list(Agency.objects.prefetch_related("districts"))
    people: dict[tuple[str, bool], list[Person]] = defaultdict(list)
    for person in (
        Person.objects.filter(date_of_birth__isnull=False).select_related("district").order_by("id")
    ):
        age = people_rules.age_on(person.date_of_birth, timezone.localdate())
        if age is not None and age >= 10:
            people[(person.district.code, age < 18)].append(person)
    used: set = set()
    counts = {"nrm_referrals": 0, "dtn_reports": 0, "rg_decisions": 0, "cg_decisions": 0}
    for n in range(target):
        code = _weighted(
            rng, {k: v for k, v in DISTRICT_WEIGHTS.items() if k in districts} or {next(iter(districts)): 1}
        )
        district = districts[code]
        referred_at = _moment(rng, now, rng.uniform(0.5, DAYS))
        child = rng.random() < 0.45
        consent = rng.random() < 0.65
        kind = Kind.NRM if child or consent else Kind.DTN
        person = None
        if kind == Kind.NRM:
            pool = [p for p in people.get((code, child), []) if p.pk not in used]
            if not pool:
                kind, child = Kind.DTN, False
            else:
                person = rng.choice(pool)
                used.add(person.pk)
        if person is not None:
            age_at_referral = people_rules.age_on(
                person.date_of_birth, timezone.localtime(referred_at).date()
            )
            child = age_at_referral < 18
        else:
            age_at_referral = rng.randint(18, 58)
        types = _types(rng, child)
        referral = NrmReferral(
            kind=kind,
            person=person,
            owning_agency=_owner(rng, agencies, district, kind, child),
            district=district,
            exploitation_types=types,
            county_lines="criminal" in types and rng.random() < (0.7 if child else 0.25),
            nationality=_weighted(rng, NATIONALITIES),
            sex=_weighted(
                rng, {Sex.MALE: 70 if child else 55, Sex.FEMALE: 28 if child else 43, Sex.NOT_KNOWN: 2}
            ),
            age_at_exploitation=max(0, age_at_referral - rng.choice([0, 0, 0, 1, 2, 5]))
            if rng.random() > 0.05
            else None,
            age_at_referral=age_at_referral,
            exploitation_in_uk=rng.random() < 0.8,
            consent=Consent.NOT_NEEDED if child else (Consent.GIVEN if kind == Kind.NRM else Consent.REFUSED),
            circumstances="" if kind == Kind.DTN and rng.random() < 0.5 else INDICATORS[types[0]],
            referred_at=referred_at,
            authority=(Authority.SCA if rng.random() < 0.7 else Authority.IECA) if kind == Kind.NRM else "",
            status=Status.NOTIFIED if kind == Kind.DTN else Status.AWAITING_RG,
            recorded_by=recorder,
        )
        referral.first_responder = referral.owning_agency
        if kind == Kind.NRM:
            clock = effective_clock(
                "nrm-reasonable-grounds", district.force, at=timezone.localtime(referred_at).date()
            )
            referral.rg_due_at = rules.reasonable_grounds_due(clock, referred_at)
            _decide(rng, referral, now, counts)
        referral.full_clean()
        referral.save()
        audit.record(
            JOB,
            AuditAction.CREATE,
            referral,
            fields=["kind", "district", "exploitation_types", "referred_at"],
        )
        if person is not None:
            chronology.add(
                person,
                "nrm_referral",
                referred_at,
                referral,
                f"Referred to the NRM ({', '.join(referral.exploitation_labels).lower()})",
                agency=referral.owning_agency,
            )
        counts["nrm_referrals" if kind == Kind.NRM else "dtn_reports"] += 1
        progress("modern slavery referrals", n + 1, target)
    return counts


def _moment(rng: random.Random, now: datetime, days_ago: float) -> datetime:
    base = timezone.localtime(now - timedelta(days=days_ago))
    moment = base.replace(hour=rng.randint(8, 19), minute=rng.randint(0, 59), second=0, microsecond=0)
    return min(moment, now - timedelta(hours=1))


def _types(rng: random.Random, child: bool) -> list[str]:
    first = _weighted(rng, CHILD_TYPES if child else ADULT_TYPES)
    if first != "unknown" and rng.random() < 0.12:
        second = _weighted(
            rng,
            {k: v for k, v in (CHILD_TYPES if child else ADULT_TYPES).items() if k not in (first, "unknown")},
        )
        return [first, second]
    return [first]


def _owner(rng: random.Random, agencies: list[Agency], district: District, kind: str, child: bool) -> Agency:
    def serving(agency_kind: str) -> list[Agency]:
        return [
            a
            for a in agencies
            if a.kind == agency_kind and any(d.pk == district.pk for d in a.districts.all())
        ]

    police = serving(AgencyKind.POLICE)
    options = police * 6
    options += serving(AgencyKind.CHILDRENS_SOCIAL_CARE if child else AgencyKind.ADULT_SOCIAL_CARE) * 3
    if kind == Kind.NRM:
        options += serving(AgencyKind.VOLUNTARY_SECTOR)
    return rng.choice(options or [a for a in agencies if a.kind == AgencyKind.POLICE])


def _decide(rng: random.Random, referral: NrmReferral, now: datetime, counts: dict[str, int]) -> None:
    """Reasonable grounds on the clock (mostly on time), then recovery, conclusive grounds, outcome."""
    late = rng.random() < 0.2
    decided = (
        referral.rg_due_at - timedelta(hours=rng.randint(2, 90))
        if not late
        else referral.rg_due_at + timedelta(days=rng.randint(1, 20))
    )
    decided = max(decided, referral.referred_at + timedelta(hours=2))
    if decided >= now - timedelta(hours=1):
        return
    if rng.random() < 0.03:
        referral.outcome, referral.outcome_at, referral.status = Outcome.WITHDRAWN, decided, Status.WITHDRAWN
        return
    positive = rng.random() < 0.6
    referral.rg_decision = Decision.POSITIVE if positive else Decision.NEGATIVE
    referral.rg_decided_at = decided
    counts["rg_decisions"] += 1
    if not positive:
        referral.status = Status.NEGATIVE_RG
        if rng.random() < 0.3:
            referral.outcome, referral.outcome_at = (
                Outcome.RECONSIDERATION,
                decided + timedelta(days=rng.randint(3, 20)),
            )
            referral.outcome_at = min(referral.outcome_at, now - timedelta(hours=1))
        return
    referral.status = Status.RECOVERY
    referral.recovery_ends_at = rules.recovery_period_ends(decided)
    cg_at = referral.recovery_ends_at + timedelta(days=rng.randint(30, 400))
    if cg_at >= now:
        return
    cg_positive = rng.random() < 0.55
    referral.cg_decision = Decision.POSITIVE if cg_positive else Decision.NEGATIVE
    referral.cg_decided_at = cg_at
    referral.status = Status.POSITIVE_CG if cg_positive else Status.NEGATIVE_CG
    counts["cg_decisions"] += 1
    outcome_at = cg_at + timedelta(days=rng.randint(5, 60))
    if outcome_at < now:
        referral.outcome = Outcome.MOVE_ON_SUPPORT if cg_positive else Outcome.SUPPORT_ENDED
        referral.outcome_at = outcome_at
