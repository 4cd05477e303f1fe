"""Synthetic MASH referrals for the demo world: a year of referrals across the five districts.

- Sources: police PPNs about 35%, schools 20%, health 15%, social care 10%, the rest probation,
  housing, the voluntary sector and the public (through a practitioner). Police PPNs raised by the
  contacts demo and still awaiting the MASH are taken into the queue (as `referral_from_ppn`
  does), except the two newest in each district, left for the MASH to take.
- Categories: neglect and domestic abuse most common for children; self-neglect, domestic and
  financial abuse for adults.
- Timings: RAG due times and the children's social care decision time come from the real clocks
  (`core.clocks.due` on the partnership's effective clock), counted from receipt. Most referrals
  are triaged within their RAG time, a few late; older referrals are decided and approved; recent
  ones are in the queue, some waiting for a partner's answer, a few waiting for a manager's
  approval and a few past their due time (breached).
- Outcomes: children NFA/advice ~30%, early help ~25%, s17 ~20%, s47 ~10%, MARAC, MACE, police and
  NRM the rest; adults mostly s42 enquiries, NFA/advice and MARAC.
- Repeat referrals: a few children get three green referrals within 90 days, the third raised to
  amber by the escalation rule, so the rule shows on their pages.

The demo keeps to the core demo's logins (no users are added), so a referral from an agency with
no login names a stand-in referrer (a login of the same kind of agency), and districts other than
Leeds have their referrals triaged and decided by the Leeds MASH logins; the agencies are right.
Reproducible (random.Random(2027)); bulk_create in one transaction with
one `job:demo` audit event per record; a second call adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import due
from safehub.core.models import (
    Agency,
    AgencyKind,
    AuditAction,
    AuditEvent,
    ConsentStatus,
    District,
    LawfulBasis,
    Share,
    User,
)
from safehub.core.roles import Role
from safehub.people import rules as people_rules
from safehub.people.models import ChronologyEvent, Person
from safehub.referrals import services
from safehub.referrals.models import (
    ApprovalStatus,
    ChildSeen,
    ConcernCategory,
    Decision,
    InformationRequest,
    Outcome,
    Rag,
    Referral,
    ReferralSubject,
    RequestStatus,
    Source,
    Status,
)

Progress = Callable[[str, int, int], None]

SIZES = {"small": 60, "full": 1500}
SEED = 2027
BATCH = 500
JOB = core_demo.DEMO_JOB
DAYS = 365
PPNS_LEFT_PER_DISTRICT = 2

DISTRICT_WEIGHTS = {"leeds": 9671, "bradford": 7063, "kirklees": 4222, "wakefield": 3686, "calderdale": 2345}
SOURCE_WEIGHTS = {
    Source.POLICE_PPN: 35,
    Source.SCHOOL: 20,
    Source.HEALTH: 15,
    Source.SOCIAL_CARE: 10,
    Source.PROBATION: 5,
    Source.HOUSING: 5,
    Source.VOLUNTARY_SECTOR: 5,
    Source.PUBLIC: 5,
}
SOURCE_AGENCY_KIND = {
    Source.POLICE_PPN: AgencyKind.POLICE,
    Source.SCHOOL: AgencyKind.SCHOOL,
    Source.HEALTH: AgencyKind.HEALTH,
    Source.SOCIAL_CARE: AgencyKind.CHILDRENS_SOCIAL_CARE,
    Source.PROBATION: AgencyKind.PROBATION,
    Source.HOUSING: AgencyKind.HOUSING,
    Source.VOLUNTARY_SECTOR: AgencyKind.VOLUNTARY_SECTOR,
    Source.PUBLIC: AgencyKind.CHILDRENS_SOCIAL_CARE,
}
ADULT_SHARE = {Source.PROBATION: 0.6, Source.HOUSING: 0.5, Source.HEALTH: 0.25}
CHILD_CATEGORIES = {
    ConcernCategory.NEGLECT: 30,
    ConcernCategory.DOMESTIC_ABUSE: 28,
    ConcernCategory.EMOTIONAL_ABUSE: 9,
    ConcernCategory.PHYSICAL_ABUSE: 9,
    ConcernCategory.SEXUAL_ABUSE: 4,
    ConcernCategory.CSE: 4,
    ConcernCategory.CCE: 4,
    ConcernCategory.MISSING: 5,
    ConcernCategory.MENTAL_HEALTH: 4,
    ConcernCategory.RADICALISATION: 1,
    ConcernCategory.FGM: 1,
    ConcernCategory.OTHER: 1,
}
ADULT_CATEGORIES = {
    ConcernCategory.DOMESTIC_ABUSE: 30,
    ConcernCategory.SELF_NEGLECT: 20,
    ConcernCategory.FINANCIAL_ABUSE: 15,
    ConcernCategory.MENTAL_HEALTH: 18,
    ConcernCategory.PHYSICAL_ABUSE: 10,
    ConcernCategory.MODERN_SLAVERY: 3,
    ConcernCategory.FORCED_MARRIAGE: 2,
    ConcernCategory.OTHER: 2,
}
CHILD_OUTCOMES = {
    Outcome.NFA: 30,
    Outcome.EARLY_HELP: 25,
    Outcome.S17: 20,
    Outcome.S47: 10,
    Outcome.MARAC: 5,
    Outcome.MACE: 4,
    Outcome.POLICE: 5,
    Outcome.NRM: 1,
}
ADULT_OUTCOMES = {Outcome.S42: 40, Outcome.NFA: 30, Outcome.MARAC: 20, Outcome.POLICE: 8, Outcome.NRM: 2}
# Outcomes that fit each RAG best: a red referral is rarely NFA, a green one rarely s47.
RAG_OUTCOME_BIAS = {
    Rag.RED: {Outcome.S47: 4, Outcome.MARAC: 3, Outcome.S42: 2, Outcome.NFA: 0.2, Outcome.EARLY_HELP: 0.3},
    Rag.AMBER: {Outcome.S17: 1.5, Outcome.MACE: 1.5},
    Rag.GREEN: {Outcome.S47: 0.1, Outcome.MARAC: 0.2, Outcome.NFA: 1.5, Outcome.EARLY_HELP: 1.6},
}
RAG_WEIGHTS = {Rag.RED: 12, Rag.AMBER: 38, Rag.GREEN: 50}
PPN_CATEGORY = {
    "domestic_abuse": ConcernCategory.DOMESTIC_ABUSE,
    "child_at_risk": ConcernCategory.NEGLECT,
    "exploitation": ConcernCategory.CCE,
    "mental_health": ConcernCategory.MENTAL_HEALTH,
    "missing": ConcernCategory.MISSING,
}
NARRATIVES = {
    ConcernCategory.NEGLECT: "Child often arrives hungry and in the same clothes; home reported poor.",
    ConcernCategory.DOMESTIC_ABUSE: "Police called to the home after an argument; children present.",
    ConcernCategory.EMOTIONAL_ABUSE: "Child says they are shouted at and called names at home.",
    ConcernCategory.PHYSICAL_ABUSE: "Bruising seen on the child's upper arm; explanation inconsistent.",
    ConcernCategory.SEXUAL_ABUSE: "Child made a disclosure to a teacher about an older relative.",
    ConcernCategory.CSE: "Young person seen getting into cars with older men near the retail park.",
    ConcernCategory.CCE: "Young person found with cash and two phones far from home.",
    ConcernCategory.MISSING: "Third missing episode this month; returned late at night.",
    ConcernCategory.MENTAL_HEALTH: "Self-harm disclosed; low mood for several weeks.",
    ConcernCategory.SELF_NEGLECT: "Neighbour reports the home is cluttered and there is no food.",
    ConcernCategory.FINANCIAL_ABUSE: "Bank flagged large withdrawals by a new 'friend'.",
    ConcernCategory.MODERN_SLAVERY: "Worker at a car wash appears controlled and has no documents.",
    ConcernCategory.FORCED_MARRIAGE: "Young woman fears she will be taken abroad to marry.",
    ConcernCategory.RADICALISATION: "Concerning extremist material shared by the pupil online.",
    ConcernCategory.FGM: "Family plans an extended trip abroad; older sister has had FGM.",
    ConcernCategory.OTHER: "Concern for the family's wellbeing raised by a practitioner.",
}
QUESTIONS = {
    AgencyKind.POLICE: "Any police history at the address or for the adults in the household?",
    AgencyKind.HEALTH: "Is the child known to health visiting or the GP for any concerns?",
    AgencyKind.SCHOOL: "How is the child's attendance and presentation at school?",
}
ANSWERS = {
    AgencyKind.POLICE: "Two domestic incidents at the address in the last year; no convictions.",
    AgencyKind.HEALTH: "Missed two health appointments; no other concerns recorded.",
    AgencyKind.SCHOOL: "Attendance 84% this term; often late; presentation variable.",
}


def already_loaded() -> int:
    return core_demo.created_by_demo("referrals.referral")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create about SIZES[size] referrals over the last year (plus the contacts demo's PPNs)."""
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    if not Person.objects.exists():
        raise RuntimeError("Load the people first (safehub.people.demo)")
    builder = _Builder(SIZES[size])
    builder.build(progress)
    return builder.save(progress)


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class _Case:
    referral: Referral
    person: Person
    is_child: bool


class _Builder:
    def __init__(self, target: int) -> None:
        self.rng = random.Random(SEED)
        self.target = target
        self.now = timezone.now()
        self.districts = {d.code: d for d in District.objects.select_related("force")}
        self.agencies = list(Agency.objects.prefetch_related("districts"))
        self.served: dict[Any, set[str]] = {a.pk: {d.code for d in a.districts.all()} for a in self.agencies}
        logins = [
            user
            for user in User.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("username")
            if user.has_person_level_access
        ]
        if not logins:
            raise RuntimeError("Load the core demo first (safehub.core.demo): referrals need referrers")
        self.by_agency: dict[Any, User] = {}
        self.by_kind: dict[str, User] = {}
        for user in logins:
            self.by_agency.setdefault(user.agency_id, user)
            self.by_kind.setdefault(user.agency.kind, user)
        self.fallback = next((u for u in logins if u.has_role(Role.OFFICER)), logins[0])
        self.any_mash = next((u for u in logins if u.has_role(Role.MASH_PRACTITIONER)), self.fallback)
        self.any_manager = next((u for u in logins if u.has_role(Role.MASH_MANAGER)), self.any_mash)
        self.mash: dict[Any, User] = {}
        self.clocks: dict[tuple[Any, str], Any] = {}
        self.people: dict[tuple[str, bool], list[Person]] = defaultdict(list)
        for person in Person.objects.select_related("district").order_by(
            "family_name", "given_name", "date_of_birth", "id"
        ):
            age = people_rules.age_on(person.date_of_birth, self.now.date())
            self.people[(person.district.code, age is None or age < 18)].append(person)
        self.cases: list[_Case] = []
        self.decisions: list[Decision] = []
        self.requests: list[InformationRequest] = []
        self.shares: list[Share] = []
        self.chronology: list[ChronologyEvent] = []
        self.ppns: list[Any] = []

    # --- lookups -------------------------------------------------------------------------------

    def clock(self, district: District, clock_id: str):
        key = (district.force_id, clock_id)
        if key not in self.clocks:
            self.clocks[key] = effective_clock(clock_id, district.force)
        return self.clocks[key]

    def agency(self, kind: str, district: District) -> Agency | None:
        matches = [a for a in self.agencies if a.kind == kind and district.code in self.served[a.pk]]
        return self.rng.choice(matches) if matches else None

    def staff(self, agency: Agency, title: str = "") -> User:
        """The agency's demo login, else a login of an agency of the same kind, else the fallback.

        The demo world has exactly the core demo's logins, so most partner agencies have none: their
        referrals name a stand-in referrer (the referring agency itself is always right).
        """
        return self.by_agency.get(agency.pk) or self.by_kind.get(agency.kind) or self.fallback

    def mash_staff(self, district: District, manager: bool) -> User:
        """The district's MASH login, else the demo's MASH login (only Leeds has MASH logins)."""
        key = (district.pk, manager)
        if key not in self.mash:
            role = Role.MASH_MANAGER if manager else Role.MASH_PRACTITIONER
            found = services.mash_users(district, role).first()
            self.mash[key] = found or (self.any_manager if manager else self.any_mash)
        return self.mash[key]

    def pick_person(self, district: District, child: bool) -> Person | None:
        pool = self.people.get((district.code, child)) or self.people.get((district.code, not child))
        return self.rng.choice(pool) if pool else None

    def received(self) -> datetime:
        live_queue = self.rng.random() < 0.08
        days = self.rng.uniform(0, 4) if live_queue else self.rng.uniform(4, DAYS)
        moment = self.now - timedelta(days=days)
        hour = self.rng.choices(range(24), weights=[1] * 8 + [6] * 10 + [2] * 6)[0]
        moment = timezone.localtime(moment).replace(hour=hour, minute=self.rng.randint(0, 59))
        return min(moment, self.now - timedelta(minutes=5))

    # --- building ------------------------------------------------------------------------------

    def build(self, progress: Progress) -> None:
        self.take_ppns()
        made = 0
        while made < self.target:
            district = self.districts.get(_weighted(self.rng, DISTRICT_WEIGHTS)) or self.rng.choice(
                list(self.districts.values())
            )
            source = _weighted(self.rng, SOURCE_WEIGHTS)
            child = self.rng.random() >= ADULT_SHARE.get(source, 0.1)
            if self.referral(district, source, child, self.received()) is not None:
                made += 1
            progress("building referrals", made, self.target)
        self.repeat_greens(max(1, self.target // 300))
        for n in range(max(3, self.target // 100)):  # a few past their due time, a few waiting approval
            state = "breached" if n % 2 == 0 else "awaiting_approval"
            days = self.rng.uniform(5, 7) if state == "breached" else self.rng.uniform(0.5, 3)
            district = self.rng.choice(list(self.districts.values()))
            self.referral(district, Source.POLICE_PPN, True, self.now - timedelta(days=days), state=state)

    def take_ppns(self) -> None:
        if not apps.is_installed("safehub.contacts"):
            return
        from safehub.contacts.models import PpnStatus, PublicProtectionNotice

        waiting = list(
            PublicProtectionNotice.objects.filter(status=PpnStatus.AWAITING_MASH)
            .select_related("district__force", "person", "owning_agency", "raised_by")
            .order_by("district_id", "-raised_at")
        )
        # Leave the newest two in each district awaiting the MASH and take the rest; a district
        # with only two keeps one, so a small world (few PPNs in the last weeks) still shows both.
        per_district = Counter(ppn.district_id for ppn in waiting)
        left: dict[Any, int] = defaultdict(int)
        for ppn in waiting:
            keep = min(PPNS_LEFT_PER_DISTRICT, max(per_district[ppn.district_id] - 1, 1))
            if left[ppn.district_id] < keep:
                left[ppn.district_id] += 1
                continue
            child = ppn.age_group != "adult"
            referral = self.new_referral(
                ppn.district,
                Source.POLICE_PPN,
                ppn.owning_agency,
                ppn.raised_by,
                ppn.raised_at,
                [PPN_CATEGORY.get(ppn.concern_type, ConcernCategory.OTHER)],
                child,
                what_happened=ppn.summary,
                consent=(
                    ConsentStatus.NOT_SOUGHT,
                    "Public protection notice: police share to safeguard without consent",
                ),
                basis=LawfulBasis.LAW_ENFORCEMENT,
            )
            referral.ppn_id = ppn.pk
            referral.child_seen = ChildSeen.NOT_APPLICABLE
            self.lifecycle(_Case(referral, ppn.person, child))
            ppn.status = PpnStatus.REFERRED
            ppn.referral_id = referral.pk
            self.ppns.append(ppn)

    def referral(
        self, district: District, source: str, child: bool, received: datetime, state: str = ""
    ) -> Referral | None:
        person = self.pick_person(district, child)
        referrer_agency = self.agency(SOURCE_AGENCY_KIND[source], district)
        if person is None or referrer_agency is None:
            return None
        child = people_rules.age_on(person.date_of_birth, received.date()) in (None, *range(18))
        weights = CHILD_CATEGORIES if child else ADULT_CATEGORIES
        categories = [_weighted(self.rng, weights)]
        if self.rng.random() < 0.3:
            second = _weighted(self.rng, weights)
            if second not in categories:
                categories.append(second)
        referrer = self.staff(referrer_agency, "Designated safeguarding lead")
        roll = self.rng.random()
        if roll < 0.45:
            consent = (ConsentStatus.GIVEN, "")
        elif roll < 0.75:
            consent = (ConsentStatus.NOT_SOUGHT, "Seeking consent could place the child at increased risk.")
        elif roll < 0.85:
            consent = (
                ConsentStatus.REFUSED,
                "Parent refused; shared to safeguard the child (Sch. 1 para 18).",
            )
        else:
            consent = (ConsentStatus.SOUGHT, "")
        basis = LawfulBasis.LAW_ENFORCEMENT if source == Source.POLICE_PPN else LawfulBasis.PUBLIC_TASK
        referral = self.new_referral(
            district,
            source,
            referrer_agency,
            referrer,
            received,
            categories,
            child,
            consent=consent,
            basis=basis,
        )
        self.lifecycle(_Case(referral, person, child), state=state)
        return referral

    def new_referral(
        self,
        district: District,
        source: str,
        referrer_agency: Agency,
        referrer: User,
        received: datetime,
        categories: list[str],
        child: bool,
        *,
        consent: tuple[str, str],
        basis: str,
        what_happened: str = "",
    ) -> Referral:
        host = services.host_agency(district, adults_only=not child) or referrer_agency
        seen = ChildSeen.NOT_APPLICABLE
        if child:
            seen = ChildSeen.YES if self.rng.random() < 0.6 else ChildSeen.NO
        referral = Referral(
            owning_agency=host,
            district=district,
            referring_agency=referrer_agency,
            referrer=referrer,
            received_at=received,
            source=source,
            categories=categories,
            what_happened=what_happened or f"Synthetic demo referral. {NARRATIVES[categories[0]]}",
            risks="Concerns may escalate without support." if self.rng.random() < 0.7 else "",
            strengths="Supportive wider family involved." if self.rng.random() < 0.5 else "",
            consent_status=consent[0],
            consent_note=consent[1],
            lawful_basis=basis,
            child_seen=seen,
            seen_alone=("yes" if self.rng.random() < 0.5 else "no") if seen == ChildSeen.YES else "",
            wishes_and_feelings="Says they want things to be calmer at home."
            if seen == ChildSeen.YES
            else "",
        )
        referral.created_at = received
        if child:
            referral.decision_due_at = due(self.clock(district, "referral-decision"), received)
        return referral

    def lifecycle(self, case: _Case, rag: str | None = None, escalation: str = "", state: str = "") -> None:
        """Triage, ask, decide and approve as far as the referral's age allows; record it all.

        `state` "breached" leaves it triaged and undecided (it is old enough to be past its due
        time); "awaiting_approval" decides it without a manager's approval yet.
        """
        referral, rng = case.referral, self.rng
        district = referral.district
        self.cases.append(case)
        self.event(
            case,
            "mash_referral",
            referral.received_at,
            f"MASH referral received ({referral.get_source_display().lower()})",
        )
        if referral.owning_agency_id != referral.referring_agency_id:
            self.shares.append(
                Share(
                    object_type="referrals.referral",
                    object_id=referral.pk,
                    to_agency=referral.referring_agency,
                    from_agency=referral.owning_agency,
                    purpose=services.REFERRER_SHARE_PURPOSE,
                    lawful_basis=LawfulBasis.PUBLIC_TASK,
                    consent_status=referral.consent_status,
                    consent_note=referral.consent_note
                    or "The referrer's own referral, shared back for feedback",
                    granted_by=referral.referrer,
                    starts_at=referral.received_at,
                )
            )
        age = self.now - referral.received_at
        if state == "breached":
            rag = rng.choice([Rag.RED, Rag.AMBER])
        if not state and rag is None and age < timedelta(hours=6) and rng.random() < 0.6:
            return  # just arrived: waiting for triage
        referral.rag = rag or _weighted(rng, RAG_WEIGHTS)
        referral.escalated = bool(escalation)
        referral.escalation_reason = escalation
        referral.rag_reason = f"Synthetic demo triage: {referral.get_rag_display().lower()}."
        referral.due_at = due(self.clock(district, f"mash-{referral.rag}"), referral.received_at)
        window = referral.due_at - referral.received_at
        late = rng.random() < 0.06
        triaged = referral.received_at + (
            window * rng.uniform(1.05, 1.6)
            if late
            else min(window * rng.uniform(0.02, 0.5), timedelta(hours=6))
        )
        referral.triaged_at = min(triaged, self.now - timedelta(minutes=1))
        referral.triaged_by = self.mash_staff(district, manager=False)
        referral.status = Status.TRIAGED
        self.event(
            case, "mash_triage", referral.triaged_at, f"MASH triage: {referral.get_rag_display().lower()}"
        )
        if state:
            if state == "awaiting_approval":
                self.decide(case, awaiting_approval=True)
            return
        recent = age < timedelta(days=5)
        # Information requests: about a third of referrals; open ones wait for an answer.
        waiting = recent and rng.random() < 0.25
        if waiting or rng.random() < 0.3:
            self.ask(case, answered=not waiting)
        if waiting:
            referral.status = Status.AWAITING_INFORMATION
            return
        if recent and referral.due_at > self.now and rng.random() < 0.5:
            return  # triaged, still within its time
        if recent and rng.random() < 0.35:
            return  # triaged and past its due time: breached
        self.decide(case, awaiting_approval=recent and rng.random() < 0.3)

    def ask(self, case: _Case, answered: bool) -> None:
        referral, rng = case.referral, self.rng
        kinds = [AgencyKind.POLICE, AgencyKind.HEALTH] + ([AgencyKind.SCHOOL] if case.is_child else [])
        for kind in rng.sample(kinds, rng.randint(1, len(kinds))):
            agency = self.agency(kind, referral.district)
            if agency is None:
                continue
            asked = referral.triaged_at + timedelta(minutes=rng.randint(10, 90))
            asked = min(asked, self.now - timedelta(minutes=1))
            request = InformationRequest(
                referral=referral,
                to_agency=agency,
                person=case.person,
                question=QUESTIONS[kind],
                purpose="To decide the MASH outcome for this referral",
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                condition="dpa_sch1_18",
                due_at=services.default_due(asked),
                requested_by=referral.triaged_by,
                requested_at=asked,
            )
            if answered or rng.random() < 0.3:
                request.answer = ANSWERS[kind]
                request.answered_by = self.by_agency.get(agency.pk)
                request.answered_at = min(asked + timedelta(hours=rng.uniform(0.5, 20)), self.now)
                request.status = RequestStatus.ANSWERED
                self.event(
                    case,
                    "mash_information",
                    request.answered_at,
                    f"Information shared with the MASH by {agency.name}",
                )
            self.requests.append(request)

    def decide(self, case: _Case, awaiting_approval: bool) -> None:
        referral, rng = case.referral, self.rng
        weights = dict(CHILD_OUTCOMES if case.is_child else ADULT_OUTCOMES)
        for outcome, factor in RAG_OUTCOME_BIAS[referral.rag].items():
            if outcome in weights:
                weights[outcome] *= factor
        outcome = _weighted(rng, weights)
        answered = [r.answered_at for r in self.requests if r.referral is referral and r.answered_at]
        start = max([referral.triaged_at, *answered])
        decided = min(start + timedelta(hours=rng.uniform(0.5, 20)), self.now - timedelta(minutes=1))
        manager = self.mash_staff(referral.district, manager=True)
        decision = Decision(
            referral=referral,
            outcome=outcome,
            rationale="Synthetic demo decision: threshold considered against the partnership's guidance.",
            feedback_text="Thank you for your referral. The MASH has decided the outcome shown.",
            decided_by=referral.triaged_by,
            decided_at=decided,
            approval_required=True,
            approval_status=ApprovalStatus.PENDING,
        )
        self.event(case, "mash_decision", decided, f"MASH decision: {decision.get_outcome_display()}")
        if awaiting_approval:
            referral.status = Status.AWAITING_APPROVAL
        else:
            decision.approval_status = ApprovalStatus.APPROVED
            decision.approved_by = manager
            decision.approved_at = min(decided + timedelta(hours=rng.uniform(0.2, 8)), self.now)
            old = self.now - referral.received_at > timedelta(days=60)
            referral.status = Status.CLOSED if old else Status.APPROVED
            self.event(
                case,
                "mash_decision",
                decision.approved_at,
                f"MASH decision approved: {decision.get_outcome_display()}",
            )
        self.decisions.append(decision)

    def repeat_greens(self, children: int) -> None:
        """Three green referrals about one child within 90 days: the third is raised to amber."""
        district = self.districts.get("leeds") or next(iter(self.districts.values()))
        school = self.agency(AgencyKind.SCHOOL, district) or self.agency(AgencyKind.POLICE, district)
        pool = [p for p in self.people.get((district.code, True), []) if p.date_of_birth]
        if school is None:
            return
        for person in self.rng.sample(pool, min(children, len(pool))):
            first = self.now - timedelta(days=self.rng.uniform(20, 60))
            for n, days in enumerate((0, self.rng.uniform(5, 8), self.rng.uniform(12, 18))):
                referral = self.new_referral(
                    district,
                    Source.SCHOOL,
                    school,
                    self.staff(school, "Designated safeguarding lead"),
                    first + timedelta(days=days),
                    [ConcernCategory.NEGLECT],
                    True,
                    consent=(ConsentStatus.GIVEN, ""),
                    basis=LawfulBasis.PUBLIC_TASK,
                )
                escalation = (
                    "Raised from green to amber: Repeated green referrals: "
                    "at least 3 green-rated MASH referrals in 90 days."
                    if n == 2
                    else ""
                )
                self.lifecycle(
                    _Case(referral, person, True),
                    rag=Rag.AMBER if n == 2 else Rag.GREEN,
                    escalation=escalation,
                )

    def event(self, case: _Case, kind: str, at: datetime, summary: str) -> None:
        self.chronology.append(
            ChronologyEvent(
                person=case.person,
                kind=kind,
                at=at,
                summary=summary[:300],
                source_type="referrals.referral",
                source_id=str(case.referral.pk),
                recorded_by_agency=case.referral.owning_agency,
            )
        )

    # --- saving --------------------------------------------------------------------------------

    def audit_events(self, subjects: list[ReferralSubject]) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        groups = [
            (
                "referrals.referral",
                [c.referral for c in self.cases],
                ["source", "categories", "what_happened"],
                None,
            ),
            ("referrals.referralsubject", subjects, ["person"], "person_id"),
            ("referrals.informationrequest", self.requests, ["question", "purpose", "answer"], "person_id"),
            ("referrals.decision", self.decisions, ["outcome", "rationale"], None),
            ("core.share", self.shares, ["to_agency", "purpose", "lawful_basis"], None),
        ]
        events = [
            AuditEvent(
                action=AuditAction.CREATE,
                object_type=label,
                object_id=str(obj.pk),
                person_id=getattr(obj, attr) if attr else None,
                fields=fields,
                **base,
            )
            for label, rows, fields, attr in groups
            for obj in rows
        ]
        events += [
            AuditEvent(
                action=AuditAction.UPDATE,
                object_type="contacts.publicprotectionnotice",
                object_id=str(ppn.pk),
                person_id=ppn.person_id,
                fields=["status", "referral_id"],
                **base,
            )
            for ppn in self.ppns
        ]
        return events

    def save(self, progress: Progress) -> dict[str, Any]:
        subjects = [
            ReferralSubject(referral=c.referral, person=c.person, is_child=c.is_child) for c in self.cases
        ]
        groups: list[tuple[str, Any, list]] = [
            ("referrals", Referral, [c.referral for c in self.cases]),
            ("subjects", ReferralSubject, subjects),
            ("information_requests", InformationRequest, self.requests),
            ("decisions", Decision, self.decisions),
            ("referrer_shares", Share, self.shares),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("audit_events", AuditEvent, self.audit_events(subjects)),
        ]
        total = sum(len(rows) for _, _, rows in groups) + len(self.ppns)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving referrals", done, total)
        if self.ppns:
            type(self.ppns[0]).objects.bulk_update(self.ppns, ["status", "referral_id"], batch_size=BATCH)
            done += len(self.ppns)
            progress("saving referrals", done, total)
        referrals = [c.referral for c in self.cases]
        # auto_now_add stamped "now": a demo referral was created when it was received.
        for referral in referrals:
            referral.created_at = referral.received_at
        Referral.objects.bulk_update(referrals, ["created_at"], batch_size=BATCH)
        counts: dict[str, Any] = {label: len(rows) for label, _, rows in groups}
        counts["ppns_taken"] = len(self.ppns)
        counts["breached"] = sum(1 for r in referrals if r.is_breached)
        counts["awaiting_approval"] = sum(1 for r in referrals if r.status == Status.AWAITING_APPROVAL)
        return counts
