"""Synthetic people for the demo world: households across West Yorkshire's five districts.

Reproducible (`Faker` and `random.Random` seeded with 2026) and entirely made up: NHS numbers
only in the 999 range reserved for testing, phone numbers only in Ofcom's drama range
(07700 900xxx), e-mail addresses only @example.com/.org, fictional street names. Rows are written
with `bulk_create` in batches, with one `job:demo` audit event per person (and per share).
Needs the organisations from `safehub.core.demo`; a second call adds nothing.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from safehub.core import demo as core_demo
from safehub.core.models import (
    Agency,
    AuditAction,
    AuditEvent,
    ConsentStatus,
    District,
    LawfulBasis,
    Share,
    User,
)
from safehub.core.models.sharing import SpecialCategoryCondition
from safehub.people import rules
from safehub.people.models import (
    INVERSE_RELATIONSHIP,
    Address,
    AddressKind,
    AliasKind,
    ChronologyEvent,
    Disability,
    DobPrecision,
    Ethnicity,
    Gender,
    Identifier,
    IdentifierKind,
    Marker,
    MarkerKind,
    Person,
    PersonAlias,
    Relationship,
    RelationshipKind,
    Sex,
)
from safehub.people.services import PERSON_EDITABLE_FIELDS

Progress = Callable[[str, int, int], None]

SIZES = {"small": 150, "full": 5000}
SEED = 2026
BATCH = 500
JOB = core_demo.DEMO_JOB

# Share of West Yorkshire's population (2021 census, rounded).
DISTRICT_WEIGHTS = {"leeds": 36, "bradford": 24, "kirklees": 19, "wakefield": 16, "calderdale": 9}
# (outward area, district numbers, post town)
POSTCODE_AREAS = {
    "leeds": [("LS", list(range(1, 29)), "Leeds")],
    "bradford": [("BD", list(range(1, 19)), "Bradford"), ("BD", [20, 21, 22], "Keighley")],
    "calderdale": [("HX", list(range(1, 8)), "Halifax")],
    "kirklees": [
        ("HD", list(range(1, 10)), "Huddersfield"),
        ("WF", [12, 13], "Dewsbury"),
        ("WF", [17], "Batley"),
    ],
    "wakefield": [("WF", [1, 2, 3, 4], "Wakefield"), ("WF", [8], "Pontefract"), ("WF", [10], "Castleford")],
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode's inward code may use
UPN_LA_CODES = {"leeds": "383", "bradford": "380", "calderdale": "381", "kirklees": "382", "wakefield": "384"}
LA_ID_PREFIX = {"leeds": "LDS", "bradford": "BRD", "calderdale": "CAL", "kirklees": "KIR", "wakefield": "WAK"}

STREET_STEMS = [
    "Larkspur",
    "Heronbeck",
    "Millstone",
    "Foxglove",
    "Weaver",
    "Kilnhurst",
    "Beckside",
    "Tannery",
    "Cobblestone",
    "Moorhen",
    "Wrenfield",
    "Alderbrook",
    "Thistledown",
    "Quarrybank",
    "Mistlethorpe",
    "Hollybeck",
    "Spindle",
    "Loomcroft",
    "Fellgate",
    "Brackenrigg",
    "Sorrelby",
    "Wharfebank",
    "Ravensdyke",
    "Lapwing",
    "Cinderhill",
    "Sandpiper",
    "Dyerscroft",
    "Whinmoor Edge",
    "Gorsefield",
    "Clayhurst",
    "Ashenbeck",
    "Windrush Hill",
]
STREET_SUFFIXES = [
    "Street",
    "Road",
    "Lane",
    "Grove",
    "Close",
    "Terrace",
    "Avenue",
    "Crescent",
    "Walk",
    "Mount",
    "Drive",
    "Way",
    "Gardens",
    "View",
]

# Ethnic group weights, roughly West Yorkshire's 2021 census (per cent).
ETHNICITY_WEIGHTS = {
    Ethnicity.WHITE_BRITISH: 75.0,
    Ethnicity.ASIAN_PAKISTANI: 12.0,
    Ethnicity.ASIAN_INDIAN: 1.5,
    Ethnicity.ASIAN_BANGLADESHI: 0.8,
    Ethnicity.ASIAN_CHINESE: 0.4,
    Ethnicity.ASIAN_OTHER: 0.5,
    Ethnicity.BLACK_AFRICAN: 1.2,
    Ethnicity.BLACK_CARIBBEAN: 0.5,
    Ethnicity.BLACK_OTHER: 0.2,
    Ethnicity.MIXED_WHITE_ASIAN: 0.7,
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: 0.7,
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: 0.3,
    Ethnicity.MIXED_OTHER: 0.4,
    Ethnicity.WHITE_IRISH: 0.4,
    Ethnicity.WHITE_GYPSY_TRAVELLER: 0.2,
    Ethnicity.WHITE_ROMA: 0.3,
    Ethnicity.WHITE_OTHER: 2.0,
    Ethnicity.OTHER_ARAB: 0.4,
    Ethnicity.OTHER_ANY: 0.4,
    Ethnicity.NOT_STATED: 3.0,
}
# First languages by ethnic group (weights); anything not listed speaks English.
LANGUAGES = {
    Ethnicity.ASIAN_PAKISTANI: {"English": 70, "Urdu": 15, "Punjabi": 12, "Pashto": 3},
    Ethnicity.ASIAN_BANGLADESHI: {"English": 65, "Bengali": 25, "Sylheti": 10},
    Ethnicity.ASIAN_INDIAN: {"English": 70, "Gujarati": 15, "Punjabi": 15},
    Ethnicity.ASIAN_CHINESE: {"English": 50, "Cantonese": 25, "Mandarin": 25},
    Ethnicity.ASIAN_OTHER: {"English": 60, "Tamil": 20, "Dari": 20},
    Ethnicity.BLACK_AFRICAN: {"English": 60, "Somali": 15, "Tigrinya": 10, "French": 10, "Arabic": 5},
    Ethnicity.WHITE_OTHER: {"Polish": 50, "English": 25, "Romanian": 15, "Lithuanian": 10},
    Ethnicity.WHITE_ROMA: {"Romanian": 50, "Slovak": 30, "Czech": 20},
    Ethnicity.OTHER_ARAB: {"Arabic": 70, "English": 30},
    Ethnicity.OTHER_ANY: {"English": 50, "Kurdish": 30, "Farsi": 20},
}

SOUTH_ASIAN_FEMALE = [
    "Aisha",
    "Amina",
    "Ayesha",
    "Fatima",
    "Hafsa",
    "Hina",
    "Iqra",
    "Khadija",
    "Maryam",
    "Mehwish",
    "Nadia",
    "Nazia",
    "Rabia",
    "Saima",
    "Sadia",
    "Samina",
    "Shazia",
    "Sana",
    "Yasmin",
    "Zainab",
    "Zara",
    "Alisha",
    "Anum",
    "Noor",
    "Hira",
    "Safa",
    "Sumaira",
]
SOUTH_ASIAN_MALE = [
    "Abdul",
    "Adnan",
    "Ahmed",
    "Ali",
    "Amir",
    "Arslan",
    "Asif",
    "Bilal",
    "Faisal",
    "Hamza",
    "Haris",
    "Ibrahim",
    "Imran",
    "Irfan",
    "Kamran",
    "Khalid",
    "Mohammed",
    "Muhammad",
    "Naveed",
    "Omar",
    "Rizwan",
    "Saqib",
    "Shahid",
    "Tariq",
    "Usman",
    "Waqas",
    "Yasir",
    "Zain",
    "Zubair",
    "Ayaan",
]
SOUTH_ASIAN_FAMILY = [
    "Ahmed",
    "Akhtar",
    "Ali",
    "Ashraf",
    "Aslam",
    "Bashir",
    "Butt",
    "Hussain",
    "Iqbal",
    "Javed",
    "Khan",
    "Mahmood",
    "Malik",
    "Mirza",
    "Qureshi",
    "Rashid",
    "Rehman",
    "Riaz",
    "Shah",
    "Siddiqui",
    "Sultan",
    "Yousaf",
    "Zaman",
    "Chaudhry",
    "Anwar",
    "Hanif",
    "Latif",
    "Nawaz",
    "Raja",
    "Uddin",
    "Miah",
    "Rahman",
]
ARABIC_FEMALE = ["Amal", "Huda", "Layla", "Lina", "Mariam", "Nour", "Rania", "Salma", "Yasmin", "Dalia"]
ARABIC_MALE = ["Ahmad", "Hassan", "Karim", "Khaled", "Mahmoud", "Omar", "Sami", "Tariq", "Yusuf", "Ziad"]
ARABIC_FAMILY = [
    "Al-Amin",
    "Haddad",
    "Hassan",
    "Ibrahim",
    "Khalil",
    "Mansour",
    "Nasser",
    "Saleh",
    "Yousef",
    "Aziz",
]
CHINESE_FAMILY = ["Chan", "Chen", "Cheung", "Lam", "Lee", "Li", "Liu", "Wang", "Wong", "Zhang", "Zhou", "Ng"]
# Faker locale for each group's names (the rest use en_GB, or the curated lists above).
NAME_LOCALES = {
    Ethnicity.ASIAN_INDIAN: "en_IN",
    Ethnicity.BLACK_AFRICAN: "en_NG",
    Ethnicity.WHITE_IRISH: "en_IE",
    Ethnicity.WHITE_ROMA: "ro_RO",
}

DISABILITY_NOTES = [
    "Uses a wheelchair",
    "Deaf: uses British Sign Language",
    "Learning disability",
    "Partially sighted",
    "Autism spectrum condition",
    "Long-term mental health condition",
]
CHILD_MARKERS = [MarkerKind.MISSING_RISK, MarkerKind.EXPLOITATION_RISK, MarkerKind.SELF_HARM]
ADULT_MARKERS = [
    MarkerKind.VIOLENCE,
    MarkerKind.WEAPONS,
    MarkerKind.DRUGS,
    MarkerKind.MENTAL_HEALTH,
    MarkerKind.DOMESTIC_ABUSE,
    MarkerKind.SELF_HARM,
    MarkerKind.RISK_TO_CHILDREN,
]

HOUSEHOLD_KINDS = {"couple_children": 30, "single_parent": 20, "couple": 14, "single": 22, "older": 10}
PERSON_FIELDS = list(PERSON_EDITABLE_FIELDS)


def already_loaded() -> int:
    """How many demo people the audit trail says were created (0 when the demo has not run)."""
    return core_demo.created_by_demo("people.person")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create about SIZES[size] people in households, with their files; counts of what was added."""
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    if not core_demo.already_loaded():
        raise RuntimeError("Load the organisations first (safehub.core.demo)")
    builder = _Builder()
    target = SIZES[size]
    while len(builder.people) < target:
        builder.household()
        progress("people", min(len(builder.people), target), target)
    builder.shares()
    return builder.save(progress)


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text).lower())


class _Builder:
    """Builds unsaved rows in memory; `save` writes them with bulk_create."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.fakers: dict[str, Faker] = {}
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.agencies = {agency.code: agency for agency in Agency.objects.all()}
        self.districts = {district.code: district for district in District.objects.all()}
        self.socialcare = User.objects.get(username="socialcare")
        self.officer = User.objects.get(username="officer")
        self.people: list[Person] = []
        self.created_at: dict[Any, datetime] = {}
        self.aliases: list[PersonAlias] = []
        self.identifiers: list[Identifier] = []
        self.addresses: list[Address] = []
        self.relationships: list[Relationship] = []
        self.related: set[tuple[Any, Any, str]] = set()
        self.markers: list[Marker] = []
        self.chronology: list[ChronologyEvent] = []
        self.share_rows: list[Share] = []
        self.used_ids: set[str] = set()
        self.households = 0

    # --- helpers ----------------------------------------------------------------------------

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            fake = Faker(locale)
            fake.seed_instance(SEED + len(self.fakers))
            self.fakers[locale] = fake
        return self.fakers[locale]

    def pick(self, weights: dict) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def dob(self, lo: int, hi: int) -> date:
        """A date of birth for someone aged lo..hi (inclusive) today."""
        earliest = _years_ago(self.today, hi + 1) + timedelta(days=1)
        latest = _years_ago(self.today, lo)
        return earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def past_datetime(self, not_before: date, days_back: int = 730) -> datetime:
        start = max(not_before, self.today - timedelta(days=days_back))
        day = start + timedelta(days=self.rng.randint(0, max(0, (self.today - start).days)))
        moment = datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)))
        aware = timezone.make_aware(moment)
        return min(aware, self.now)

    # --- names ------------------------------------------------------------------------------

    def family_name(self, ethnicity: str, language: str) -> str:
        if ethnicity in (Ethnicity.ASIAN_PAKISTANI, Ethnicity.ASIAN_BANGLADESHI):
            return self.rng.choice(SOUTH_ASIAN_FAMILY)
        if ethnicity == Ethnicity.OTHER_ARAB:
            return self.rng.choice(ARABIC_FAMILY)
        if ethnicity == Ethnicity.ASIAN_CHINESE:
            return self.rng.choice(CHINESE_FAMILY)
        if language == "Polish":
            return self.faker("pl_PL").last_name_male()
        if language == "Romanian" or ethnicity in NAME_LOCALES:
            return self.faker(NAME_LOCALES.get(ethnicity, "ro_RO")).last_name()
        return self.faker("en_GB").last_name()

    def given_name(self, ethnicity: str, language: str, sex: str) -> str:
        female = sex == Sex.FEMALE
        if ethnicity in (Ethnicity.ASIAN_PAKISTANI, Ethnicity.ASIAN_BANGLADESHI):
            return self.rng.choice(SOUTH_ASIAN_FEMALE if female else SOUTH_ASIAN_MALE)
        if ethnicity == Ethnicity.OTHER_ARAB:
            return self.rng.choice(ARABIC_FEMALE if female else ARABIC_MALE)
        locale = "pl_PL" if language == "Polish" else NAME_LOCALES.get(ethnicity, "en_GB")
        fake = self.faker(locale)
        return fake.first_name_female() if female else fake.first_name_male()

    @staticmethod
    def gendered_family_name(family: str, sex: str, language: str) -> str:
        if language == "Polish" and sex == Sex.FEMALE:
            for ending in ("ski", "cki", "dzki"):
                if family.endswith(ending):
                    return family[:-1] + "a"
        return family

    # --- households -------------------------------------------------------------------------

    def household(self) -> None:
        self.households += 1
        district = self.pick(DISTRICT_WEIGHTS)
        ethnicity = self.pick(ETHNICITY_WEIGHTS)
        language = self.pick(LANGUAGES.get(ethnicity, {"English": 1}))
        family = self.family_name(ethnicity, language)
        home = self.address_parts(district)
        moved_in = self.today - timedelta(days=self.rng.randint(30, 15 * 365))
        previous = self.address_parts(district) if self.rng.random() < 0.25 else None
        kind = self.pick(HOUSEHOLD_KINDS)
        ctx = {
            "district": district,
            "ethnicity": ethnicity,
            "language": language,
            "home": home,
            "moved_in": moved_in,
            "previous": previous,
        }

        if kind in ("single", "older"):
            older = kind == "older"
            first = self.adult(ctx, family, self.rng.choice([Sex.FEMALE, Sex.MALE]), older=older)
            if older and self.rng.random() < 0.5:
                self.partner_of(ctx, first, family, older=True)
            return
        if kind == "couple":
            first = self.adult(ctx, family, self.rng.choice([Sex.FEMALE, Sex.MALE]))
            self.partner_of(ctx, first, family)
            return

        children_count = self.rng.choices([1, 2, 3, 4], weights=[40, 35, 18, 7])[0]
        ages = sorted((self.rng.randint(0, 17) for _ in range(children_count)), reverse=True)
        parent_min = min(ages[0] + 18 + self.rng.randint(0, 12), 60)
        if kind == "couple_children":
            mother = self.adult(ctx, family, Sex.FEMALE, lo=parent_min, hi=max(parent_min, ages[0] + 45))
            parents = [
                mother,
                self.partner_of(
                    ctx, mother, family, sex=Sex.MALE, lo=parent_min, hi=max(parent_min, ages[0] + 50)
                ),
            ]
            child_family = family
        else:
            sex = Sex.FEMALE if self.rng.random() < 0.85 else Sex.MALE
            parent = self.adult(ctx, family, sex, lo=parent_min, hi=max(parent_min, ages[0] + 45))
            parents = [parent]
            child_family = family if self.rng.random() < 0.7 else self.family_name(ethnicity, language)
        children = [self.child(ctx, child_family, age) for age in ages]
        if kind == "single_parent" and self.rng.random() < 0.5:
            # The other parent lives elsewhere in the district: an ex-partner, still a parent.
            other_ctx = dict(ctx, home=self.address_parts(district), previous=ctx["home"])
            other_sex = Sex.MALE if parents[0].sex == Sex.FEMALE else Sex.FEMALE
            other = self.adult(
                other_ctx, child_family, other_sex, lo=parent_min, hi=max(parent_min, ages[0] + 50)
            )
            self.relate(parents[0], other, RelationshipKind.EX_PARTNER)
            parents.append(other)
        for parent in parents:
            for child in children:
                self.relate(parent, child, RelationshipKind.PARENT)
        for index, child in enumerate(children):
            for sibling in children[index + 1 :]:
                self.relate(child, sibling, RelationshipKind.SIBLING)

    def partner_of(
        self,
        ctx: dict,
        first: Person,
        family: str,
        *,
        sex: str | None = None,
        lo: int | None = None,
        hi: int | None = None,
        older: bool = False,
    ) -> Person:
        if sex is None:
            opposite = Sex.MALE if first.sex == Sex.FEMALE else Sex.FEMALE
            sex = first.sex if self.rng.random() < 0.03 else opposite
        shares_name = self.rng.random() < 0.7
        own_family = family if shares_name else self.family_name(ctx["ethnicity"], ctx["language"])
        partner = self.adult(ctx, own_family, sex, lo=lo, hi=hi, older=older)
        if shares_name and sex == Sex.FEMALE and self.rng.random() < 0.6:
            maiden = self.family_name(ctx["ethnicity"], ctx["language"])
            self.alias(
                partner, AliasKind.PREVIOUS, "", self.gendered_family_name(maiden, sex, ctx["language"])
            )
        self.relate(first, partner, RelationshipKind.PARTNER)
        return partner

    def adult(
        self,
        ctx: dict,
        family: str,
        sex: str,
        *,
        lo: int | None = None,
        hi: int | None = None,
        older: bool = False,
    ) -> Person:
        lo = lo if lo is not None else (65 if older else 18)
        hi = hi if hi is not None else (90 if older else 64)
        return self.person(ctx, family, sex, self.dob(max(lo, 18), min(max(hi, lo), 90)))

    def child(self, ctx: dict, family: str, age: int) -> Person:
        sex = self.rng.choice([Sex.FEMALE, Sex.MALE])
        return self.person(ctx, family, sex, self.dob(age, age))

    def person(self, ctx: dict, family: str, sex: str, dob: date) -> Person:
        district, ethnicity = ctx["district"], ctx["ethnicity"]
        age = rules.age_on(dob, self.today) or 0
        child = age < 18
        # Children born here mostly speak English first, whatever their parents' language.
        language = "English" if child and self.rng.random() < 0.8 else ctx["language"]
        sex_recorded = Sex.NOT_KNOWN if self.rng.random() < 0.003 else sex
        precision = self.pick(
            {DobPrecision.EXACT: 85, DobPrecision.MONTH: 6, DobPrecision.YEAR: 5, DobPrecision.ESTIMATED: 4}
        )
        rounded = {DobPrecision.MONTH: dob.replace(day=1), DobPrecision.YEAR: date(dob.year, 1, 1)}.get(
            precision, dob
        )
        if rules.age_on(rounded, self.today) == age:  # rounding must not turn a 17-year-old into an adult
            dob = rounded
        else:
            precision = DobPrecision.EXACT
        given = self.given_name(ethnicity, language if not child else ctx["language"], sex)
        middle = ""
        if self.rng.random() < 0.3:
            middle = self.given_name(ethnicity, ctx["language"], sex)
        family = self.gendered_family_name(family, sex, ctx["language"])
        disabled = self.rng.random() < (0.25 if age >= 65 else 0.07)
        phone = email = ""
        if age >= 13 and self.rng.random() < (0.75 if not child else 0.4):
            phone = f"07700 900{self.rng.randint(0, 999):03d}"
        if not child and self.rng.random() < 0.5:
            local = f"{_ascii(given)}.{_ascii(family)}{self.rng.randint(1, 99)}"
            email = f"{local}@{self.rng.choice(['example.com', 'example.org'])}"
        owner = self.owner(district, age)
        person = Person(
            owning_agency=owner,
            district=self.districts[district],
            given_name=given,
            family_name=family,
            middle_names=middle,
            date_of_birth=dob,
            dob_precision=precision,
            sex=sex_recorded,
            gender=self.pick(
                {Gender.SAME_AS_SEX: 90, Gender.NOT_KNOWN: 7, Gender.PREFER_NOT: 2, Gender.DIFFERENT: 1}
            ),
            ethnicity=ethnicity,
            first_language=language,
            interpreter_needed=language != "English" and not child and self.rng.random() < 0.4,
            disability=Disability.YES
            if disabled
            else self.pick({Disability.NO: 70, Disability.NOT_KNOWN: 30}),
            disability_notes=self.rng.choice(DISABILITY_NOTES) if disabled else "",
            phone=phone,
            email=email,
        )
        self.people.append(person)
        created = self.past_datetime(dob)
        self.created_at[person.pk] = created
        self.event(person, "record_created", created, person, f"Record created by {owner.name}", owner)
        self.identify(person, district, age, owner)
        self.house(person, ctx, dob, created)
        if self.rng.random() < 0.04:
            self.alias(person, AliasKind.KNOWN_AS, self.given_name(ethnicity, ctx["language"], sex), "")
        if not child and owner.kind == "police" and self.rng.random() < 0.05:
            self.alias(
                person,
                AliasKind.ALIAS,
                self.given_name(ethnicity, ctx["language"], sex),
                self.family_name(ethnicity, ctx["language"]),
            )
        if self.rng.random() < 0.05:
            self.marker(person, self.rng.choice(CHILD_MARKERS if child else ADULT_MARKERS), created)
        return person

    def owner(self, district: str, age: int) -> Agency:
        if age < 18:
            weights = {core_demo.csc_code(district): 45, core_demo.POLICE: 15, core_demo.ICB: 15}
            if age >= 4:
                weights[self.rng.choice(core_demo.school_codes(district))] = 25
        elif age < 65:
            weights = {
                core_demo.POLICE: 45,
                core_demo.asc_code(district): 15,
                core_demo.csc_code(district): 15,
                core_demo.ICB: 25,
            }
        else:
            weights = {core_demo.asc_code(district): 45, core_demo.ICB: 35, core_demo.POLICE: 20}
        return self.agencies[self.pick(weights)]

    # --- a person's file ----------------------------------------------------------------------

    def identify(self, person: Person, district: str, age: int, owner: Agency) -> None:
        if self.rng.random() < 0.9:
            self.identifier(
                person, IdentifierKind.NHS_NUMBER, self.unique(self.nhs_number), self.agencies[core_demo.ICB]
            )
        if owner.kind == "police":
            value = self.unique(lambda: f"WY/{self.rng.randint(0, 9_999_999):07d}")
            self.identifier(person, IdentifierKind.POLICE_NOMINAL, value, owner)
        elif owner.kind in ("childrens_social_care", "adult_social_care"):
            value = self.unique(lambda: f"{LA_ID_PREFIX[district]}{self.rng.randint(0, 999_999):06d}")
            self.identifier(person, IdentifierKind.LA_ID, value, owner)
        if 4 <= age <= 17 and self.rng.random() < 0.9:
            codes = core_demo.school_codes(district)
            school_code = owner.code if owner.code in codes else self.rng.choice(codes)
            number = codes.index(school_code)
            started = person.date_of_birth.year + 4 if person.date_of_birth else self.today.year - age + 4
            upn = self.unique(lambda: self.upn(district, number, started))
            self.identifier(person, IdentifierKind.UPN, upn, self.agencies[school_code])

    def nhs_number(self) -> str:
        while True:
            first_nine = f"999{self.rng.randint(0, 999_999):06d}"
            check = rules.nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def upn(self, district: str, school_number: int, started: int) -> str:
        establishment = (2000 if school_number != 1 else 4000) + school_number * 100 + self.rng.randint(0, 99)
        body = f"{UPN_LA_CODES[district]}{establishment:04d}{started % 100:02d}{self.rng.randint(0, 999):03d}"
        return rules.upn_check_letter(body) + body

    def identifier(self, person: Person, kind: str, value: str, issuer: Agency) -> None:
        self.identifiers.append(Identifier(person=person, kind=kind, value=value, issuer=issuer))

    def alias(self, person: Person, kind: str, given: str, family: str) -> None:
        self.aliases.append(PersonAlias(person=person, kind=kind, given_name=given, family_name=family))

    def address_parts(self, district: str) -> dict[str, str]:
        area, numbers, town = self.rng.choice(POSTCODE_AREAS[district])
        inward = f"{self.rng.randint(0, 9)}{self.rng.choice(INWARD_LETTERS)}{self.rng.choice(INWARD_LETTERS)}"
        street = f"{self.rng.choice(STREET_STEMS)} {self.rng.choice(STREET_SUFFIXES)}"
        return {
            "line1": f"{self.rng.randint(1, 180)} {street}",
            "town": town,
            "postcode": f"{area}{self.rng.choice(numbers)} {inward}",
            "district": district,
        }

    def house(self, person: Person, ctx: dict, dob: date, created: datetime) -> None:
        moved_in = max(ctx["moved_in"], dob)
        self.address(person, AddressKind.HOME, ctx["home"], moved_in, None)
        self.event(
            person, "address_added", created, self.addresses[-1], "Home address added", person.owning_agency
        )
        previous = ctx["previous"]
        if previous and moved_in > dob + timedelta(days=1):
            start = max(dob, moved_in - timedelta(days=self.rng.randint(365, 8 * 365)))
            self.address(person, AddressKind.PREVIOUS, previous, start, moved_in - timedelta(days=1))
            self.event(
                person,
                "address_added",
                created,
                self.addresses[-1],
                "Previous address added",
                person.owning_agency,
            )

    def address(
        self, person: Person, kind: str, parts: dict[str, str], start: date, end: date | None
    ) -> None:
        self.addresses.append(
            Address(
                person=person,
                kind=kind,
                line1=parts["line1"],
                town=parts["town"],
                postcode=parts["postcode"],
                district=self.districts[parts["district"]],
                from_date=start,
                to_date=end,
            )
        )

    def marker(self, person: Person, kind: str, created: datetime) -> None:
        at = self.past_datetime(created.date())
        marker = Marker(
            person=person,
            kind=kind,
            note="Synthetic demo marker",
            from_date=at.date(),
            review_date=at.date() + timedelta(days=180),
        )
        self.markers.append(marker)
        self.event(
            person,
            "marker_added",
            at,
            marker,
            f"Warning marker: {marker.get_kind_display()}",
            person.owning_agency,
        )

    def relate(self, first: Person, second: Person, kind: str) -> None:
        """`first` is <kind> of `second`; the inverse row is stored too."""
        for a, b, k in ((first, second, kind), (second, first, INVERSE_RELATIONSHIP[kind])):
            if (a.pk, b.pk, k) not in self.related:
                self.related.add((a.pk, b.pk, k))
                self.relationships.append(Relationship(person=a, related_person=b, kind=k))

    def event(self, person: Person, kind: str, at: datetime, obj: Any, summary: str, agency: Agency) -> None:
        self.chronology.append(
            ChronologyEvent(
                person=person,
                kind=kind,
                at=at,
                summary=summary,
                source_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                source_id=str(obj.pk),
                recorded_by_agency=agency,
            )
        )

    # --- shares ---------------------------------------------------------------------------------

    def shares(self) -> None:
        """Open a few Leeds records to the school, health and IDVA logins ("Shared with me")."""
        leeds_csc = self.agencies[core_demo.csc_code("leeds")]
        police = self.agencies[core_demo.POLICE]
        school = self.agencies[core_demo.school_codes("leeds")[0]]
        icb = self.agencies[core_demo.ICB]
        idva = self.agencies[core_demo.IDVA]
        in_leeds = [p for p in self.people if p.district.code == "leeds"]
        csc_children = [p for p in in_leeds if p.owning_agency == leeds_csc and 4 <= (p.age or 0) <= 17]
        csc_people = [p for p in in_leeds if p.owning_agency == leeds_csc and p not in csc_children[:5]]
        police_adults = [p for p in in_leeds if p.owning_agency == police and (p.age or 0) >= 18]
        for person in csc_children[:5]:
            self.share(
                person,
                leeds_csc,
                school,
                self.socialcare,
                "Child in need plan: school to monitor attendance and wellbeing",
                ConsentStatus.GIVEN,
                "",
            )
        for person in csc_people[:5]:
            self.share(
                person,
                leeds_csc,
                icb,
                self.socialcare,
                "Health assessment requested for a child in need or adult at risk",
                ConsentStatus.NOT_SOUGHT,
                "Seeking consent would put the child at risk of harm",
            )
        for person in police_adults[:4]:
            if not any(m.person is person and m.kind == MarkerKind.DOMESTIC_ABUSE for m in self.markers):
                self.marker(person, MarkerKind.DOMESTIC_ABUSE, self.created_at[person.pk])
            self.share(
                person,
                police,
                idva,
                self.officer,
                "High-risk domestic abuse: referral to the IDVA service",
                ConsentStatus.GIVEN,
                "",
            )

    def share(
        self,
        person: Person,
        giver: Agency,
        receiver: Agency,
        granted_by: User,
        purpose: str,
        consent: str,
        consent_note: str,
    ) -> None:
        self.share_rows.append(
            Share(
                object_type="people.person",
                object_id=person.pk,
                to_agency=receiver,
                from_agency=giver,
                purpose=purpose,
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                condition=SpecialCategoryCondition.SAFEGUARDING,
                consent_status=consent,
                consent_note=consent_note,
                granted_by=granted_by,
                starts_at=self.now,
                expires_at=self.now + timedelta(days=90),
            )
        )

    # --- save -----------------------------------------------------------------------------------

    def audit_events(self) -> list[AuditEvent]:
        base = {"at": self.now, "actor": None, "actor_label": JOB, "actor_agency_name": "", "via": "job"}
        events = [
            AuditEvent(
                action=AuditAction.CREATE,
                object_type="people.person",
                object_id=str(p.pk),
                person_id=p.pk,
                fields=sorted(PERSON_FIELDS),
                **base,
            )
            for p in self.people
        ]
        events += [
            AuditEvent(
                action=AuditAction.SHARE,
                object_type="people.person",
                object_id=str(s.object_id),
                person_id=s.object_id,
                fields=["consent_status", "lawful_basis", "purpose", "to_agency"],
                reason=f"Shared with {s.to_agency.name}: {s.purpose}",
                **base,
            )
            for s in self.share_rows
        ]
        return events

    def save(self, progress: Progress) -> dict[str, Any]:
        groups = [
            ("people", Person, self.people),
            ("aliases", PersonAlias, self.aliases),
            ("identifiers", Identifier, self.identifiers),
            ("addresses", Address, self.addresses),
            ("relationships", Relationship, self.relationships),
            ("markers", Marker, self.markers),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("shares", Share, self.share_rows),
            ("audit_events", AuditEvent, self.audit_events()),
        ]
        total = sum(len(rows) for _, _, rows in groups)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving rows", done, total)
        counts: dict[str, Any] = {"households": self.households}
        counts.update({label: len(rows) for label, _, rows in groups})
        return counts
