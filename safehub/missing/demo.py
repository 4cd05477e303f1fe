"""Synthetic missing-person records for the demo world: a year of episodes across the five districts.

- Care-home repeaters: a few looked-after children go missing 3 to 6 times within a few weeks, so the
  repeat-missing rule (and MACE) lists them; each has a Philomena profile held by children's social
  care, attached to their episodes.
- Hospital walk-outs: adults missing from hospital; most stay with the NHS trust (no police
  deployment) and some are police responses because the reporter states an immediate risk.
- Herbert profiles for older adults (held by adult social care), who go missing from home or a care
  home now and then.
- Other children and adults missing from home, school or elsewhere.
- Durations are log-normal (median about 6 hours, a long tail of days); the newest few are still
  open. Risk gradings follow the APP continuum, some regraded. Children's return home interviews
  are due on the real `rhi` clock; most are offered in time, some late, a few overdue.

Reproducible (random.Random(2028)); bulk_create in one transaction with one `job:demo` audit event
per record; a second call adds nothing.
"""

from __future__ import annotations

import io
import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.core import rulesets
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import due
from safehub.core.models import (
    Agency,
    AgencyKind,
    AuditAction,
    AuditEvent,
    ConsentStatus,
    LawfulBasis,
    Share,
    User,
)
from safehub.core.roles import Role
from safehub.core.rules import Event
from safehub.missing import rules, selectors
from safehub.missing.models import (
    Condition,
    EpisodeAction,
    MissingEpisode,
    MissingFrom,
    ProfileKind,
    ProtocolProfile,
    ReturnInterview,
    RiskGrading,
)
from safehub.people import rules as people_rules
from safehub.people.models import ChronologyEvent, Person

Progress = Callable[[str, int, int], None]

SIZES = {"small": 80, "full": 2000}
SEED = 2028
BATCH = 500
JOB = core_demo.DEMO_JOB
DAYS = 365
DISTRICT_WEIGHTS = {"leeds": 9671, "bradford": 7063, "kirklees": 4222, "wakefield": 3686, "calderdale": 2345}
LEVEL_WEIGHTS = {"very_low": 15, "low": 35, "medium": 38, "high": 12}
# Evening and night peaks (missing from care is most often reported late in the day).
HOUR_WEIGHTS = [4, 3, 2, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10, 8, 6]
CARE_HOMES = ["Beechwood House", "Oakfield Lodge", "The Willows", "Ashgrove Children's Home"]
HOSPITALS = ["General Infirmary", "District Hospital", "St Mary's Hospital"]
PLACES_FOUND = [
    "City bus station",
    "Friend's address",
    "Retail park",
    "Railway station",
    "Park near the placement",
    "Family member's home",
    "Town centre",
]
LAST_SEEN = [
    "Leaving the placement on foot",
    "At the bus stop outside school",
    "In the town centre",
    "At home",
]
ASSOCIATES = ["Jay (older male, about 19)", "Two girls from school", "Unknown adult in a grey car", "Cousin"]


def already_loaded() -> int:
    return core_demo.created_by_demo("missing.missingepisode")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create about SIZES[size] missing episodes over the last year, with profiles and interviews."""
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    if not Person.objects.exists():
        raise RuntimeError("Load the people first (safehub.people.demo)")
    builder = _Builder(SIZES[size])
    builder.build()
    return builder.save(progress)


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _photo(rng: random.Random) -> bytes:
    """A small synthetic placeholder image (a plain coloured PNG), never a real photo."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 75), (rng.randint(90, 200), rng.randint(90, 200), rng.randint(90, 200))).save(
        buffer, format="PNG"
    )
    return buffer.getvalue()


class _Builder:
    def __init__(self, target: int) -> None:
        self.rng = random.Random(SEED)
        self.target = target
        self.now = timezone.now()
        self.police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("code").first()
        if self.police is None:
            raise RuntimeError("Load the core demo first (safehub.core.demo): episodes need the police")
        self.agencies = list(Agency.objects.prefetch_related("districts"))
        self.recorder = self._login(Role.MISSING_COORDINATOR) or self._login(Role.OFFICER)
        if self.recorder is None:
            raise RuntimeError("Load the core demo first (safehub.core.demo): episodes need a recorder")
        self.people: dict[tuple[str, str], list[Person]] = defaultdict(list)
        for person in Person.objects.select_related("district__force").order_by(
            "family_name", "given_name", "id"
        ):
            age = people_rules.age_on(person.date_of_birth, self.now.date())
            band = "child" if age is None or age < 18 else ("older" if age >= 65 else "adult")
            self.people[(person.district.code, band)].append(person)
        self.districts = {p.district.code: p.district for pool in self.people.values() for p in pool}
        self.force = next(iter(self.districts.values())).force if self.districts else None
        self.levels = {level.code: level for level in selectors.risk_levels(self.force)}
        self.rhi_clock = effective_clock("rhi", self.force)
        self.ruleset = rulesets.ruleset_for(rules.REPEAT_RULESET, self.force)
        self.episodes: list[MissingEpisode] = []
        self.gradings: list[RiskGrading] = []
        self.actions: list[EpisodeAction] = []
        self.profiles: dict[Any, ProtocolProfile] = {}
        self.interviews: list[ReturnInterview] = []
        self.shares: list[Share] = []
        self.chronology: list[ChronologyEvent] = []
        self.used: set[Any] = set()

    def _login(self, role: str) -> User | None:
        return (
            User.objects.filter(is_active=True, role_grants__role=role, agency__isnull=False)
            .select_related("agency")
            .order_by("username")
            .first()
        )

    def agency(self, kind: str, district: Any) -> Agency:
        matches = [
            a for a in self.agencies if a.kind == kind and any(d.pk == district.pk for d in a.districts.all())
        ]
        return matches[0] if matches else self.police

    def pick(self, district: str, band: str) -> Person | None:
        pool = [p for p in self.people.get((district, band), []) if p.pk not in self.used]
        return self.rng.choice(pool) if pool else None

    def district(self) -> str:
        for _ in range(10):
            code = _weighted(self.rng, DISTRICT_WEIGHTS)
            if code in self.districts:
                return code
        return next(iter(self.districts))

    def moment(self, days_ago: float) -> datetime:
        base = timezone.localtime(self.now - timedelta(days=days_ago))
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        moment = base.replace(hour=hour, minute=self.rng.randint(0, 59), second=0, microsecond=0)
        return min(moment, self.now - timedelta(minutes=30))

    def duration(self) -> timedelta:
        hours = math.exp(self.rng.gauss(math.log(6), 1.1))
        return timedelta(hours=min(max(hours, 0.5), 24 * 14))

    # --- building ------------------------------------------------------------------------------

    def build(self) -> None:
        if not self.districts:
            return
        repeaters = max(2, self.target // 16)
        for _ in range(repeaters):
            self.repeater()
        herberts = max(2, self.target // 20)
        for _ in range(herberts):
            self.herbert()
        self.still_missing()
        while len(self.episodes) < self.target:
            kind = _weighted(self.rng, {"hospital": 20, "child_home": 40, "adult": 25, "school": 15})
            code = self.district()
            if kind == "hospital":
                person = self.pick(code, "adult") or self.pick(code, "older")
                if person is not None:
                    self.episode(
                        person,
                        self.moment(self.rng.uniform(0, DAYS)),
                        MissingFrom.HOSPITAL,
                        detail=self.rng.choice(HOSPITALS),
                        stated=self.rng.random() < 0.15,
                    )
            elif kind in ("child_home", "school"):
                person = self.pick(code, "child")
                if person is not None:
                    where = MissingFrom.HOME if kind == "child_home" else MissingFrom.SCHOOL
                    self.episode(person, self.moment(self.rng.uniform(0, DAYS)), where)
            else:
                person = self.pick(code, "adult")
                if person is not None:
                    self.episode(person, self.moment(self.rng.uniform(0, DAYS)), MissingFrom.OTHER)
            if person is None and not any(self.people.values()):
                break

    def still_missing(self) -> None:
        """A few people reported in the last hours and not yet found, whatever the clock says now:
        the open-episode list is never empty, however the durations happen to fall."""
        for band, where in (("child", MissingFrom.HOME), ("adult", MissingFrom.OTHER)):
            person = self.pick(self.district(), band)
            if person is None:
                continue
            self.used.add(person.pk)
            self.episode(person, self.moment(self.rng.uniform(0.1, 0.4)), where, still_missing=True)

    def profile(self, person: Person, kind: str, owner_kind: str, at: datetime) -> ProtocolProfile:
        owner = self.agency(owner_kind, person.district)
        profile = ProtocolProfile(
            owning_agency=owner,
            district=person.district,
            person=person,
            kind=kind,
            description=self.rng.choice(
                ["Slim build, about 5ft 3in", "Medium build, about 5ft 8in", "Stocky, 5ft 6in"]
            )
            + ", "
            + self.rng.choice(["short brown hair", "long dark hair", "grey hair", "fair hair in a ponytail"]),
            photo=_photo(self.rng),
            photo_content_type="image/png",
            medical_needs=self.rng.choice(
                [
                    "None known",
                    "Asthma: carries an inhaler",
                    "Type 1 diabetes: needs insulin",
                    "Dementia: may be disorientated; takes donepezil daily",
                ]
            ),
            places="Bus station; town centre; a friend's flat near the retail park"
            if kind == ProfileKind.PHILOMENA
            else "Former family home; the war memorial; the allotments",
            contacts="Key worker at the placement; aunt (phone held by the placement)"
            if kind == ProfileKind.PHILOMENA
            else "Daughter (phone held by the care home); neighbour",
            previous_addresses="Previous foster placement in the same district"
            if kind == ProfileKind.PHILOMENA
            else "Family home for 40 years, two streets away",
            routines="Usually back by curfew"
            if kind == ProfileKind.PHILOMENA
            else "Walks to the paper shop each morning",
            recorded_by=self.recorder,
            reviewed_at=at,
        )
        self.profiles[person.pk] = profile
        return profile

    def repeater(self) -> None:
        code = self.district()
        person = self.pick(code, "child")
        if person is None:
            return
        self.used.add(person.pk)
        start_days = self.rng.uniform(20, DAYS - 60)
        self.profile(
            person,
            ProfileKind.PHILOMENA,
            AgencyKind.CHILDRENS_SOCIAL_CARE,
            self.now - timedelta(days=start_days + self.rng.uniform(10, 60)),
        )
        home = self.rng.choice(CARE_HOMES)
        days = sorted(
            (start_days - self.rng.uniform(0, 60) for _ in range(self.rng.randint(3, 6))), reverse=True
        )
        if self.rng.random() < 0.5:  # some are repeating right now, so MACE lists them today
            days = sorted((self.rng.uniform(1, 80) for _ in range(self.rng.randint(3, 5))), reverse=True)
        for days_ago in days:
            self.episode(person, self.moment(max(days_ago, 0.2)), MissingFrom.CARE_HOME, detail=home)

    def herbert(self) -> None:
        code = self.district()
        person = self.pick(code, "older")
        if person is None:
            return
        self.used.add(person.pk)
        self.profile(
            person, ProfileKind.HERBERT, AgencyKind.ADULT_SOCIAL_CARE, self.now - timedelta(days=DAYS + 30)
        )
        for _ in range(self.rng.randint(1, 2)):
            where = self.rng.choice([MissingFrom.HOME, MissingFrom.CARE_HOME])
            self.episode(person, self.moment(self.rng.uniform(0, DAYS)), where, level="high")

    def episode(
        self,
        person: Person,
        reported: datetime,
        where: str,
        *,
        detail: str = "",
        stated: bool = False,
        level: str = "",
        still_missing: bool = False,
    ) -> None:
        age = people_rules.age_on(person.date_of_birth, reported.date())
        child = age is None or age < 18
        level = level or _weighted(self.rng, LEVEL_WEIGHTS)
        if level not in self.levels:
            level = next(iter(self.levels))
        decision = rules.route_episode(missing_from=where, immediate_risk_stated=stated)
        last_seen = reported - timedelta(minutes=self.rng.randint(20, 240))
        length = self.duration()
        found_at = last_seen + length
        if still_missing or found_at >= self.now - timedelta(minutes=10):
            found_at = None
        profile = self.profiles.get(person.pk)
        if profile is not None and profile.reviewed_at > reported:
            profile = None
        episode = MissingEpisode(
            owning_agency=self.police,
            district=person.district,
            person=person,
            is_child=child,
            reported_at=reported,
            reported_by_name=self.rng.choice(["Duty manager", "Parent", "Ward sister", "Carer", "Teacher"]),
            reported_by_relationship={
                MissingFrom.CARE_HOME: "Care home staff",
                MissingFrom.HOSPITAL: "Hospital staff",
                MissingFrom.SCHOOL: "School staff",
            }.get(where, "Family"),
            last_seen_at=last_seen,
            last_seen_place=self.rng.choice(LAST_SEEN),
            last_seen_with=self.rng.choice(ASSOCIATES) if child and self.rng.random() < 0.6 else "",
            missing_from=where,
            missing_from_detail=detail,
            risk_level=level,
            immediate_risk_stated=stated,
            routing=decision.routing,
            routing_reason=decision.reason,
            routing_decided_at=reported,
            routing_decided_by=self.recorder,
            status="found" if found_at else "open",
            found_at=found_at,
            found_place=self.rng.choice(PLACES_FOUND) if found_at else "",
            found_by=self.rng.choice(["Police patrol", "Returned of their own accord", "Care home staff"])
            if found_at
            else "",
            condition_on_return=self.conditions(child) if found_at else [],
            profile=profile,
            recorded_by=self.recorder,
        )
        history = [
            Event("missing_episode", e.reported_at, {}, str(e.pk))
            for e in self.episodes
            if e.person_id == person.pk
        ]
        history.append(Event("missing_episode", reported, {}, str(episode.pk)))
        fired = rules.repeat_missing(self.ruleset, history, reported)
        if fired is not None:
            episode.repeat_missing, episode.repeat_reason = True, fired.reason[:300]
        self.episodes.append(episode)
        self.gradings.append(self.grading(episode, level, reported, True))
        if self.rng.random() < 0.2:
            new = _weighted(self.rng, LEVEL_WEIGHTS)
            if new in self.levels and new != level:
                at = reported + timedelta(minutes=self.rng.randint(30, 180))
                if found_at is None or at < found_at:
                    self.gradings.append(self.grading(episode, new, at, False))
                    episode.risk_level = new
        self.actions.append(
            EpisodeAction(
                episode=episode,
                kind="enquiry",
                at=reported + timedelta(minutes=20),
                description="Phone and social media checked; friends and family contacted",
                recorded_by=self.recorder,
            )
        )
        self.event(
            person,
            "missing_reported",
            reported,
            episode,
            f"Reported missing from {episode.get_missing_from_display().lower()}",
        )
        if found_at:
            self.event(
                person,
                "missing_found",
                found_at,
                episode,
                f"Found after {rules.duration_text(episode.duration).lower()}",
            )
        if child:
            authority = self.agency(AgencyKind.CHILDRENS_SOCIAL_CARE, person.district)
            self.share(
                episode,
                authority,
                self.police,
                "Missing child: return home interview and missing coordination",
            )
            if found_at:
                self.interview(episode, authority, found_at)

    def conditions(self, child: bool) -> list[str]:
        roll = self.rng.random()
        if child and roll < 0.08:
            return [Condition.SAFE_AND_WELL, Condition.EXPLOITATION_DISCLOSED]
        if roll < 0.12:
            return [Condition.HARMED]
        if roll < 0.16:
            return [Condition.OFFENDING]
        return [Condition.SAFE_AND_WELL]

    def grading(self, episode: MissingEpisode, code: str, at: datetime, initial: bool) -> RiskGrading:
        return RiskGrading(
            episode=episode,
            level=code,
            level_name=self.levels[code].name,
            graded_at=at,
            graded_by=self.recorder,
            is_initial=initial,
            rationale="Initial grading on the information from the reporter"
            if initial
            else "Regraded after enquiries: new information on associates and location",
        )

    def interview(self, episode: MissingEpisode, authority: Agency, found_at: datetime) -> None:
        due_at = due(self.rhi_clock, found_at)
        interview = ReturnInterview(
            owning_agency=authority,
            district=episode.district,
            episode=episode,
            person=episode.person,
            due_at=due_at,
        )
        if due_at > self.now and self.rng.random() < 0.6:
            pass  # still to be offered, not yet due
        elif due_at <= self.now and self.rng.random() < 0.07:
            pass  # overdue: not offered in time
        else:
            late = self.rng.random() < 0.2
            offered = found_at + timedelta(
                hours=self.rng.uniform(74, 120) if late else self.rng.uniform(4, 70)
            )
            if offered < self.now:
                interview.status = "offered"
                interview.offered_at = offered
                interview.interviewer_name = self.rng.choice(["Independent return worker", "Youth advocate"])
                interview.interviewer_organisation = "Safe Harbour Youth Charity"
                outcome = self.rng.random()
                responded = offered + timedelta(hours=self.rng.uniform(1, 30))
                if responded < self.now and outcome < 0.2:
                    interview.status, interview.responded_at = "declined", responded
                    interview.decline_reason = "Did not want to talk about it"
                elif responded < self.now and outcome < 0.85:
                    interview.status, interview.responded_at, interview.completed_at = (
                        "completed",
                        responded,
                        responded,
                    )
                    interview.where_stayed = self.rng.choice(
                        ["A friend's flat", "Walking around town", "An older male's house"]
                    )
                    interview.who_with = self.rng.choice(
                        ["Friends from school", "Older males", "On their own"]
                    )
                    interview.push_factors = self.rng.sample(
                        ["boundaries", "conflict_at_home", "placement_unhappy"], 1
                    )
                    interview.pull_factors = self.rng.sample(
                        ["friends", "money_gifts", "parties", "partner"], 2
                    )
                    if self.rng.random() < 0.3:
                        interview.exploitation_indicators = self.rng.sample(
                            ["older_adults", "money_phones", "cars"], 1
                        )
                    interview.child_words = self.rng.choice(
                        [
                            "I just wanted to see my mates.",
                            "It's boring there and nobody listens.",
                            "I was fine, honest.",
                        ]
                    )
        self.interviews.append(interview)
        self.share(
            interview,
            self.police,
            authority,
            "Return home interview findings for the missing person coordinator",
        )

    def share(self, obj: Any, to_agency: Agency, from_agency: Agency, purpose: str) -> None:
        if to_agency.pk == from_agency.pk:
            return
        self.shares.append(
            Share(
                object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                object_id=obj.pk,
                to_agency=to_agency,
                from_agency=from_agency,
                purpose=purpose,
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                condition="dpa_sch1_18",
                consent_status=ConsentStatus.NOT_SOUGHT,
                consent_note="Statutory duty to safeguard a missing child",
                granted_by=self.recorder,
            )
        )

    def event(self, person: Person, kind: str, at: datetime, obj: Any, summary: str) -> None:
        self.chronology.append(
            ChronologyEvent(
                person=person,
                kind=kind,
                at=at,
                summary=summary,
                source_type="missing.missingepisode",
                source_id=str(obj.pk),
                recorded_by_agency=self.police,
            )
        )

    # --- saving --------------------------------------------------------------------------------

    def audit_events(self) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        groups = [
            ("missing.protocolprofile", list(self.profiles.values()), ["kind", "description", "photo"]),
            (
                "missing.missingepisode",
                self.episodes,
                ["reported_at", "missing_from", "risk_level", "routing"],
            ),
            ("missing.riskgrading", self.gradings, ["level", "rationale"]),
            ("missing.returninterview", self.interviews, ["due_at", "status"]),
            ("core.share", self.shares, ["to_agency", "purpose", "lawful_basis"]),
        ]
        events = []
        for label, rows, fields in groups:
            for obj in rows:
                person = getattr(obj, "person_id", None) or getattr(
                    getattr(obj, "episode", None), "person_id", None
                )
                events.append(
                    AuditEvent(
                        action=AuditAction.CREATE,
                        object_type=label,
                        object_id=str(obj.pk),
                        person_id=person,
                        fields=fields,
                        **base,
                    )
                )
        return events

    def save(self, progress: Progress) -> dict[str, Any]:
        groups: list[tuple[str, Any, list]] = [
            ("protocol_profiles", ProtocolProfile, list(self.profiles.values())),
            ("episodes", MissingEpisode, self.episodes),
            ("risk_gradings", RiskGrading, self.gradings),
            ("actions", EpisodeAction, self.actions),
            ("return_interviews", ReturnInterview, self.interviews),
            ("shares", Share, self.shares),
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
                progress("saving missing persons", done, total)
        for episode in self.episodes:  # auto_now_add stamped "now": created when reported
            episode.created_at = episode.reported_at
        MissingEpisode.objects.bulk_update(self.episodes, ["created_at"], batch_size=BATCH)
        counts: dict[str, Any] = {label: len(rows) for label, _, rows in groups}
        counts["repeat_flagged"] = sum(1 for e in self.episodes if e.repeat_missing)
        counts["nhs_trust"] = sum(1 for e in self.episodes if e.routing == "nhs_trust")
        return counts
