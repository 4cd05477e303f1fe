"""Synthetic contacts for the demo world: two years of calls ending today.

The shape comes from real public data where it is present (`../shared/data`, or the folder named
by SAFEHUB_SHARED_DATA), and from the same figures built in where it is not (a user's machine), so
the demo never fails:

- district shares: police.uk street-level crime for West Yorkshire, July 2016 and July 2017
  (rows per district, from the LSOA name); the LSOAs and "On or near ..." locations of contacts
  are drawn from the same rows of each district;
- the anti-social behaviour share of crime and ASB contacts: the same files;
- month shape: Home Office recorded crime for West Yorkshire by quarter, 2017/18 (the street files
  hold only July); each month of a quarter gets a third of it;
- trend: the change from July 2016 to July 2017.

The people are the demo people already loaded (`safehub.people.demo`): domestic abuse is between
partners or ex-partners with their children present, a few victims and places come back again
and again (repeat victims and repeat locations), children at a school produce Operation Encompass
notifications (most acknowledged in time, some late, some overdue and escalated), and DASH (and
child exploitation screening for missing children) assessments come from the instruments app when
it is installed. PPNs raised in the last 21 days wait for the MASH; older ones are marked referred
(before Safehub held referrals, so without a referral id).

Crime reports carry an offence group (child sexual exploitation, child sexual abuse, rape and other
sexual offences, other) and domestic abuse contacts the group DA; about 40% of CSE, 30% of CSA, 25% of
rape and sexual offence and 5% of DA reports are non-recent (the offence 13 to 120 months before the
call: the seeds say non-recent CSE is around 40% of CSE investigations). These come from a second
random stream, so the contacts, people and gradings are drawn as before. The domestic abuse awareness
campaign (`core.demo.campaign_launch`) is a step: from its launch domestic abuse is reported
CAMPAIGN_UPLIFT times as often, and every other category as often as before.

Reproducible (random.Random(2026)); written with bulk_create in one transaction, with one
`job:demo` audit event per record; a second call adds nothing.
"""

from __future__ import annotations

import csv
import gzip
import os
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safehub.contacts import rules
from safehub.contacts.models import (
    AgeGroup,
    Category,
    Contact,
    ContactPerson,
    EncompassNotification,
    OffenceGroup,
    PpnStatus,
    PublicProtectionNotice,
    ResponseGrade,
    Role,
    ThriveGrading,
)
from safehub.contacts.services import ENCOMPASS_CLOCK, ENCOMPASS_TITLE, encompass_body
from safehub.core import demo as core_demo
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import due
from safehub.core.models import Agency, AgencyKind, AuditAction, AuditEvent, District, Notification, User
from safehub.people.models import (
    Address,
    AddressKind,
    ChronologyEvent,
    Identifier,
    IdentifierKind,
    Person,
    Relationship,
    RelationshipKind,
)

Progress = Callable[[str, int, int], None]

SIZES = {"small": 150, "full": 4000}
SEED = 2026
BATCH = 500
JOB = core_demo.DEMO_JOB
DAYS = 730
REFERRED_AFTER_DAYS = 21

# Built-in figures (the same files, counted once) for when shared/data is not there.
BUILT_IN_DISTRICTS = {
    "leeds": 9671,
    "bradford": 7063,
    "kirklees": 4222,
    "wakefield": 3686,
    "calderdale": 2345,
}
BUILT_IN_QUARTERS = {1: 64280, 2: 65572, 3: 68562, 4: 67106}  # Home Office PRC 2017/18, West Yorkshire
BUILT_IN_ASB_SHARE = 5955 / 28537
BUILT_IN_TREND = 28537 / 27176 - 1
QUARTER_MONTHS = {1: (4, 5, 6), 2: (7, 8, 9), 3: (10, 11, 12), 4: (1, 2, 3)}

# Share of contacts by category apart from crime and ASB, which share the rest in the data's ratio.
CATEGORY_WEIGHTS: dict[str, float] = {
    Category.PUBLIC_SAFETY: 17,
    Category.CONCERN_FOR_WELFARE: 11,
    Category.MENTAL_HEALTH: 6,
    Category.MISSING: 5,
    Category.DOMESTIC: 15,
}
CRIME_AND_ASB = 46
CHANNELS = {
    Category.DOMESTIC: {"999": 65, "101": 20, "online": 5, "walk_in": 3, "partner_agency": 7},
    Category.CRIME: {"999": 35, "101": 35, "online": 22, "walk_in": 6, "partner_agency": 2},
    Category.ASB: {"999": 15, "101": 55, "online": 27, "walk_in": 3},
    Category.MISSING: {"999": 45, "101": 40, "partner_agency": 15},
    Category.CONCERN_FOR_WELFARE: {"999": 40, "101": 35, "partner_agency": 25},
    Category.MENTAL_HEALTH: {"999": 50, "101": 25, "partner_agency": 25},
    Category.PUBLIC_SAFETY: {"999": 50, "101": 40, "online": 10},
}
# Calls by hour of day (evening peak).
HOURS = [2, 1.5, 1, 1, 1, 1, 1.5, 2.5, 3.5, 4, 4.5, 5, 5, 5, 5.5, 6, 6.5, 7, 7, 6.5, 6, 5, 4, 3]
LEVEL_WEIGHTS = {  # low, medium, high for threat/harm/risk, vulnerability, investigation/engagement
    Category.DOMESTIC: ((25, 45, 30), (20, 50, 30), (20, 55, 25)),
    Category.CRIME: ((55, 35, 10), (60, 30, 10), (25, 55, 20)),
    Category.ASB: ((75, 22, 3), (70, 25, 5), (55, 40, 5)),
    Category.MISSING: ((30, 45, 25), (15, 45, 40), (40, 45, 15)),
    Category.CONCERN_FOR_WELFARE: ((40, 40, 20), (15, 45, 40), (60, 30, 10)),
    Category.MENTAL_HEALTH: ((35, 40, 25), (10, 40, 50), (60, 30, 10)),
    Category.PUBLIC_SAFETY: ((45, 35, 20), (55, 30, 15), (65, 30, 5)),
}
RCRP_WEIGHTS = {"attend_risk": 30, "attend_crime": 5, "health_lead": 45, "no_police_action": 20}
RATIONALES = {
    "threat": {
        "low": "No threat made or apparent at the time of the call.",
        "medium": "Threats made earlier; the person named is not at the address now.",
        "high": "Caller says the person making threats is still there.",
    },
    "harm": {
        "low": "No injury reported; little harm likely.",
        "medium": "Minor injury or distress reported.",
        "high": "Injury reported, or serious harm likely if police do not attend.",
    },
    "risk": {
        "low": "Situation calm; unlikely to get worse before an appointment.",
        "medium": "Could get worse within hours.",
        "high": "Likely to get worse now: history of escalation.",
    },
    "investigation": {
        "low": "No offence disclosed; advice only.",
        "medium": "Possible offence: statement and enquiries needed.",
        "high": "Evidence to secure at the scene (injuries, CCTV, witnesses).",
    },
    "vulnerability": {
        "low": "No vulnerability identified.",
        "medium": "Some vulnerability: alone, or known to services.",
        "high": "Cannot protect themselves: age, health or children present.",
    },
    "engagement": {
        "low": "Caller happy to be dealt with by phone.",
        "medium": "Needs reassurance and a partner referral.",
        "high": "Hard to reach: engagement needs a visit and partners.",
    },
}
NARRATIVES = {
    Category.DOMESTIC: [
        "Caller reports her partner shouting and throwing things; children in the house.",
        "Neighbour hears screaming from next door and a child crying.",
        "Caller says her ex-partner has turned up and will not leave.",
        "Caller reports being pushed and threatened by his partner during an argument.",
    ],
    Category.CRIME: [
        "Caller reports a burglary overnight; rear door forced.",
        "Caller assaulted outside a shop; suspect walked off towards the bus station.",
        "Car window smashed and bag taken from the back seat.",
        "Caller reports threats made to them in the street by a known male.",
    ],
    Category.ASB: [
        "Group of youths kicking a ball against cars and shouting abuse.",
        "Loud music and shouting from a flat late at night.",
        "Off-road bikes being ridden across the park near children.",
    ],
    Category.MISSING: [
        "Carer reports the young person has not returned from school.",
        "Care home reports a resident left without staff knowing.",
        "Parent reports their child went out last night and has not come home.",
    ],
    Category.CONCERN_FOR_WELFARE: [
        "Neighbour has not seen the elderly man next door for several days.",
        "Family member cannot contact the caller's sister, who sounded low.",
        "Bus driver reports a confused woman on the bus at the terminus.",
    ],
    Category.MENTAL_HEALTH: [
        "Caller says they are thinking of ending their life and are on a bridge.",
        "Hospital reports a detained patient has left the ward.",
        "Family report their son is very agitated and talking about hurting himself.",
    ],
    Category.PUBLIC_SAFETY: [
        "Road traffic collision, two cars, no injuries reported.",
        "Large tree fallen across the road.",
        "Caller reports a strong smell of gas in the street.",
    ],
}
# Crime reports by offence group, and the share of each group's reports that are non-recent
# (offence NON_RECENT_MONTHS before the call), or recent but with the offence days to months earlier.
CRIME_GROUPS = {OffenceGroup.CSE: 3, OffenceGroup.CSA: 4, OffenceGroup.RAPE_SEXUAL: 8, OffenceGroup.OTHER: 85}
NON_RECENT_SHARE = {
    OffenceGroup.CSE: 0.40,
    OffenceGroup.CSA: 0.30,
    OffenceGroup.RAPE_SEXUAL: 0.25,
    OffenceGroup.DA: 0.05,
    OffenceGroup.OTHER: 0.03,
}
EARLIER_SHARE = {
    OffenceGroup.CSE: 0.3,
    OffenceGroup.CSA: 0.3,
    OffenceGroup.RAPE_SEXUAL: 0.2,
    OffenceGroup.OTHER: 0.03,
}
NON_RECENT_MONTHS = (13, 120)
GROUP_NARRATIVES: dict[str, list[str]] = {
    OffenceGroup.CSE: [
        "Caller reports her daughter is being given alcohol and lifts by older men.",
        "School reports a pupil seen getting into cars with adult males after school.",
    ],
    OffenceGroup.CSA: [
        "Child disclosed to a teacher that a family member touched her.",
        "Parent reports their son disclosed abuse by a sports coach.",
    ],
    OffenceGroup.RAPE_SEXUAL: [
        "Caller reports being raped by a man she met on a night out.",
        "Caller reports being sexually assaulted on a bus.",
    ],
}
NON_RECENT_NARRATIVES: dict[str, list[str]] = {
    OffenceGroup.CSE: ["Adult caller reports being sexually exploited by a group of men as a teenager."],
    OffenceGroup.CSA: ["Adult caller reports being sexually abused by a relative as a child."],
    OffenceGroup.RAPE_SEXUAL: ["Caller reports being raped by an ex-partner some years ago."],
    OffenceGroup.DA: ["Caller reports years of controlling behaviour and assaults by an ex-partner."],
    OffenceGroup.OTHER: ["Caller reports a fraud against them discovered only now."],
}


def offence_details(rng: random.Random, category: str, received: datetime) -> tuple[str, datetime | None]:
    """(offence group, offence time or None) for a contact: crime and domestic abuse only."""
    if category == Category.DOMESTIC:
        group = OffenceGroup.DA
    elif category == Category.CRIME:
        group = rng.choices(list(CRIME_GROUPS), weights=list(CRIME_GROUPS.values()))[0]
    else:
        return "", None
    if rng.random() < NON_RECENT_SHARE[group]:
        months = rng.randint(*NON_RECENT_MONTHS)
        earlier = relativedelta(months=months) + relativedelta(
            days=rng.randint(0, 27), hours=rng.randint(0, 12)
        )
        return group, received - earlier
    if rng.random() < EARLIER_SHARE.get(group, 0):
        return group, received - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 12))
    return group, None


HOTSPOT_STEMS = ["Market Street", "Bus Station", "Retail Park", "Precinct", "High Street", "Park Lane"]
FALLBACK_STREETS = [
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Park Avenue",
    "Victoria Road",
    "King Street",
]
POSTCODE_AREAS = {
    "leeds": ("LS", list(range(1, 29))),
    "bradford": ("BD", list(range(1, 19))),
    "calderdale": ("HX", list(range(1, 8))),
    "kirklees": ("HD", list(range(1, 10))),
    "wakefield": ("WF", [1, 2, 3, 4, 8, 10]),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# --- the shape of the real data ------------------------------------------------------------------


@dataclass
class Shape:
    districts: dict[str, float]
    months: dict[int, float]
    trend: float
    asb_share: float
    places: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    source: str = "built-in"


def shared_data_dir() -> Path:
    configured = os.environ.get("SAFEHUB_SHARED_DATA", "").strip()
    return Path(configured) if configured else Path(settings.BASE_DIR).parent / "shared" / "data"


def data_shape(root: Path | None = None, rng: random.Random | None = None) -> Shape:
    """District shares, month shape, trend, ASB share and places from shared/data, else built in."""
    root = root or shared_data_dir()
    rng = rng or random.Random(SEED)
    months = {m: BUILT_IN_QUARTERS[q] / 3 for q, ms in QUARTER_MONTHS.items() for m in ms}
    shape = Shape(dict(BUILT_IN_DISTRICTS), months, BUILT_IN_TREND, BUILT_IN_ASB_SHARE)
    street = root / "policeuk-west-yorkshire-street"
    files = sorted(street.glob("*-west-yorkshire-street.csv.gz")) if street.is_dir() else []
    sources = []
    try:
        if files:
            totals, asb, places = _street_counts(files)
            if sum(totals[-1].values()):
                shape.districts = {code: float(totals[-1].get(code, 0)) for code in BUILT_IN_DISTRICTS}
                shape.asb_share = asb[-1] / max(1, sum(totals[-1].values()))
                if len(totals) > 1 and sum(totals[0].values()):
                    shape.trend = sum(totals[-1].values()) / sum(totals[0].values()) - 1
                shape.places = {
                    code: rng.sample(sorted(rows), min(400, len(rows)))
                    for code, rows in places.items()
                    if rows
                }
                sources.append("police.uk street files " + ", ".join(p.name[:7] for p in files))
        prc = root / "homeoffice-prc-pfa-2017-18" / "prc-pfa-201718_new.csv.gz"
        if prc.exists():
            quarters = _quarters(prc)
            if len(quarters) == 4:
                shape.months = {m: quarters[q] / 3 for q, ms in QUARTER_MONTHS.items() for m in ms}
                sources.append("Home Office recorded crime 2017/18 by quarter")
    except (OSError, ValueError, KeyError, csv.Error):
        return Shape(dict(BUILT_IN_DISTRICTS), months, BUILT_IN_TREND, BUILT_IN_ASB_SHARE)
    shape.source = "; ".join(sources) or "built-in"
    return shape


def _street_counts(files: list[Path]):
    totals, asb_counts = [], []
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in files:
        counts: Counter[str] = Counter()
        asb = 0
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = (row.get("LSOA name") or "").rsplit(" ", 1)[0].strip().lower()
                if name not in BUILT_IN_DISTRICTS:
                    continue
                counts[name] += 1
                if row.get("Crime type") == "Anti-social behaviour":
                    asb += 1
                location = (row.get("Location") or "").strip()
                if location and location != "No location" and row.get("LSOA code"):
                    places[name].add((row["LSOA code"], location))
        totals.append(counts)
        asb_counts.append(asb)
    return totals, asb_counts, places


def _quarters(path: Path) -> dict[int, float]:
    quarters: Counter[int] = Counter()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("Force_Name") == "West Yorkshire":
                quarters[int(row["Financial_Quarter"])] += int(float(row["Number_of_Offences"] or 0))
    return {q: float(n) for q, n in quarters.items() if n}


# --- loading -------------------------------------------------------------------------------------


def already_loaded() -> int:
    return core_demo.created_by_demo("contacts.contact")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create about SIZES[size] contacts over the last two years; counts of what was added."""
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    if not Person.objects.exists():
        raise RuntimeError("Load the people first (safehub.people.demo)")
    _grant_admin_reference_data()
    builder = _Builder(data_shape(), SIZES[size])
    builder.build(progress)
    return builder.save(progress)


def _grant_admin_reference_data() -> None:
    """Let the demo's reference data admins edit the response grade tables."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="Reference data admins").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="contacts", content_type__model="responsegrade"
            )
        )


@dataclass
class _Household:
    victim: Person
    suspect: Person
    children: list[Person]
    postcode: str


class _Builder:
    def __init__(self, shape: Shape, target: int) -> None:
        self.rng = random.Random(SEED)
        self.offence_rng = random.Random(SEED + 1)  # offence groups and dates: a stream of their own
        self.launch = core_demo.campaign_launch(timezone.localdate())
        self.shape = shape
        self.target = target
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = self.now - timedelta(days=DAYS)
        self.districts = {d.code: d for d in District.objects.select_related("force")}
        self.police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("name").first()
        self.handler = User.objects.filter(username="callhandler").first()
        self.officer = User.objects.filter(username="officer").first() or self.handler
        self.school_user = User.objects.filter(username="school").select_related("agency").first()
        if self.police is None or self.handler is None:
            raise RuntimeError("Load the organisations first (safehub.core.demo)")
        self.csc = {
            d.code: Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, districts=d)
            .order_by("name")
            .first()
            for d in self.districts.values()
        }
        self.grades = {g.band: g for g in ResponseGrade.objects.filter(force__isnull=True).order_by("-order")}
        self.grade_list = list(ResponseGrade.objects.filter(force__isnull=True).order_by("order"))
        self.encompass_clock = effective_clock(ENCOMPASS_CLOCK, next(iter(self.districts.values())).force)
        self._people()
        self.contacts: list[Contact] = []
        self.links: list[ContactPerson] = []
        self.link_keys: set[tuple[Any, Any, str]] = set()
        self.gradings: list[ThriveGrading] = []
        self.ppns: list[PublicProtectionNotice] = []
        self.ppn_keys: set[tuple[Any, Any]] = set()
        self.encompass: list[EncompassNotification] = []
        self.notifications: list[Notification] = []
        self.escalations: list[Notification] = []
        self.chronology: list[ChronologyEvent] = []
        self.assessments: list[Any] = []
        self.instruments = self._instruments()
        self.hotspots = {code: [self.postcode(code) for _ in range(4)] for code in self.districts}

    # --- the people we can draw on -------------------------------------------------------------

    def _people(self) -> None:
        people = list(Person.objects.select_related("owning_agency", "district"))
        self.by_id = {p.pk: p for p in people}
        self.adults: dict[str, list[Person]] = defaultdict(list)
        self.children: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            age = rules.age_on(person.date_of_birth, self.today)
            if age is None:
                continue
            (self.adults if age >= 18 else self.children)[person.district.code].append(person)
        self.homes: dict[Any, str] = {}
        for person_id, postcode in Address.objects.filter(
            kind=AddressKind.HOME, to_date__isnull=True
        ).values_list("person_id", "postcode"):
            self.homes.setdefault(person_id, postcode)
        kids: dict[Any, list[Person]] = defaultdict(list)
        for parent_id, child_id in Relationship.objects.filter(kind=RelationshipKind.PARENT).values_list(
            "person_id", "related_person_id"
        ):
            child = self.by_id.get(child_id)
            if child is not None and (rules.age_on(child.date_of_birth, self.today) or 99) < 18:
                kids[parent_id].append(child)
        self.households: dict[str, list[_Household]] = defaultdict(list)
        for a_id, b_id in Relationship.objects.filter(
            kind__in=[RelationshipKind.PARTNER, RelationshipKind.EX_PARTNER]
        ).values_list("person_id", "related_person_id"):
            a, b = self.by_id.get(a_id), self.by_id.get(b_id)
            if a is None or b is None or a.sex == "male" and b.sex == "female" and self.rng.random() < 0.8:
                continue  # keep each pair once, mostly with the woman as the victim
            if (rules.age_on(a.date_of_birth, self.today) or 0) < 18:
                continue
            self.households[a.district.code].append(
                _Household(a, b, kids.get(a.pk, []), self.homes.get(a.pk) or self.postcode(a.district.code))
            )
        self.schools: dict[Any, list[Agency]] = defaultdict(list)
        for identifier in Identifier.objects.filter(
            kind=IdentifierKind.UPN, issuer__kind=AgencyKind.SCHOOL
        ).select_related("issuer"):
            self.schools[identifier.person_id].append(identifier.issuer)
        for person in people:
            if (
                person.owning_agency.kind == AgencyKind.SCHOOL
                and person.owning_agency not in self.schools[person.pk]
            ):
                self.schools[person.pk].append(person.owning_agency)
        everyone = [h for rows in self.households.values() for h in rows]
        self.repeat_pool = self.rng.sample(everyone, min(len(everyone), max(3, len(everyone) // 25)))

    def _instruments(self) -> dict[str, Any]:
        if not apps.is_installed("safehub.instruments"):
            return {}
        from safehub.instruments import selectors as instrument_selectors
        from safehub.instruments.services import instruments_load_shipped

        if instrument_selectors.instrument_current("dash") is None:
            instruments_load_shipped(actor=JOB)
        found = {}
        for instrument_id in ("dash", "child-exploitation"):
            version = instrument_selectors.instrument_current(instrument_id)
            if version is not None:
                found[instrument_id] = version
        return found

    # --- helpers -------------------------------------------------------------------------------

    def pick(self, weights: dict) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def postcode(self, district: str) -> str:
        area, numbers = POSTCODE_AREAS.get(district, ("LS", [1]))
        inward = f"{self.rng.randint(0, 9)}{self.rng.choice(INWARD_LETTERS)}{self.rng.choice(INWARD_LETTERS)}"
        return f"{area}{self.rng.choice(numbers)} {inward}"

    def place(self, district: str) -> tuple[str, str]:
        rows = self.shape.places.get(district)
        if rows:
            return self.rng.choice(rows)
        return "", f"On or near {self.rng.choice(FALLBACK_STREETS)}"

    def received_times(self) -> list[datetime]:
        """`target` call times over the last two years, shaped by month and trend."""
        months, cursor = [], date(self.start.year, self.start.month, 1)
        first_day, last_day = timezone.localtime(self.start).date(), self.today
        while cursor <= last_day:
            following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
            lo, hi = max(cursor, first_day), min(following - timedelta(days=1), last_day)
            if lo <= hi:
                years_in = (lo - first_day).days / 365
                weight = self.shape.months[cursor.month] * ((hi - lo).days + 1) / (following - cursor).days
                if lo >= self.launch:  # the campaign adds its domestic abuse uplift to all calls
                    weight *= self.campaign_factor()
                months.append(((lo, hi), weight * (1 + self.shape.trend) ** years_in))
            cursor = following
        times = []
        latest = self.now - timedelta(minutes=30)
        for _ in range(self.target):
            (lo, hi), _ = self.rng.choices(months, weights=[w for _, w in months])[0]
            day = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
            hour = self.rng.choices(range(24), weights=HOURS)[0]
            moment = timezone.make_aware(datetime.combine(day, time(hour, self.rng.randint(0, 59))))
            times.append(min(moment, latest - timedelta(minutes=self.rng.randint(0, 600))))
        return sorted(times)

    def categories(self, *, campaign: bool = False) -> dict[str, float]:
        """Category weights; during the campaign domestic abuse weighs CAMPAIGN_UPLIFT times as much."""
        weights: dict[str, float] = dict(CATEGORY_WEIGHTS)
        weights[Category.ASB] = CRIME_AND_ASB * self.shape.asb_share
        weights[Category.CRIME] = CRIME_AND_ASB * (1 - self.shape.asb_share)
        if campaign:
            weights[Category.DOMESTIC] *= core_demo.CAMPAIGN_UPLIFT
        return weights

    def campaign_factor(self) -> float:
        """How many more calls a day there are from the campaign's launch: the domestic abuse share
        of calls times the uplift, plus the rest. With `categories(campaign=True)` after the launch,
        domestic abuse comes CAMPAIGN_UPLIFT times as often and every other category as often."""
        before = self.categories()
        return sum(self.categories(campaign=True).values()) / sum(before.values())

    def category_at(self, received: datetime) -> str:
        return self.pick(self.categories(campaign=timezone.localtime(received).date() >= self.launch))

    # --- building ------------------------------------------------------------------------------

    def build(self, progress: Progress) -> None:
        times = self.received_times()
        for index, received in enumerate(times):
            category = self.category_at(received)
            district = self.pick(self.shape.districts)
            self.contact(category, district, received)
            progress("contacts", index + 1, len(times) + 4)
        self.guaranteed()
        progress("contacts", len(times) + 4, len(times) + 4)

    def guaranteed(self) -> None:
        """A repeat victim in Leeds with a child at the demo school, and a repeat location, recent
        enough to show: one Encompass notification overdue and escalated, one still waiting."""
        school = self.school_user.agency if self.school_user else None
        leeds = [h for h in self.households.get("leeds", []) if h.children]
        with_school = [h for h in leeds if any(school in self.schools.get(c.pk, []) for c in h.children)]
        household = (
            with_school or leeds or [h for rows in self.households.values() for h in rows] or [None]
        )[0]
        if household is not None:
            district = household.victim.district.code
            for days, ack in ((200, True), (90, True), (3, False)):
                self.contact(
                    Category.DOMESTIC,
                    district,
                    self.now - timedelta(days=days, hours=2),
                    household=household,
                    ack=ack,
                )
            self.contact(
                Category.DOMESTIC, district, self.now - timedelta(minutes=40), household=household, ack=False
            )
        hotspot = self.hotspots["leeds"][0]
        for days in (50, 20, 6):
            self.contact(Category.ASB, "leeds", self.now - timedelta(days=days, hours=5), postcode=hotspot)

    def contact(
        self,
        category: str,
        district: str,
        received: datetime,
        *,
        household: _Household | None = None,
        ack: bool | None = None,
        postcode: str | None = None,
    ) -> None:
        group, offence = offence_details(self.offence_rng, category, received)
        if ack is not None:  # the guaranteed Encompass contacts happened at the time of the call
            offence = None
        non_recent = rules.is_non_recent(
            timezone.localtime(offence) if offence else None, timezone.localtime(received)
        )
        people: list[tuple[Person, str]] = []
        location_postcode = postcode or ""
        if category == Category.DOMESTIC:
            household = household or self.household(district)
            if household is not None:
                district = household.victim.district.code
                location_postcode = household.postcode
                people.append((household.victim, Role.VICTIM))
                people.append((household.suspect, Role.SUSPECT))
                for child in household.children:
                    people.append((child, Role.CHILD_PRESENT if self.rng.random() < 0.6 else Role.SUBJECT))
        elif category in (Category.CRIME, Category.ASB):
            if postcode is None and self.rng.random() < 0.25:
                location_postcode = self.rng.choice(self.hotspots[district])
            victim = self.adult(district)
            if group in (OffenceGroup.CSE, OffenceGroup.CSA) and not non_recent:
                victim = self.child(district) or victim  # a child now; non-recent: an adult today
            if victim is not None and (category == Category.CRIME or self.rng.random() < 0.6):
                people.append((victim, Role.VICTIM))
            if self.rng.random() < 0.4:
                suspect = self.adult(district)
                if suspect is not None and suspect is not victim:
                    people.append((suspect, Role.SUSPECT))
        elif category == Category.MISSING:
            teenagers = [
                c
                for c in self.children.get(district, [])
                if (rules.age_on(c.date_of_birth, self.today) or 0) >= 12
            ]
            subject = (
                self.rng.choice(teenagers) if teenagers and self.rng.random() < 0.7 else self.adult(district)
            )
            if subject is not None:
                people.append((subject, Role.SUBJECT))
                location_postcode = self.homes.get(subject.pk, "")
        elif category in (Category.CONCERN_FOR_WELFARE, Category.MENTAL_HEALTH):
            subject = self.adult(district)
            if subject is not None:
                people.append((subject, Role.SUBJECT))
                location_postcode = self.homes.get(subject.pk, "") if self.rng.random() < 0.6 else ""
        elif self.rng.random() < 0.5:
            witness = self.adult(district)
            if witness is not None:
                people.append((witness, Role.WITNESS))
        lsoa, location = self.place(district)
        narrative = self.rng.choice(NARRATIVES[category])
        if non_recent:
            narrative = self.offence_rng.choice(NON_RECENT_NARRATIVES[group])
        elif group in GROUP_NARRATIVES:
            narrative = self.offence_rng.choice(GROUP_NARRATIVES[group])
        contact = Contact(
            owning_agency=self.police,
            district=self.districts[district],
            received_at=received,
            offence_at=offence,
            offence_group=group,
            channel=self.pick(CHANNELS[category]),
            category=category,
            location_text=location,
            postcode=location_postcode,
            lsoa_code=lsoa,
            narrative=narrative + " (Synthetic demo record.)",
            serious_harm=category in (Category.DOMESTIC, Category.CRIME) and self.rng.random() < 0.04,
            recorded_by=self.handler,
        )
        self.contacts.append(contact)
        for person, role in people:
            self.link(contact, person, role)
        levels = self.grade(contact) if self.rng.random() < 0.92 or ack is not None else None
        self.ppns_for(contact, people, levels)
        if category == Category.DOMESTIC:
            if not non_recent:  # Encompass is about last night's incident, not one years ago
                self.encompass_for(contact, people, ack)
            self.assess(contact, [p for p, r in people if r == Role.VICTIM], "dash", levels)
        if category == Category.MISSING:
            young = [p for p, _ in people if (rules.age_on(p.date_of_birth, self.today) or 99) < 18]
            if self.rng.random() < 0.4:
                self.assess(contact, young, "child-exploitation", levels)

    def household(self, district: str) -> _Household | None:
        if self.repeat_pool and self.rng.random() < 0.3:
            return self.rng.choice(self.repeat_pool)
        rows = self.households.get(district) or [h for rows in self.households.values() for h in rows]
        return self.rng.choice(rows) if rows else None

    def child(self, district: str) -> Person | None:
        """A child victim for a recent CSE or CSA report (from the offence stream)."""
        rows = [
            c
            for c in self.children.get(district, [])
            if (rules.age_on(c.date_of_birth, self.today) or 0) >= 8
        ]
        return self.offence_rng.choice(rows) if rows else None

    def adult(self, district: str) -> Person | None:
        rows = self.adults.get(district) or [p for rows in self.adults.values() for p in rows]
        if not rows:
            return None
        police = [p for p in rows if p.owning_agency_id == self.police.pk]
        return self.rng.choice(police if police and self.rng.random() < 0.7 else rows)

    def link(self, contact: Contact, person: Person, role: str) -> None:
        key = (contact.pk, person.pk, role)
        if key in self.link_keys:
            return
        self.link_keys.add(key)
        self.links.append(ContactPerson(contact=contact, person=person, role=role, added_by=self.handler))
        label = dict(Role.choices)[role].lower()
        self.event(
            person,
            "contact",
            contact.received_at,
            contact,
            f"{contact.get_category_display()} contact ({label})",
        )

    def event(self, person: Person, kind: str, at: datetime, obj: Any, summary: str) -> None:
        self.chronology.append(
            ChronologyEvent(
                person=person,
                kind=kind,
                at=at,
                summary=summary[:300],
                source_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                source_id=str(obj.pk),
                recorded_by_agency=self.police,
            )
        )

    def levels(self, category: str) -> dict[str, str]:
        thr, vul, inv = LEVEL_WEIGHTS[category]
        weights = {
            "threat": thr,
            "harm": thr,
            "risk": thr,
            "vulnerability": vul,
            "investigation": inv,
            "engagement": inv,
        }
        return {name: self.rng.choices(rules.LEVELS, weights=w)[0] for name, w in weights.items()}

    def grade(self, contact: Contact) -> dict[str, str]:
        levels = self.levels(contact.category)
        rcrp = self.pick(RCRP_WEIGHTS) if rules.rcrp_required(contact.category) else ""
        at = contact.received_at + timedelta(minutes=self.rng.randint(2, 8))
        self.grading(contact, 1, levels, rcrp, at, "")
        if self.rng.random() < 0.07:
            new_levels = dict(
                levels, risk=self.rng.choice(rules.LEVELS), threat=self.rng.choice(rules.LEVELS)
            )
            self.grading(
                contact,
                2,
                new_levels,
                rcrp,
                at + timedelta(minutes=self.rng.randint(10, 40)),
                "Caller rang back: circumstances changed",
            )
            levels = new_levels
        contact.rcrp_outcome = rcrp
        self.arrival(contact)
        return levels

    def grading(
        self, contact: Contact, sequence: int, levels: dict[str, str], rcrp: str, at: datetime, regrade: str
    ) -> None:
        suggested = self.grades[rules.suggest_band(levels, rcrp)]
        chosen, reason = suggested, ""
        if self.rng.random() < 0.05 and rcrp not in rules.RCRP_NO_POLICE:
            index = self.grade_list.index(suggested)
            chosen = self.grade_list[max(0, index - 1)]
            reason = "" if chosen == suggested else "Handler's judgement: caller alone and frightened"
        fields = {}
        for name in rules.ELEMENTS:
            fields[f"{name}_level"] = levels[name]
            fields[f"{name}_rationale"] = RATIONALES[name][levels[name]]
        self.gradings.append(
            ThriveGrading(
                contact=contact,
                sequence=sequence,
                suggested_grade=suggested,
                grade=chosen,
                override_reason=reason,
                regrade_reason=regrade,
                rcrp_outcome=rcrp,
                graded_by=self.handler,
                graded_at=min(at, self.now),
                **fields,
            )
        )
        contact.grade = chosen

    def arrival(self, contact: Contact) -> None:
        grade = contact.grade
        if grade is None or not grade.attendance:
            return
        if grade.target_minutes is not None:
            target = grade.target_minutes
            minutes = (
                self.rng.uniform(3, target)
                if self.rng.random() < 0.9
                else self.rng.uniform(target + 1, target * 3)
            )
        else:
            minutes = self.rng.uniform(60, 72 * 60)
        arrived = contact.received_at + timedelta(minutes=minutes)
        if arrived < self.now - timedelta(minutes=1):
            contact.arrived_at = arrived
            contact.arrival_recorded_by = self.officer

    def ppns_for(
        self, contact: Contact, people: list[tuple[Person, str]], levels: dict[str, str] | None
    ) -> None:
        high = levels is not None and "high" in (levels["threat"], levels["harm"], levels["risk"])
        medium = levels is not None and "medium" in (levels["threat"], levels["harm"], levels["risk"])
        rag = "red" if high else "amber" if medium else "green"
        for person, role in people:
            age = rules.age_on(person.date_of_birth, self.today)
            child = age is not None and age < 18
            if contact.category == Category.DOMESTIC and role == Role.VICTIM and self.rng.random() < 0.75:
                self.ppn(contact, person, "domestic_abuse", rag)
            elif contact.category == Category.DOMESTIC and child and self.rng.random() < 0.6:
                self.ppn(contact, person, "child_at_risk", "amber" if rag == "red" else "green")
            elif contact.category == Category.MISSING and child and self.rng.random() < 0.5:
                self.ppn(contact, person, self.rng.choice(["missing", "exploitation"]), rag)
            elif (
                contact.category in (Category.MENTAL_HEALTH, Category.CONCERN_FOR_WELFARE)
                and self.rng.random() < 0.15
            ):
                self.ppn(
                    contact,
                    person,
                    "mental_health" if contact.category == Category.MENTAL_HEALTH else "adult_at_risk",
                    rag,
                )

    def ppn(self, contact: Contact, person: Person, concern: str, rag: str) -> None:
        if (contact.pk, person.pk) in self.ppn_keys:
            return
        self.ppn_keys.add((contact.pk, person.pk))
        raised = min(
            contact.received_at + timedelta(minutes=self.rng.randint(60, 360)),
            self.now - timedelta(minutes=1),
        )
        age = rules.age_on(person.date_of_birth, raised.date())
        recent = raised >= self.now - timedelta(days=REFERRED_AFTER_DAYS)
        ppn = PublicProtectionNotice(
            owning_agency=self.police,
            district=contact.district,
            contact=contact,
            person=person,
            age_group=AgeGroup.NOT_KNOWN if age is None else AgeGroup.CHILD if age < 18 else AgeGroup.ADULT,
            concern_type=concern,
            rag=rag,
            summary="Synthetic demo PPN: concerns as described in the contact.",
            raised_by=self.officer,
            raised_at=raised,
            status=PpnStatus.AWAITING_MASH if recent else PpnStatus.REFERRED,
        )
        self.ppns.append(ppn)
        self.event(person, "ppn_raised", raised, ppn, f"PPN raised: {rag}")

    def encompass_for(self, contact: Contact, people: list[tuple[Person, str]], ack: bool | None) -> None:
        roles: dict[Any, set[str]] = defaultdict(set)
        for person, role in people:
            roles[person.pk].add(role)
        incident_day = timezone.localtime(contact.incident_at).date()
        for person, _ in people:
            if not rules.encompass_age(person.date_of_birth, incident_day):
                continue
            for school in self.schools.get(person.pk, []):
                if any(
                    row.contact is contact and row.person is person and row.school == school
                    for row in self.encompass[-6:]
                ):
                    continue
                self.notify_school(contact, person, school, rules.child_present(roles[person.pk]), ack)

    def notify_school(
        self, contact: Contact, person: Person, school: Agency, present: bool, ack: bool | None
    ) -> None:
        due_at = due(self.encompass_clock, contact.received_at)
        sent = min(
            contact.received_at + timedelta(minutes=self.rng.randint(30, 180)),
            self.now - timedelta(minutes=1),
        )
        csc = self.csc.get(contact.district.code) or self.police
        note = Notification(
            kind="encompass",
            recipient_agency=school,
            title=ENCOMPASS_TITLE,
            body=encompass_body(contact.reference),
            url="/contacts/encompass/",
            created_at=sent,
            created_by=self.officer,
            due_at=due_at,
            ack_required=True,
            escalate_at=due_at,
            escalate_to_agency=csc,
        )
        row = EncompassNotification(
            contact=contact,
            person=person,
            school=school,
            notification=note,
            due_at=due_at,
            child_name=person.full_name,
            child_date_of_birth=person.date_of_birth,
            incident_at=contact.incident_at,
            child_present=present,
            police_reference=contact.reference,
        )
        note.object_type, note.object_id, note.person_id = "contacts.encompassnotification", row.pk, person.pk
        acknowledger = (
            self.school_user if self.school_user and self.school_user.agency_id == school.pk else None
        )
        if due_at <= self.now:
            chance = self.rng.random()
            if ack is False or (ack is None and chance < 0.07):
                note.escalated_at = min(due_at + timedelta(minutes=5), self.now)
                self.escalations.append(self.escalation(note, csc))
            else:
                late = ack is None and chance < 0.12
                at = (
                    due_at + timedelta(hours=self.rng.uniform(1, 30))
                    if late
                    else due_at - timedelta(hours=self.rng.uniform(0.2, 10))
                )
                note.acknowledged_at = min(max(at, sent + timedelta(minutes=5)), self.now)
                note.acknowledged_by = acknowledger
        self.notifications.append(note)
        self.encompass.append(row)
        self.event(
            person, "encompass_notification", sent, row, f"Operation Encompass: {school.name} notified"
        )

    def escalation(self, note: Notification, csc: Agency) -> Notification:
        return Notification(
            kind="escalation",
            recipient_agency=csc,
            object_type=note.object_type,
            object_id=note.object_id,
            person_id=note.person_id,
            title=f"Not acknowledged: {note.title}"[:200],
            body=f"Sent to {note.recipient_agency} and not acknowledged by the start of the school day."
            f"\n\n{note.body}",
            url=note.url,
            created_at=note.escalated_at,
            ack_required=True,
        )

    def assess(
        self, contact: Contact, people: list[Person], instrument_id: str, levels: dict[str, str] | None
    ) -> None:
        version = self.instruments.get(instrument_id)
        if version is None or not people or self.rng.random() > 0.7:
            return
        from safehub.instruments import rules as instrument_rules
        from safehub.instruments.models import Assessment

        definition = version.parsed
        risk = (levels or {}).get("risk", "medium")
        share = {"low": 0.15, "medium": 0.35, "high": 0.6}[risk]
        for person in people:
            answers = {}
            for question in definition.questions:
                if question.answer_type == "yes_no":
                    answers[question.id] = (
                        "yes"
                        if self.rng.random() < share
                        else self.rng.choice(["no", "no", "no", "not_known"])
                    )
                elif question.answer_type == "level":
                    answers[question.id] = risk
                elif question.answer_type == "choice" and question.options:
                    answers[question.id] = question.options[0].value
                elif question.mandatory:
                    answers[question.id] = "Synthetic demo answer"
            try:
                result = instrument_rules.score(definition, answers)
            except Exception:  # noqa: BLE001 - a definition the generator cannot answer: no assessment
                return
            at = min(
                (contact.arrived_at or contact.received_at) + timedelta(hours=self.rng.uniform(0.5, 3)),
                self.now,
            )
            assessment = Assessment(
                person=person,
                instrument_version=version,
                answers=instrument_rules.check_answers(definition, answers),
                score=result.score,
                computed_level=result.computed_level,
                level=result.level,
                triggers=list(result.triggers),
                reasons=list(result.reasons),
                assessor=self.officer,
                assessor_agency=self.police,
                assessed_at=at,
                context_type="contacts.contact",
                context_id=str(contact.pk),
            )
            self.assessments.append(assessment)
            label = result.label[0].lower() + result.label[1:]
            self.event(person, "assessment", at, assessment, f"{definition.record_title}: {label}")

    # --- saving --------------------------------------------------------------------------------

    def audit_events(self) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        groups = [
            ("contacts.contact", self.contacts, ["category", "channel", "received_at", "narrative"], None),
            ("contacts.contactperson", self.links, ["person", "role"], "person_id"),
            ("contacts.thrivegrading", self.gradings, ["grade"], None),
            ("contacts.publicprotectionnotice", self.ppns, ["concern_type", "rag", "summary"], "person_id"),
            (
                "contacts.encompassnotification",
                self.encompass,
                ["child_name", "police_reference"],
                "person_id",
            ),
            ("core.notification", self.notifications + self.escalations, ["title", "due_at"], "person_id"),
            ("instruments.assessment", self.assessments, ["answers", "score", "level"], "person_id"),
        ]
        return [
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

    def save(self, progress: Progress) -> dict[str, Any]:
        groups: list[tuple[str, Any, list]] = [
            ("contacts", Contact, self.contacts),
            ("people_on_contacts", ContactPerson, self.links),
            ("thrive_gradings", ThriveGrading, self.gradings),
            ("ppns", PublicProtectionNotice, self.ppns),
            ("notifications", Notification, self.notifications + self.escalations),
            ("encompass_notifications", EncompassNotification, self.encompass),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("audit_events", AuditEvent, self.audit_events()),
        ]
        if self.assessments:
            from safehub.instruments.models import Assessment

            groups.insert(5, ("assessments", Assessment, self.assessments))
        total = sum(len(rows) for _, _, rows in groups)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving contacts", done, total)
        counts: dict[str, Any] = {label: len(rows) for label, _, rows in groups}
        counts["repeat_victims"] = len(self.repeat_pool)
        return counts
