"""A synthetic activity register and team establishment for the demo.

About a dozen activities over the last two years in the spirit of the partnership's reports (a
child sexual exploitation conference with 106 delegates, first-responder training on modern
slavery, Safeguarding Week, a schools cybercrime competition with 17 projects entered, a county
lines initiative, ...) and one campaign: "Know your right to ask: Clare's Law awareness", which
targets domestic abuse contacts (series `contacts.demand`, category `domestic`) from
`core.demo.campaign_launch()`, the day the contacts demo steps domestic abuse reports up.

Dates are months back from today, so the register always spans the last two financial years.
Organisation names are the demo's own or generic ones; every count is made up. A second call adds
nothing (the audit trail is the sentinel). The campaign is stored without asking analytics to check
its target: the analytics demo, which builds the series, loads after this one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.activities.models import Activity, ActivityKind, Establishment, TeamCapacity, Workload
from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.models import Agency, AuditAction, District, Force, RoleGrant, Team
from safehub.core.roles import Role

Progress = Callable[[str, int, int], None]
JOB = core_demo.DEMO_JOB
SIZES = {"small": 1, "full": 1}  # the same register at both sizes

CAMPAIGN_TITLE = "Know your right to ask: Clare's Law awareness"
POLICE = "West Yorkshire Police"
MAYOR = "Office of the Mayor of West Yorkshire"
LSCP = "Leeds Safeguarding Children Partnership"


def _month(today: date, months_ago: int, day: int = 1) -> date:
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, day)


def activities(today: date) -> list[dict[str, Any]]:
    """The demo register: each activity's fields, with `districts` as codes."""

    def at(months_ago: int, day: int) -> date:
        return _month(today, months_ago, day)

    competition_start = at(13, 3)
    return [
        {
            "kind": ActivityKind.INITIATIVE,
            "title": "IDVA car",
            "description": "An independent domestic violence adviser rides with a police officer to "
            "domestic abuse incidents, to meet the victim's first support needs and help gather evidence.",
            "starts_on": at(20, 1),
            "lead_organisation": POLICE,
            "partner_organisations": ["West Yorkshire IDVA Service"],
            "districts": ["leeds"],
            "themes": ["domestic_abuse"],
            "audience": "victims of domestic abuse",
            "cost": Decimal("48000.00"),
            "funding_source": "Mayor's Victims' Fund",
            "outcomes": "An interim evaluation found more criminal justice outcomes where the car attended.",
        },
        {
            "kind": ActivityKind.EVENT,
            "title": "West Yorkshire Safeguarding Week",
            "description": "Events in every district to raise awareness and celebrate achievements.",
            "starts_on": at(18, 16),
            "ends_on": at(18, 20),
            "lead_organisation": "West Yorkshire safeguarding partnerships",
            "partner_organisations": [
                "the five local authorities",
                POLICE,
                "West Yorkshire Integrated Care Board",
            ],
            "themes": ["general"],
            "reach": 3400,
        },
        {
            "kind": ActivityKind.INITIATIVE,
            "title": "Operation Ravenstone",
            "description": "Summer-holiday work against county lines: stations, taxi ranks and hotels, "
            "with youth workers offering support to children found travelling.",
            "starts_on": at(17, 21),
            "ends_on": at(17, 21) + timedelta(days=46),
            "lead_organisation": POLICE,
            "partner_organisations": ["Safe Harbour Youth Charity", "Bradford Children's Social Care"],
            "districts": ["bradford", "leeds", "wakefield"],
            "themes": ["cce", "modern_slavery"],
            "audience": "children at risk of criminal exploitation",
            "reach": 650,
            "cost": Decimal("12500.00"),
            "funding_source": "Violence Reduction Partnership",
        },
        {
            "kind": ActivityKind.TRAINING,
            "title": "First responder training: the National Referral Mechanism",
            "description": "Two training events for frontline social workers who may refer potential "
            "victims of modern slavery for support.",
            "starts_on": at(14, 7),
            "ends_on": at(14, 8),
            "venue": "Wakefield One",
            "lead_organisation": MAYOR,
            "partner_organisations": [
                "Hope for Justice",
                "the Association of Directors of Adult Social Services",
            ],
            "themes": ["modern_slavery"],
            "audience": "first responders",
            "attendance": 240,
            "attendance_noun": "first responders",
            "cost": Decimal("3800.00"),
            "funding_source": "Office of the Mayor",
        },
        {
            "kind": ActivityKind.COMPETITION,
            "title": "Cybercrime Schools Competition",
            "description": "Pupils in years 7, 8 and 9 designed a resource to help keep people safe "
            "online; the winners performed a play and rap about online grooming.",
            "starts_on": competition_start,
            "ends_on": _month(today, 10, 12),
            "venue": "West Yorkshire Police Learning and Development Centre, Wakefield",
            "lead_organisation": POLICE,
            "partner_organisations": ["a local supermarket (sponsor)"],
            "themes": ["online_safety"],
            "audience": "secondary schools",
            "attendance": 17,
            "attendance_noun": "projects entered",
            "cost": Decimal("1500.00"),
            "funding_source": "Sponsorship",
        },
        {
            "kind": ActivityKind.CAMPAIGN,
            "title": CAMPAIGN_TITLE,
            "description": "Posters, radio and social media telling people they can ask the police "
            "whether a partner has a history of abuse (the Domestic Violence Disclosure Scheme).",
            "starts_on": core_demo.campaign_launch(today),
            "lead_organisation": POLICE,
            "partner_organisations": [MAYOR, "West Yorkshire IDVA Service", "the five local authorities"],
            "themes": ["domestic_abuse", "vawg"],
            "audience": "the public",
            "reach": 52000,
            "cost": Decimal("18500.00"),
            "funding_source": "Office of the Mayor",
            "target_series": "contacts.demand",
            "target_category": "domestic",
        },
        {
            "kind": ActivityKind.CONFERENCE,
            "title": "Child sexual exploitation: learning from practice",
            "starts_on": at(9, 14),
            "venue": "Leeds Civic Hall",
            "lead_organisation": LSCP,
            "partner_organisations": [
                POLICE,
                "Leeds Children's Social Care",
                "West Yorkshire Integrated Care Board",
                "Safe Harbour Youth Charity",
            ],
            "districts": ["leeds"],
            "themes": ["cse"],
            "audience": "practitioners in child protection",
            "attendance": 106,
            "attendance_noun": "delegates",
            "cost": Decimal("3200.00"),
            "funding_source": "Partnership budget",
            "outcomes": "Agreed a shared screening tool for exploitation and a single referral route.",
        },
        {
            "kind": ActivityKind.CONFERENCE,
            "title": "Homelessness and modern slavery",
            "starts_on": at(7, 22),
            "venue": "University of Huddersfield",
            "lead_organisation": MAYOR,
            "partner_organisations": [POLICE, "Kirklees Adult Social Care", "housing providers"],
            "districts": ["kirklees"],
            "themes": ["modern_slavery", "adult_safeguarding"],
            "attendance": 120,
            "attendance_noun": "delegates",
            "outcomes": "Better information sharing and support pathways for people who are homeless.",
        },
        {
            "kind": ActivityKind.EVENT,
            "title": "West Yorkshire Safeguarding Week",
            "starts_on": at(6, 15),
            "ends_on": at(6, 19),
            "lead_organisation": "West Yorkshire safeguarding partnerships",
            "partner_organisations": [
                "the five local authorities",
                POLICE,
                "West Yorkshire Integrated Care Board",
            ],
            "themes": ["general"],
            "reach": 4100,
        },
        {
            "kind": ActivityKind.CONFERENCE,
            "title": "Child criminal exploitation: a partnership response",
            "description": "A free event in Safeguarding Week for practitioners in child protection.",
            "starts_on": at(6, 17),
            "venue": "Leeds Town Hall",
            "lead_organisation": LSCP,
            "partner_organisations": [POLICE, "Leeds Children's Social Care", "Safe Harbour Youth Charity"],
            "districts": ["leeds"],
            "themes": ["cce"],
            "attendance": 180,
            "attendance_noun": "practitioners",
        },
        {
            "kind": ActivityKind.TRAINING,
            "title": "Domestic abuse risk assessment refresher",
            "starts_on": at(3, 9),
            "lead_organisation": POLICE,
            "partner_organisations": ["West Yorkshire IDVA Service"],
            "themes": ["domestic_abuse"],
            "audience": "call handlers",
            "attendance": 85,
            "attendance_noun": "call handlers",
        },
        {
            "kind": ActivityKind.TRAINING,
            "title": "Online safety for designated safeguarding leads",
            "starts_on": at(2, 14),
            "venue": "Halifax",
            "lead_organisation": "Calderdale Safeguarding Children Partnership",
            "districts": ["calderdale"],
            "themes": ["online_safety", "csa"],
            "audience": "designated safeguarding leads",
            "attendance": 64,
            "attendance_noun": "designated safeguarding leads",
            "cost": Decimal("900.00"),
        },
        {
            "kind": ActivityKind.CONFERENCE,
            "title": "Adult safeguarding conference (planned)",
            "starts_on": _month(today, -2, 10),
            "venue": "Bradford City Hall",
            "lead_organisation": "Bradford Safeguarding Adults Board",
            "districts": ["bradford"],
            "themes": ["adult_safeguarding"],
        },
    ]


# (agency code, district code or None, team name, workload)
TEAMS = [
    (core_demo.csc_code("leeds"), "leeds", "Leeds MASH", Workload.MASH),
    (core_demo.csc_code("bradford"), "bradford", "Bradford MASH", Workload.MASH),
    (core_demo.csc_code("calderdale"), "calderdale", "Calderdale MASH", Workload.MASH),
    (core_demo.csc_code("kirklees"), "kirklees", "Kirklees MASH", Workload.MASH),
    (core_demo.csc_code("wakefield"), "wakefield", "Wakefield MASH", Workload.MASH),
    (core_demo.POLICE, None, "Missing from Home Team", Workload.MISSING),
    (core_demo.POLICE, None, "Child Exploitation Hub", Workload.EXPLOITATION),
    (core_demo.POLICE, "leeds", "Leeds Safeguarding Unit", Workload.DOMESTIC_ABUSE),
    (core_demo.IDVA, "leeds", "Leeds IDVA Team", Workload.DOMESTIC_ABUSE),
    (core_demo.POLICE, None, "MARAC Coordination Team", Workload.MARAC),
]
# team name -> [(months ago, role, establishment, in post, note)]
ESTABLISHMENT: dict[str, list[tuple[int, str, str, str, str]]] = {
    "Leeds MASH": [
        (24, "Social worker", "6", "6", ""),
        (24, "Detective constable", "2", "2", ""),
        (14, "Social worker", "8", "7", ""),
        (8, "Social worker", "9", "9", ""),
    ],
    "Bradford MASH": [
        (24, "Social worker", "9", "7", ""),
        (24, "Detective constable", "2", "1", ""),
        (12, "Social worker", "9", "5.5", ""),
        (4, "Social worker", "10", "7", ""),
    ],
    "Calderdale MASH": [(24, "Social worker", "5", "5", "")],
    "Kirklees MASH": [(24, "Social worker", "7", "7", ""), (10, "Social worker", "7", "6", "")],
    "Wakefield MASH": [(24, "Social worker", "6", "5", ""), (6, "Social worker", "7", "7", "")],
    "Missing from Home Team": [
        (24, "Missing person coordinator", "4", "4", ""),
        (9, "Missing person coordinator", "5", "4", ""),
    ],
    "Child Exploitation Hub": [
        (24, "Detective constable", "6", "5", ""),
        (12, "Detective constable", "8", "8", ""),
        (3, "Detective constable", "8", "8.5", "Temporary cover while a colleague is seconded"),
    ],
    "Leeds Safeguarding Unit": [
        (24, "Detective constable", "12", "11", ""),
        (24, "Detective sergeant", "2", "2", ""),
    ],
    "Leeds IDVA Team": [(24, "IDVA", "6", "6", ""), (10, "IDVA", "8", "6.5", "")],
    "MARAC Coordination Team": [(24, "MARAC coordinator", "3", "3", "")],
}


def already_loaded() -> int:
    return core_demo.created_by_demo("activities.activity")


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    force = Force.objects.filter(code=core_demo.FORCE_CODE).first()
    grant = (
        RoleGrant.objects.filter(role=Role.PARTNERSHIP_MANAGER, user__agency__force=force)
        .select_related("user")
        .first()
    )
    if force is None or grant is None:
        raise RuntimeError("Load the core demo first: activities need the force and the partnership manager")
    manager = grant.user
    today = timezone.localdate()
    districts = {d.code: d for d in District.objects.filter(force=force)}
    rows = activities(today)
    for done, row in enumerate(rows, start=1):
        codes = row.pop("districts", [])
        activity = Activity(force=force, created_by=manager, **row)
        activity.full_clean()
        activity.save()
        activity.districts.set([districts[code] for code in codes if code in districts])
        audit.record(JOB, AuditAction.CREATE, activity, fields=["kind", "title", "starts_on", "themes"])
        progress("activities", done, len(rows))
    teams = _teams(force)
    records = 0
    for name, history in ESTABLISHMENT.items():
        team = teams.get(name)
        if team is None:
            continue
        for months_ago, role, establishment, in_post, note in history:
            record = Establishment(
                team=team,
                role=role,
                effective_from=_month(today, months_ago),
                establishment_fte=Decimal(establishment),
                in_post_fte=Decimal(in_post),
                note=note,
                created_by=manager,
            )
            record.full_clean()
            record.save()
            audit.record(
                JOB,
                AuditAction.CREATE,
                record,
                fields=["team", "role", "effective_from", "establishment_fte"],
            )
            records += 1
    progress("establishment", records, records)
    return {"activities": len(rows), "teams": len(teams), "establishment_records": records}


def _teams(force: Force) -> dict[str, Team]:
    """The demo's capacity teams (made here where the core demo has none) with their workloads."""
    agencies = {a.code: a for a in Agency.objects.filter(force=force)}
    districts = {d.code: d for d in District.objects.filter(force=force)}
    teams: dict[str, Team] = {}
    for agency_code, district_code, name, workload in TEAMS:
        agency = agencies.get(agency_code)
        if agency is None:
            continue
        team = Team.objects.filter(agency=agency, name=name).first()
        if team is None:
            team = Team.objects.create(
                agency=agency, district=districts.get(district_code) if district_code else None, name=name
            )
            audit.record(JOB, AuditAction.CREATE, team, fields=["agency", "district", "name"])
        capacity, created = TeamCapacity.objects.get_or_create(team=team, defaults={"workload": workload})
        if created:
            audit.record(JOB, AuditAction.CREATE, capacity, fields=["team", "workload"])
        teams[name] = team
    return teams
