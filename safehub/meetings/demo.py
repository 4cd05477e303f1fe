"""Synthetic MARAC and MACE meetings for the demo world: a MARAC and a MACE in each district.

- Series: each district's MARAC is coordinated by the West Yorkshire IDVA Service, its MACE by
  West Yorkshire Police. Members: the police, the district's children's and adult social care,
  health (the ICB), the IDVA service, probation and housing where the district has one (MARAC);
  the police, children's social care, health, the IDVA service, the district's schools and the
  youth charity where it works there (MACE). Leeds' coordinators are the demo logins `idva`
  (MARAC) and `missing` (MACE); the other districts have no coordinator login.
- Meetings: SIZES months of meetings up to today (Leeds fortnightly, the other districts every
  four weeks; DOMAIN.md 4.3 gives Leeds MACE as fortnightly [S]), MARAC on Tuesdays and MACE on
  Thursdays at 10:00. Past meetings are held (minutes approved, the latest one only held), with
  attendance and acceptance of the confidentiality statement by the district's demo logins.
  The next meeting of every series is planned; in Leeds its agenda is started (reviews carried
  forward and people the rules list today), with some research in.
- Cases: people the partnership's listing rules list at the meeting's date (`core.histories` +
  `core.rulesets`, evaluated exactly as the candidates page does, with this demo's own hearings
  added as they happen, so repeat MARAC fires), then reviews of cases kept on review, then people
  with domestic abuse contacts (MARAC) or children known for missing or exploitation (MACE) added
  by the coordinator with a reason, then anyone of the right age in the district. MARAC mostly
  closes after one hearing; MACE mostly keeps cases on review.
- Actions: one to three per case heard; most done (a few late), some open, a few overdue in Leeds
  so the demo users see them. Two practitioner referrals in Leeds wait as candidates.

Minutes, research and actions are generic professional text with no names. Reproducible
(random.Random(2028)); bulk_create in one transaction with one `job:demo` audit event per record
and a chronology line per hearing; a second call adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.core import histories
from safehub.core import rules as core_rules
from safehub.core.models import Agency, AgencyKind, AuditAction, AuditEvent, District, User
from safehub.core.rulesets import ruleset_for
from safehub.meetings import rules as meeting_rules
from safehub.meetings.models import (
    RISK_LEVELS_FOR_KIND,
    RULESET_FOR_KIND,
    Action,
    ActionStatus,
    Attendance,
    CaseTransfer,
    Decision,
    Kind,
    ListedBy,
    Meeting,
    MeetingCase,
    MeetingReferral,
    MeetingSeries,
    MeetingStatus,
    Research,
)
from safehub.people.models import ChronologyEvent, Person, Relationship
from safehub.people.rules import age_on

Progress = Callable[[str, int, int], None]

SIZES = {"small": 6, "full": 12}  # months of meetings before today
CASES_PER_MEETING = {"small": (1, 3), "full": (4, 9)}
SEED = 2028
BATCH = 500
JOB = core_demo.DEMO_JOB
LEEDS = "leeds"
CADENCE_DAYS = {LEEDS: 14}
DEFAULT_CADENCE_DAYS = 28
WEEKDAY = {Kind.MARAC: 1, Kind.MACE: 3}  # Tuesday, Thursday
MARAC_COORDINATOR, MACE_COORDINATOR = "idva", "missing"
# The demo logins that stand in for their agency (before others of the same agency).
STAND_INS = ("officer", "socialcare", "idva", "health", "school")

STATEMENT = {
    Kind.MARAC: (
        "Information shared at this MARAC is confidential. It is shared only to reduce the risk of "
        "serious harm to victims of domestic abuse and their children, under the partnership's "
        "information sharing agreement. I will not share it outside my agency, or within it beyond "
        "those who need it to carry out the actions agreed, without the agreement of the agency that "
        "provided it. I will keep any notes securely and will not record MARAC information on a "
        "victim's own file where the perpetrator could see it."
    ),
    Kind.MACE: (
        "Information shared at this MACE meeting is confidential. It is shared to protect children "
        "from exploitation and to disrupt those who exploit them, under the partnership's information "
        "sharing agreement. I will use it only for the safeguarding and disruption actions agreed, "
        "share it within my agency only with those who need it, and not pass it to anyone else "
        "without the agreement of the agency that provided it."
    ),
}
MARAC_REFERRERS = {
    AgencyKind.POLICE: 60,
    AgencyKind.IDVA_SERVICE: 12,
    AgencyKind.HEALTH: 10,
    AgencyKind.CHILDRENS_SOCIAL_CARE: 8,
    AgencyKind.HOUSING: 4,
    AgencyKind.ADULT_SOCIAL_CARE: 3,
    AgencyKind.PROBATION: 3,
}
MACE_REFERRERS = {
    AgencyKind.POLICE: 45,
    AgencyKind.CHILDRENS_SOCIAL_CARE: 30,
    AgencyKind.SCHOOL: 15,
    AgencyKind.HEALTH: 10,
}
RESEARCH = {
    AgencyKind.POLICE: "Several domestic incidents recorded at the address in the last year; the "
    "alleged perpetrator is on bail with conditions not to contact the victim.",
    AgencyKind.CHILDRENS_SOCIAL_CARE: "Children known to the service; a child in need plan is in "
    "place and the social worker visited in the last fortnight.",
    AgencyKind.ADULT_SOCIAL_CARE: "No current involvement; a carer's assessment was offered last year.",
    AgencyKind.HEALTH: "Registered with a GP; attended the emergency department with injuries "
    "in the last six months; the health visitor has raised concerns.",
    AgencyKind.IDVA_SERVICE: "The IDVA has met the victim, completed a safety plan and is "
    "supporting an application for a non-molestation order.",
    AgencyKind.PROBATION: "The alleged perpetrator is known to probation; last supervised two years ago.",
    AgencyKind.HOUSING: "Tenant of the housing association; a sanctuary scheme referral is open.",
    AgencyKind.SCHOOL: "Attendance has fallen to 71% this term; seen with older young people at "
    "the school gate; new phone and trainers.",
    AgencyKind.VOLUNTARY_SECTOR: "Youth worker in contact weekly; the young person engages well "
    "at the evening sessions.",
}
MINUTES = {
    Kind.MARAC: (
        "Research shared by the agencies present. The risk to the victim and the children was "
        "discussed, including recent incidents and the alleged perpetrator's bail conditions. "
        "The IDVA will continue safety planning with the victim."
    ),
    Kind.MACE: (
        "Agencies shared what they know about the young person's missing episodes, peers and the "
        "locations of concern. A disruption plan was agreed with the police and the school will "
        "keep the designated safeguarding lead informed."
    ),
}
ACTIONS = {
    Kind.MARAC: {
        AgencyKind.POLICE: "Place a marker on the address for an urgent response and review bail conditions.",
        AgencyKind.IDVA_SERVICE: "Contact the victim within two working days to review the safety plan.",
        AgencyKind.HEALTH: "Flag the risk on the GP and health visiting records; offer a routine enquiry.",
        AgencyKind.CHILDRENS_SOCIAL_CARE: "Consider the MARAC information at the next child in need review.",
        AgencyKind.HOUSING: "Complete the sanctuary scheme assessment and fit extra locks.",
        AgencyKind.ADULT_SOCIAL_CARE: "Offer a care and support needs assessment.",
        AgencyKind.PROBATION: "Share the MARAC risk with the offender manager and review the risk plan.",
    },
    Kind.MACE: {
        AgencyKind.POLICE: "Patrol the locations of concern and serve a child abduction warning notice.",
        AgencyKind.CHILDRENS_SOCIAL_CARE: "Hold a strategy discussion and update the child's plan.",
        AgencyKind.SCHOOL: "Arrange a mentor and report any absence to the social worker the same day.",
        AgencyKind.HEALTH: "Offer a sexual health appointment and a mental health screening.",
        AgencyKind.IDVA_SERVICE: "Offer support from the young people's violence adviser.",
        AgencyKind.VOLUNTARY_SECTOR: "Offer weekly sessions with a youth worker.",
    },
}
MANUAL_REASON = {
    Kind.MARAC: "Professional judgement: the IDVA is concerned about escalating abuse after separation.",
    Kind.MACE: "Going missing with older peers and found far from home; exploitation concerns.",
}
DECISION_WEIGHTS = {
    Kind.MARAC: {Decision.CLOSE: 86, Decision.KEEP_REVIEWING: 10, Decision.TRANSFER: 4},
    Kind.MACE: {Decision.KEEP_REVIEWING: 65, Decision.CLOSE: 35},
}
DECISION_REASON = {
    Decision.CLOSE: "Actions agreed reduce the risk; agencies will refer again after a further incident.",
    Decision.KEEP_REVIEWING: "Risk remains: review at the next meeting with updates on the actions.",
    Decision.TRANSFER: "The victim has moved to another district: the case is transferred to its MARAC.",
}


def already_loaded() -> int:
    return core_demo.created_by_demo("meetings.meeting")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create the series, SIZES[size] months of meetings, their cases, research and actions."""
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    if not District.objects.exists() or not User.objects.filter(username=MARAC_COORDINATOR).exists():
        raise RuntimeError("Load the core demo first (safehub.core.demo): meetings need districts and logins")
    if not Person.objects.exists():
        raise RuntimeError("Load the people first (safehub.people.demo)")
    builder = _Builder(size)
    builder.build(progress)
    return builder.save(progress)


def _no_person(obj: Any) -> None:
    return None


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Builder:
    def __init__(self, size: str) -> None:
        self.rng = random.Random(SEED)
        self.size = size
        self.months = SIZES[size]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.districts = list(District.objects.select_related("force").order_by("code"))
        self.agencies = list(Agency.objects.prefetch_related("districts").order_by("code"))
        self.served = {a.pk: {d.code for d in a.districts.all()} for a in self.agencies}
        logins = [
            u
            for u in User.objects.filter(is_active=True, agency__isnull=False).select_related("agency")
            if u.has_person_level_access
        ]
        self.logins = sorted(logins, key=lambda u: u.username)
        self.by_agency: dict[Any, User] = {}
        self.by_kind: dict[str, User] = {}
        preferred = [u for u in self.logins if u.username in STAND_INS]
        for user in preferred + self.logins:
            self.by_agency.setdefault(user.agency_id, user)
            self.by_kind.setdefault(user.agency.kind, user)
        self.relationships: dict[Any, list[tuple[str, date | None, date | None]]] = defaultdict(list)
        for person_id, kind, dob, to_date in Relationship.objects.filter(
            kind__in=meeting_rules.HOUSEHOLD_CHILD_KINDS
        ).values_list("person_id", "kind", "related_person__date_of_birth", "to_date"):
            self.relationships[person_id].append((kind, dob, to_date))
        self.coordinator = {
            Kind.MARAC: User.objects.get(username=MARAC_COORDINATOR),
            Kind.MACE: User.objects.get(username=MACE_COORDINATOR),
        }
        self.series: list[MeetingSeries] = []
        self.members: dict[Any, list[Agency]] = {}
        self.meetings: list[Meeting] = []
        self.attendances: list[Attendance] = []
        self.cases: list[MeetingCase] = []
        self.research: list[Research] = []
        self.actions: list[Action] = []
        self.transfers: list[CaseTransfer] = []
        self.referrals: list[MeetingReferral] = []
        self.chronology: list[ChronologyEvent] = []
        self.listed_at: dict[tuple[Any, Any], datetime] = {}  # (series, person) -> last listing
        self.heard: dict[tuple[str, Any], list[datetime]] = defaultdict(list)  # (kind, person)
        self.people: dict[str, list[Person]] = defaultdict(list)
        for person in Person.objects.select_related("district").order_by("family_name", "given_name", "id"):
            self.people[person.district.code].append(person)
        self.person_by_id = {p.pk: p for people in self.people.values() for p in people}
        self.history: dict[Any, list[core_rules.Event]] = {}
        self.created: dict[Any, datetime] = {}  # when each record was made (auto_now_add says "now")

    # --- lookups -------------------------------------------------------------------------------

    def agencies_of(self, kind: str, district: District) -> list[Agency]:
        return [a for a in self.agencies if a.kind == kind and district.code in self.served[a.pk]]

    def first(self, kind: str, district: District) -> Agency | None:
        found = self.agencies_of(kind, district)
        return found[0] if found else None

    def staff(self, agency: Agency, kind: str) -> User:
        """The agency's demo login, else a login of the same kind of agency, else the coordinator."""
        return self.by_agency.get(agency.pk) or self.by_kind.get(agency.kind) or self.coordinator[kind]

    def age(self, person: Person, on: date) -> int | None:
        return age_on(person.date_of_birth, on)

    # --- building ------------------------------------------------------------------------------

    def build(self, progress: Progress) -> None:
        self.make_series()
        self.load_histories()
        plans = [(series, self.dates(series)) for series in self.series]
        total = sum(len(dates) for _, dates in plans)
        done = 0
        for series, dates in plans:
            previous: Meeting | None = None
            for starts_at in dates:
                previous = self.meeting(series, starts_at, previous)
                done += 1
                progress("building meetings", done, total)
        self.force_overdue()
        self.practitioner_referrals()

    def make_series(self) -> None:
        police = next(a for a in self.agencies if a.code == core_demo.POLICE)
        idva = next(a for a in self.agencies if a.code == core_demo.IDVA)
        for district in self.districts:
            for kind in (Kind.MARAC, Kind.MACE):
                kinds = (
                    [
                        AgencyKind.POLICE,
                        AgencyKind.CHILDRENS_SOCIAL_CARE,
                        AgencyKind.ADULT_SOCIAL_CARE,
                        AgencyKind.HEALTH,
                        AgencyKind.IDVA_SERVICE,
                        AgencyKind.PROBATION,
                        AgencyKind.HOUSING,
                    ]
                    if kind == Kind.MARAC
                    else [
                        AgencyKind.POLICE,
                        AgencyKind.CHILDRENS_SOCIAL_CARE,
                        AgencyKind.HEALTH,
                        AgencyKind.IDVA_SERVICE,
                        AgencyKind.SCHOOL,
                        AgencyKind.VOLUNTARY_SECTOR,
                    ]
                )
                members = [a for k in kinds for a in self.agencies_of(k, district)]
                cadence = CADENCE_DAYS.get(district.code, DEFAULT_CADENCE_DAYS)
                series = MeetingSeries(
                    kind=kind,
                    district=district,
                    name=f"{district.name} {kind.label}",
                    coordinating_agency=idva if kind == Kind.MARAC else police,
                    confidentiality_statement=STATEMENT[kind],
                    cadence="Every two weeks" if cadence == 14 else "Every four weeks",
                )
                self.series.append(series)
                self.members[series.pk] = members

    def dates(self, series: MeetingSeries) -> list[datetime]:
        """Meeting times from SIZES months ago to the first one after today, on the series' weekday."""
        cadence = CADENCE_DAYS.get(series.district.code, DEFAULT_CADENCE_DAYS)
        day = self.today - timedelta(days=30 * self.months)
        day += timedelta(days=(WEEKDAY[series.kind] - day.weekday()) % 7)
        moments = []
        while True:
            moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
            moments.append(moment)
            if moment > self.now:
                return moments
            day += timedelta(days=cadence)

    def load_histories(self) -> None:
        since = self.now - timedelta(days=30 * self.months + 400)
        types = {t for kind in Kind for t in meeting_rules.ruleset_event_types(self.ruleset(kind, self.now))}
        types |= {"da_incident", "contact_victim", "missing_episode", "exploitation_assessment"}
        with_events = histories.people_with_events(types, since=since, until=self.now)
        found = histories.for_people(with_events, until=self.now)
        self.history = {pid: list(events) for pid, events in found.items()}

    def ruleset(self, kind: str, at: datetime) -> core_rules.Ruleset:
        force = self.districts[0].force if self.districts else None
        return ruleset_for(RULESET_FOR_KIND[kind], force, at=at)

    def in_scope(self, kind: str, person: Person, on: date) -> bool:
        age = self.age(person, on)
        if kind == Kind.MACE:
            return age is not None and 10 <= age < 18
        return age is None or age >= 16

    def candidates(self, series: MeetingSeries, at: datetime) -> list[tuple[Person, list[Any], int]]:
        """People of the district the series' rules list at `at`, not already listed since their evidence."""
        ruleset = self.ruleset(series.kind, at)
        found = []
        for person in self.people[series.district.code]:
            events = self.history.get(person.pk)
            if not events or not self.in_scope(series.kind, person, at.date()):
                continue
            fired = core_rules.evaluate(ruleset, events, at)
            listed_at = self.listed_at.get((series.pk, person.pk))
            if fired and not meeting_rules.is_already_listed(listed_at, fired):
                found.append((person, fired, ruleset.version))
        self.rng.shuffle(found)
        return found

    def fallbacks(self, series: MeetingSeries, at: datetime) -> list[Person]:
        """People with the kind's kind of history first, then anyone of the right age; not heard lately."""
        wanted = (
            {"da_incident", "contact_victim"}
            if series.kind == Kind.MARAC
            else {"missing_episode", "exploitation_assessment", "contact_victim"}
        )
        recent = at - timedelta(days=120)
        pool = [
            p
            for p in self.people[series.district.code]
            if self.in_scope(series.kind, p, at.date())
            and not any(recent <= moment <= at for moment in self.heard[(series.kind, p.pk)])
            and self.listed_at.get((series.pk, p.pk), recent) <= recent
        ]
        known = [p for p in pool if any(e.type in wanted and e.at <= at for e in self.history.get(p.pk, []))]
        known_ids = {p.pk for p in known}
        others = [p for p in pool if p.pk not in known_ids]
        self.rng.shuffle(known)
        self.rng.shuffle(others)
        return known + others

    def meeting(self, series: MeetingSeries, starts_at: datetime, previous: Meeting | None) -> Meeting:
        future = starts_at > self.now
        cadence = timedelta(days=CADENCE_DAYS.get(series.district.code, DEFAULT_CADENCE_DAYS))
        latest_past = not future and starts_at + cadence > self.now
        status = MeetingStatus.HELD if latest_past else MeetingStatus.CLOSED
        if future:
            status = MeetingStatus.PLANNED
        meeting = Meeting(
            series=series,
            starts_at=starts_at,
            location="Microsoft Teams" if self.rng.random() < 0.6 else f"{series.district.name} Civic Hall",
            status=status,
            confidentiality_statement=series.confidentiality_statement,
            research_due_at=starts_at - timedelta(days=2),
            created_by=self.coordinator[series.kind],
            held_at=None if future else starts_at + timedelta(hours=3),
        )
        self.created[meeting.pk] = starts_at - timedelta(days=21)
        self.meetings.append(meeting)
        self.attend(meeting, accepted=not future)
        if future and series.district.code != LEEDS:
            return meeting  # other districts' next meetings have no agenda yet
        listing_at = self.now if future else starts_at - timedelta(days=7)
        lo, hi = CASES_PER_MEETING[self.size]
        slots = self.rng.randint(lo, hi)
        position = 0
        chosen: set[Any] = set()

        def add(person: Person, listed_by: str, **extra: Any) -> None:
            nonlocal position
            position += 1
            chosen.add(person.pk)
            self.case(meeting, person, position, listed_by, listing_at, **extra)

        if previous is not None:
            kept = [c for c in self.cases if c.meeting is previous and c.decision == Decision.KEEP_REVIEWING]
            for case in kept:
                add(case.person, ListedBy.REVIEW, review_of=case)
        for person, fired, version in self.candidates(series, listing_at):
            if position >= slots + (1 if future else 0):
                break
            if person.pk not in chosen:
                add(person, ListedBy.RULE, fired=fired, version=version)
        # A held meeting fills its agenda; the next Leeds meeting has at least one case listed.
        for person in self.fallbacks(series, listing_at):
            if position >= (1 if future else slots):
                break
            if person.pk not in chosen:
                add(person, ListedBy.MANUAL)
        if future and not position:
            # Everyone of the right age was heard lately (a small world, late in its year): the
            # next Leeds meeting still lists one, so the coordinators' agenda is never empty.
            anyone = [
                p
                for p in self.people[series.district.code]
                if self.in_scope(series.kind, p, listing_at.date())
            ]
            if anyone:
                add(self.rng.choice(anyone), ListedBy.MANUAL)
        return meeting

    def attend(self, meeting: Meeting, accepted: bool) -> None:
        series = meeting.series
        members = {a.pk for a in self.members[series.pk]} | {series.coordinating_agency_id}
        coordinator = self.coordinator[series.kind] if series.district.code == LEEDS else None
        users = [u for u in self.logins if u.agency_id in members and u.district_id == series.district_id]
        if coordinator is not None and coordinator not in users:
            users.insert(0, coordinator)
        accepted_at = (meeting.starts_at - timedelta(minutes=10)) if accepted else None
        for user in users:
            self.attendances.append(
                Attendance(
                    meeting=meeting,
                    user=user,
                    agency=user.agency,
                    confidentiality_accepted_at=accepted_at,
                    attended=(self.rng.random() < 0.9) if accepted else None,
                    is_chair=user == coordinator,
                )
            )

    def case(
        self,
        meeting: Meeting,
        person: Person,
        position: int,
        listed_by: str,
        listing_at: datetime,
        *,
        fired: list[core_rules.Fired] | None = None,
        version: int | None = None,
        review_of: MeetingCase | None = None,
    ) -> None:
        rng, series, kind = self.rng, meeting.series, meeting.series.kind
        levels = [str(level) for level in RISK_LEVELS_FOR_KIND[kind]]
        history = self.history.get(person.pk, [])
        before = meeting_rules.risk_before(kind, [e for e in history if e.at <= listing_at], levels)
        if not before:
            before = review_of.risk_level_after if review_of else rng.choice(levels[-2:])
        referring = None
        if review_of is not None:
            referring = review_of.referring_agency
        else:
            agency_kind = _weighted(rng, MARAC_REFERRERS if kind == Kind.MARAC else MACE_REFERRERS)
            options = self.agencies_of(agency_kind, series.district) or [series.coordinating_agency]
            referring = rng.choice(options)
        case = MeetingCase(
            owning_agency=series.coordinating_agency,
            district=series.district,
            meeting=meeting,
            person=person,
            position=position,
            listed_by=listed_by,
            rules_fired=meeting_rules.fired_as_data(fired or []),
            ruleset_version=version if fired else None,
            manual_reason=MANUAL_REASON[kind] if listed_by == ListedBy.MANUAL else "",
            review_of=review_of,
            referring_agency=referring,
            added_by=self.coordinator[kind],
            is_repeat=meeting_rules.is_repeat(self.heard[(kind, person.pk)], meeting.starts_at),
            children_in_household=meeting_rules.children_in_household(
                self.relationships.get(person.pk, []), meeting.starts_at.date()
            ),
            lgbt=_weighted(rng, {"yes": 4, "no": 80, "not_known": 16}),
            risk_level_before=before,
        )
        self.created[case.pk] = listing_at
        self.cases.append(case)
        self.listed_at[(series.pk, person.pk)] = listing_at
        self.add_research(case, listing_at)
        if meeting.status == MeetingStatus.PLANNED:
            self.event(case, "meeting_listed", listing_at, f"Listed for {series.name}")
            return
        self.hear(case, levels)

    def add_research(self, case: MeetingCase, listing_at: datetime) -> None:
        members = self.members[case.meeting.series.pk]
        future = case.meeting.status == MeetingStatus.PLANNED
        count = self.rng.randint(0, 2) if future else self.rng.randint(2, min(4, len(members)))
        for agency in self.rng.sample(members, min(count, len(members))):
            nothing = self.rng.random() < 0.2
            written = listing_at + timedelta(hours=self.rng.uniform(2, 120))
            if future:
                written = min(written, self.now - timedelta(minutes=5))
            research = Research(
                case=case,
                agency=agency,
                author=self.staff(agency, case.meeting.series.kind),
                summary="Searched our records: nothing held." if nothing else RESEARCH[agency.kind],
                risks="" if nothing else "Risk of further harm if the current plan is not followed.",
                nothing_known=nothing,
            )
            self.created[research.pk] = written
            self.research.append(research)

    def hear(self, case: MeetingCase, levels: list[str]) -> None:
        rng, meeting = self.rng, case.meeting
        series, kind = meeting.series, meeting.series.kind
        decision = _weighted(rng, DECISION_WEIGHTS[kind])
        if case.listed_by == ListedBy.REVIEW and rng.random() < 0.5:
            decision = Decision.CLOSE
        after = rng.choice(levels[:2] if decision == Decision.CLOSE else levels[1:])
        case.minutes = MINUTES[kind]
        case.risk_level_after = after
        case.decision = decision
        case.decision_reason = DECISION_REASON[decision]
        case.discussed_at = meeting.starts_at + timedelta(minutes=10 * case.position)
        case.minuted_by = self.coordinator[kind]
        self.heard[(kind, case.person.pk)].append(meeting.starts_at)
        if kind == Kind.MARAC:
            self.history.setdefault(case.person.pk, []).append(
                core_rules.Event("marac_heard", meeting.starts_at, {}, str(case.pk))
            )
        self.event(case, kind, meeting.starts_at, f"Heard at {series.name}")
        if decision == Decision.TRANSFER:
            others = [s for s in self.series if s.kind == Kind.MARAC and s.pk != series.pk]
            self.transfers.append(
                CaseTransfer(
                    case=case,
                    to_series=rng.choice(others),
                    reason=DECISION_REASON[Decision.TRANSFER],
                    sent_at=meeting.starts_at + timedelta(hours=4),
                    sent_by=self.coordinator[kind],
                )
            )
        members = self.members[series.pk]
        plan = ACTIONS[kind]
        owners = [a for a in members if a.kind in plan]
        for agency in rng.sample(owners, min(len(owners), rng.randint(1, 3))):
            self.action(case, agency, plan[agency.kind])

    def action(self, case: MeetingCase, agency: Agency, text: str) -> None:
        rng, meeting = self.rng, case.meeting
        day = timezone.localtime(meeting.starts_at).date()
        due_on = day + timedelta(days=rng.choice((7, 14, 14, 21, 28, 42)))
        action = Action(
            case=case,
            description=text,
            owner_agency=agency,
            owner=self.staff(agency, meeting.series.kind),
            due_on=due_on,
            created_by=self.coordinator[meeting.series.kind],
        )
        self.created[action.pk] = meeting.starts_at + timedelta(hours=2)
        roll = rng.random()
        if due_on < self.today:
            if roll < 0.9:
                self.complete(action, day, due_on, late=rng.random() < 0.12)
            elif roll < 0.94:
                action.status = ActionStatus.CANCELLED
                action.update = "No longer needed: the circumstances changed."
                action.completed_at = self.at(due_on - timedelta(days=2), meeting.starts_at)
            # else: still open, overdue
        elif roll < 0.3:
            self.complete(action, day, min(due_on, self.today), late=False)
        self.actions.append(action)

    def at(self, day: date, earliest: datetime) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, time(15, 0)))
        return min(max(moment, earliest + timedelta(hours=3)), self.now - timedelta(minutes=1))

    def complete(self, action: Action, start: date, due_on: date, *, late: bool) -> None:
        span = max((due_on - start).days, 1)
        if late:
            done = due_on + timedelta(days=self.rng.randint(1, 10))
        else:
            done = start + timedelta(days=self.rng.randint(1, span))
        action.status = ActionStatus.DONE
        action.update = "Done: update shared with the coordinator."
        action.completed_at = self.at(min(done, self.today), action.case.meeting.starts_at)

    def force_overdue(self) -> None:
        """Make sure the Leeds demo users have overdue actions to see (one per recent meeting)."""
        for series in [s for s in self.series if s.district.code == LEEDS]:
            held = [m for m in self.meetings if m.series is series and m.status != MeetingStatus.PLANNED]
            for meeting in sorted(held, key=lambda m: m.starts_at)[-3:-1]:
                actions = [a for a in self.actions if a.case.meeting is meeting]
                day = timezone.localtime(meeting.starts_at).date()
                if actions and day + timedelta(days=7) < self.today:
                    action = actions[0]
                    action.due_on = day + timedelta(days=7)
                    action.status, action.completed_at, action.update = ActionStatus.OPEN, None, ""

    def practitioner_referrals(self) -> None:
        """One MARAC and one MACE referral in Leeds in the last fortnight: candidates to add."""
        leeds = next((s.district for s in self.series if s.district.code == LEEDS), None)
        if leeds is None:
            return
        listed = {c.person.pk for c in self.cases if c.meeting.status == MeetingStatus.PLANNED}
        for kind, username in ((Kind.MARAC, "officer"), (Kind.MACE, "school")):
            referrer = next((u for u in self.logins if u.username == username), None)
            pool = [
                p
                for p in self.people[LEEDS]
                if p.pk not in listed and self.in_scope(kind, p, self.today) and p.date_of_birth
            ]
            if referrer is None or not pool:
                continue
            person = self.rng.choice(pool)
            referred_at = self.now - timedelta(days=self.rng.uniform(1, 12))
            referral = MeetingReferral(
                owning_agency=referrer.agency,
                district=leeds,
                kind=kind,
                person=person,
                referrer=referrer,
                referred_at=referred_at,
                reasons=MANUAL_REASON[kind],
            )
            self.referrals.append(referral)
            self.chronology.append(
                ChronologyEvent(
                    person=person,
                    kind=kind,
                    at=referred_at,
                    summary=f"Referred to {kind.upper()} ({leeds.name})",
                    source_type="meetings.meetingreferral",
                    source_id=str(referral.pk),
                    recorded_by_agency=referrer.agency,
                )
            )

    def event(self, case: MeetingCase, kind: str, at: datetime, summary: str) -> None:
        self.chronology.append(
            ChronologyEvent(
                person=case.person,
                kind=kind,
                at=at,
                summary=summary[:300],
                source_type="meetings.meetingcase",
                source_id=str(case.pk),
                recorded_by_agency=case.meeting.series.coordinating_agency,
            )
        )

    # --- saving --------------------------------------------------------------------------------

    def audit_events(self) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        groups: list[tuple[str, list[Any], list[str], Callable[[Any], Any]]] = [
            ("meetings.meetingseries", self.series, ["name", "member_agencies"], _no_person),
            ("meetings.meeting", self.meetings, ["starts_at", "location"], _no_person),
            ("meetings.attendance", self.attendances, ["user", "confidentiality_accepted_at"], _no_person),
            ("meetings.meetingcase", self.cases, ["listed_by", "rules_fired"], lambda o: o.person_id),
            ("meetings.research", self.research, ["summary", "risks"], lambda o: o.case.person_id),
            ("meetings.action", self.actions, ["description", "owner", "due_on"], lambda o: o.case.person_id),
            ("meetings.casetransfer", self.transfers, ["to_series", "reason"], lambda o: o.case.person_id),
            ("meetings.meetingreferral", self.referrals, ["reasons"], lambda o: o.person_id),
        ]
        return [
            AuditEvent(
                action=AuditAction.CREATE,
                object_type=label,
                object_id=str(obj.pk),
                person_id=person(obj),
                fields=fields,
                **base,
            )
            for label, rows, fields, person in groups
            for obj in rows
        ]

    def save(self, progress: Progress) -> dict[str, Any]:
        groups: list[tuple[str, Any, list]] = [
            ("series", MeetingSeries, self.series),
            ("meetings", Meeting, self.meetings),
            ("attendances", Attendance, self.attendances),
            ("cases", MeetingCase, self.cases),
            ("research", Research, self.research),
            ("actions", Action, self.actions),
            ("transfers", CaseTransfer, self.transfers),
            ("practitioner_referrals", MeetingReferral, self.referrals),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("audit_events", AuditEvent, self.audit_events()),
        ]
        total = sum(len(rows) for _, _, rows in groups)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving meetings", done, total)
        for series in self.series:
            series.member_agencies.set(self.members[series.pk])
            if series.district.code == LEEDS:
                series.coordinators.set([self.coordinator[series.kind]])
        # auto_now_add stamped "now": a demo record was made when it happened.
        for model, rows in (
            (Meeting, self.meetings),
            (MeetingCase, self.cases),
            (Research, self.research),
            (Action, self.actions),
        ):
            for row in rows:
                row.created_at = self.created[row.pk]
            model.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
        counts: dict[str, Any] = {label: len(rows) for label, _, rows in groups}
        counts["overdue_actions"] = sum(
            1 for a in self.actions if a.status == ActionStatus.OPEN and a.due_on < self.today
        )
        return counts
