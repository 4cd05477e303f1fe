"""The demo world's organisations and logins: West Yorkshire, its districts, agencies, teams, users.

Everything here is synthetic. Schools, the IDVA service and the youth charity are made up; phone
numbers are from Ofcom's ranges reserved for drama (0113 496 0xxx, 01632 960xxx). Called by the
`demo` command as `load(size=..., progress=...)` inside a transaction; a second call adds nothing.
Users are created without a usable password: the command sets the demo password afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from faker import Faker

from safehub.core.models import (
    Agency,
    AgencyKind,
    AuditAction,
    AuditEvent,
    District,
    Force,
    RoleGrant,
    Team,
    User,
)
from safehub.core.roles import Role

Progress = Callable[[str, int, int], None]

FORCE_CODE = "west-yorkshire"
FORCE_NAME = "West Yorkshire"

# (code, name, ONS local authority code)
DISTRICTS = [
    ("bradford", "Bradford", "E08000032"),
    ("calderdale", "Calderdale", "E08000033"),
    ("kirklees", "Kirklees", "E08000034"),
    ("leeds", "Leeds", "E08000035"),
    ("wakefield", "Wakefield", "E08000036"),
]
ALL = [code for code, _, _ in DISTRICTS]
NAMES = {code: name for code, name, _ in DISTRICTS}

# Made-up schools: (name, code suffix). Three per district.
SCHOOLS = {
    "bradford": [
        ("Thornbeck Primary School", "thornbeck"),
        ("Worth Dale Academy", "worth-dale"),
        ("Millstone Edge Primary School", "millstone-edge"),
    ],
    "calderdale": [
        ("Calder Bank Academy", "calder-bank"),
        ("Hebble Brook Primary School", "hebble-brook"),
        ("Ravenscar Moor Primary School", "ravenscar-moor"),
    ],
    "kirklees": [
        ("Colne Water Primary School", "colne-water"),
        ("Holme Ridge Academy", "holme-ridge"),
        ("Spen Meadow Primary School", "spen-meadow"),
    ],
    "leeds": [
        ("Aire Valley Primary School", "aire-valley"),
        ("Kestrel Rise Academy", "kestrel-rise"),
        ("Larkspur Lane Primary School", "larkspur-lane"),
    ],
    "wakefield": [
        ("Calder Lock Primary School", "calder-lock"),
        ("Heronsgate Academy", "heronsgate"),
        ("Pinderfold Primary School", "pinderfold"),
    ],
}

POLICE = "west-yorkshire-police"
ICB = "west-yorkshire-icb"
IDVA = "west-yorkshire-idva"
MAYOR = "west-yorkshire-mayor"


def csc_code(district: str) -> str:
    return f"{district}-childrens-social-care"


def asc_code(district: str) -> str:
    return f"{district}-adult-social-care"


def school_codes(district: str) -> list[str]:
    return [f"{district}-{suffix}" for _, suffix in SCHOOLS[district]]


def _agencies() -> list[tuple[str, str, str, list[str], str]]:
    """(code, name, kind, districts served, safeguarding contact) for every demo agency."""
    rows = [
        (POLICE, "West Yorkshire Police", AgencyKind.POLICE, ALL, "Safeguarding hub, 0113 496 0000"),
        (
            ICB,
            "West Yorkshire Integrated Care Board",
            AgencyKind.HEALTH,
            ALL,
            "Designated safeguarding nurses, 0113 496 0100",
        ),
        (IDVA, "West Yorkshire IDVA Service", AgencyKind.IDVA_SERVICE, ALL, "Referral line, 0113 496 0200"),
        (
            "safe-harbour-youth",
            "Safe Harbour Youth Charity",
            AgencyKind.VOLUNTARY_SECTOR,
            ["bradford", "leeds", "wakefield"],
            "Safeguarding lead, 01632 960300",
        ),
        (
            "yorkshire-humber-probation",
            "Yorkshire and the Humber Probation",
            AgencyKind.PROBATION,
            ALL,
            "Public protection desk, 0113 496 0400",
        ),
        (
            MAYOR,
            "Office of the Mayor of West Yorkshire",
            AgencyKind.COMMISSIONER_OFFICE,
            ALL,
            "Policing and crime team, 0113 496 0500",
        ),
    ]
    for index, district in enumerate(ALL):
        name = NAMES[district]
        rows.append(
            (
                csc_code(district),
                f"{name} Children's Social Care",
                AgencyKind.CHILDRENS_SOCIAL_CARE,
                [district],
                f"Duty team, 01632 960{100 + index * 10:03d}",
            )
        )
        rows.append(
            (
                asc_code(district),
                f"{name} Adult Social Care",
                AgencyKind.ADULT_SOCIAL_CARE,
                [district],
                f"Adult safeguarding duty, 01632 960{101 + index * 10:03d}",
            )
        )
        for number, ((school, _), code) in enumerate(
            zip(SCHOOLS[district], school_codes(district), strict=True)
        ):
            rows.append(
                (
                    code,
                    school,
                    AgencyKind.SCHOOL,
                    [district],
                    f"Designated safeguarding lead, 01632 960{500 + index * 10 + number:03d}",
                )
            )
    for index, district in enumerate(["leeds", "bradford"]):
        rows.append(
            (
                f"{district}-housing",
                f"{NAMES[district]} Housing",
                AgencyKind.HOUSING,
                [district],
                f"Housing options duty, 0113 496 06{index}0",
            )
        )
    return rows


# (agency code, district code or None, team name)
TEAMS = [
    (csc_code("leeds"), "leeds", "Leeds MASH"),
    (csc_code("bradford"), "bradford", "Bradford MASH"),
    (POLICE, "leeds", "Leeds Safeguarding Unit"),
    (POLICE, None, "Missing from Home Team"),
    (IDVA, "leeds", "Leeds IDVA Team"),
]

# (username, agency code, district code or None, role, team name or None, job title)
USERS = [
    ("callhandler", POLICE, "leeds", Role.CALL_HANDLER, None, "Call handler"),
    ("officer", POLICE, "leeds", Role.OFFICER, "Leeds Safeguarding Unit", "Detective constable"),
    ("mash", csc_code("leeds"), "leeds", Role.MASH_PRACTITIONER, "Leeds MASH", "MASH social worker"),
    ("mashmanager", csc_code("leeds"), "leeds", Role.MASH_MANAGER, "Leeds MASH", "MASH team manager"),
    ("idva", IDVA, "leeds", Role.IDVA, "Leeds IDVA Team", "Independent domestic violence adviser"),
    (
        "missing",
        POLICE,
        "leeds",
        Role.MISSING_COORDINATOR,
        "Missing from Home Team",
        "Missing person coordinator",
    ),
    ("socialcare", csc_code("leeds"), "leeds", Role.PARTNER_PRACTITIONER, None, "Social worker"),
    (
        "school",
        school_codes("leeds")[0],
        "leeds",
        Role.PARTNER_PRACTITIONER,
        None,
        "Designated safeguarding lead",
    ),
    ("health", ICB, "leeds", Role.PARTNER_PRACTITIONER, None, "Named nurse for safeguarding"),
    (
        "partnership",
        csc_code("leeds"),
        "leeds",
        Role.PARTNERSHIP_MANAGER,
        None,
        "Safeguarding partnership business manager",
    ),
    ("analyst", POLICE, "leeds", Role.ANALYST, None, "Performance analyst"),
    ("commissioner", MAYOR, None, Role.COMMISSIONER, None, "Deputy Mayor for Policing and Crime"),
    ("auditor", POLICE, None, Role.AUDITOR, None, "Information governance auditor"),
    ("records", POLICE, None, Role.RECORDS_MANAGER, None, "Records manager (MoPI reviews)"),
    ("admin", POLICE, None, Role.ADMIN, None, "Systems administrator"),
    ("outsider", csc_code("bradford"), "bradford", Role.PARTNER_PRACTITIONER, None, "Social worker"),
]
DEMO_USERNAMES = [row[0] for row in USERS]

ADMIN_GROUP = "Reference data admins"
ADMIN_MODELS = [
    "force",
    "district",
    "agency",
    "team",
    "user",
    "rolegrant",
    "clockoverride",
    "nonworkingday",
    "rulesetversion",
]


def already_loaded() -> bool:
    return Force.objects.filter(code=FORCE_CODE).exists()


DEMO_JOB = "job:demo"


def created_by_demo(object_type: str) -> int:
    """How many `object_type` records the demo job created: each app's loader checks this first,
    so that a second `safehub demo` adds nothing (the audit trail is the sentinel)."""
    created = AuditEvent.objects.filter(actor_label=DEMO_JOB, action=AuditAction.CREATE)
    return created.filter(object_type=object_type).count()


CAMPAIGN_MONTHS_AGO = 10
CAMPAIGN_UPLIFT = 1.5


def campaign_launch(today: date | None = None) -> date:
    """When the demo's domestic abuse awareness campaign launched: the 1st of the month
    CAMPAIGN_MONTHS_AGO months back. The contacts demo reports domestic abuse CAMPAIGN_UPLIFT times
    as often from then on (a step the campaign impact evaluation should find), and the activities
    demo records the campaign with this start; both read it here so they agree."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - CAMPAIGN_MONTHS_AGO
    return date(months // 12, months % 12 + 1, 1)


def check_size(size: str, sizes: dict[str, int]) -> int:
    """The number of records for a demo size, or a clear error naming the sizes there are."""
    if size not in sizes:
        raise ValueError(f"size must be one of {', '.join(sizes)}, not {size!r}")
    return sizes[size]


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Create the force, districts, agencies, teams and demo users; {} counts of what was added."""
    if already_loaded():
        return {"already_loaded": True}
    force = Force.objects.create(code=FORCE_CODE, name=FORCE_NAME)
    districts = {
        code: District.objects.create(force=force, code=code, name=name, ons_code=ons)
        for code, name, ons in DISTRICTS
    }
    rows = _agencies()
    agencies: dict[str, Agency] = {}
    for code, name, kind, served, contact in rows:
        agency = Agency.objects.create(
            force=force, code=code, name=name, kind=kind, safeguarding_contact=contact
        )
        agency.districts.set([districts[d] for d in served])
        agencies[code] = agency
    progress("agencies", len(rows), len(rows))
    teams = {
        name: Team.objects.create(agency=agencies[agency], district=districts[d] if d else None, name=name)
        for agency, d, name in TEAMS
    }
    group = _admin_group()
    fake = Faker("en_GB")
    fake.seed_instance(2026)
    unusable = make_password(None)
    for username, agency, district, role, team, title in USERS:
        user = User(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@example.org",
            agency=agencies[agency],
            district=districts[district] if district else None,
            team=teams[team] if team else None,
            job_title=title,
            is_staff=role == Role.ADMIN,
            password=unusable,
        )
        user.full_clean()
        user.save()
        RoleGrant.objects.create(user=user, role=role)
        if role == Role.ADMIN:
            user.groups.add(group)
    progress("users", len(USERS), len(USERS))
    return {
        "forces": 1,
        "districts": len(districts),
        "agencies": len(agencies),
        "teams": len(teams),
        "users": len(USERS),
    }


def _admin_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="core", content_type__model__in=ADMIN_MODELS)
    )
    return group


def demo_users_set_password(password: str) -> int:
    """Give every demo user `password` (one hash: they share it anyway). Returns how many."""
    return User.objects.filter(username__in=DEMO_USERNAMES).update(password=make_password(password))


def demo_logins() -> list[dict[str, str]]:
    """The demo logins as rows for the command's table: username, role, agency, district."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related("agency", "district")
    }
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        roles = ", ".join(grant.get_role_display() for grant in user.role_grants.all())
        rows.append(
            {
                "username": username,
                "role": roles,
                "agency": user.agency.name if user.agency else "",
                "district": user.district.name if user.district else "(none)",
            }
        )
    return rows
