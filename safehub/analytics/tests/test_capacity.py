"""Demand against capacity from ORM-made records: staffing (activities), demand (the analytics
store), open cases (apps' measures, through the registry) and forecasts. The `capacity_world`
fixture is shared with the page and API tests."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from safehub.activities.models import Establishment, TeamCapacity, Workload
from safehub.analytics import capacity, capacity_presenters, registry
from safehub.analytics.models import Forecast, MonthlyCount
from safehub.core.models import Team

pytestmark = pytest.mark.django_db

MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
START, END = date(2026, 1, 1), date(2026, 4, 1)


def this_month() -> date:
    today = timezone.localdate()
    return date(today.year, today.month, 1)


def _team(agency, district, name, workload, *records, by):
    team = Team.objects.create(agency=agency, district=district, name=name)
    TeamCapacity.objects.create(team=team, workload=workload)
    for role, effective_from, establishment, in_post in records:
        Establishment.objects.create(
            team=team,
            role=role,
            effective_from=effective_from,
            establishment_fte=Decimal(str(establishment)),
            in_post_fte=Decimal(str(in_post)),
            created_by=by,
        )
    return team


def _count(series, month, count, district="", category=""):
    MonthlyCount.objects.create(series=series, month=month, district=district, category=category, count=count)


@pytest.fixture
def capacity_world(agencies, districts, analyst):
    leeds, bradford = districts["leeds"], districts["bradford"]
    police, leeds_csc, bradford_csc = agencies["police"], agencies["leeds_csc"], agencies["bradford_csc"]
    long_ago = date(2025, 1, 1)
    teams = {
        "leeds_police": _team(
            police,
            leeds,
            "Leeds MASH police",
            Workload.MASH,
            ("Detective constable", long_ago, 4, 3),
            ("Detective constable", date(2026, 3, 1), 4, 4),  # a vacancy filled in March
            by=analyst,
        ),
        "leeds_csc": _team(
            leeds_csc,
            leeds,
            "Leeds MASH social work",
            Workload.MASH,
            ("Social worker", long_ago, 6, 5),
            by=analyst,
        ),
        "bradford": _team(
            bradford_csc,
            bradford,
            "Bradford MASH",
            Workload.MASH,
            ("Social worker", long_ago, 4, 2),
            ("Team manager", long_ago, 1, 0),
            by=analyst,
        ),
        "missing": _team(
            police, None, "Missing person unit", Workload.MISSING, ("Coordinator", long_ago, 4, 4), by=analyst
        ),
        "exploitation": _team(
            police,
            leeds,
            "Leeds exploitation team",
            Workload.EXPLOITATION,
            ("DC", long_ago, 2, 2),
            by=analyst,
        ),
        "marac": _team(
            bradford_csc,
            bradford,
            "Bradford MARAC",
            Workload.MARAC,
            ("Coordinator", long_ago, 1, 1),
            by=analyst,
        ),
    }
    # A team with no workload is not a capacity team for this view.
    Team.objects.create(agency=police, district=leeds, name="Leeds neighbourhood team")
    for month in MONTHS:
        # referrals.demand as the referrals measures give it: month totals, district rows (no
        # category) and force-wide category rows.
        _count("referrals.demand", month, 110)
        _count("referrals.demand", month, 80, district="leeds")
        _count("referrals.demand", month, 30, district="bradford")
        for category, count in (("cse", 10), ("cce", 5), ("neglect", 95)):
            _count("referrals.demand", month, count, category=category)
        _count("missing.episodes", month, 12, district="leeds")
        _count("missing.episodes", month, 4, district="bradford")
        _count("meetings.marac_cases", month, 1, district="bradford")
    Forecast.objects.create(
        series="referrals.demand",
        district="bradford",
        model="drift",
        history=[],
        points=[
            {"month": f"{this_month() + relativedelta(months=i):%Y-%m}", "mean": 40.0} for i in range(48)
        ],
        backtest={},
        sentence="",
        generated_at=timezone.now(),
    )
    return SimpleNamespace(teams=teams, districts=districts)


@pytest.fixture
def open_measures(monkeypatch):
    """Open-caseload measures as the apps declare them (their own tests prove the counting)."""
    rows = {
        "referrals.open_caseload": [{"district": "leeds", "count": 24}, {"district": "bradford", "count": 3}],
        "missing.missing_open_caseload": [
            {"district": "leeds", "category": "open_episodes", "count": 2},
            {"district": "leeds", "category": "interviews_outstanding", "count": 6},
            {"district": "bradford", "category": "open_episodes", "count": 4},
        ],
    }
    real = registry.get

    def fake(measure_id):
        if measure_id in rows:
            return SimpleNamespace(id=measure_id, query=lambda start, end: rows[measure_id])
        return real(measure_id)

    monkeypatch.setattr(registry, "get", fake)
    return rows


def _totals(report):
    return {(g.total.district, g.total.workload): g for g in report.groups}


def test_district_totals_count_demand_once_against_every_team(capacity_world, open_measures, agencies):
    report = capacity.build(agencies["police"].force_id, START, END)
    groups = _totals(report)
    leeds = groups[("leeds", Workload.MASH)]
    assert [t.team for t in leeds.teams] == ["Leeds MASH police", "Leeds MASH social work"]
    assert leeds.total.new_work == 240 and leeds.total.new_work_per_month == 80.0
    assert [m.in_post_fte for m in leeds.total.months] == [8.0, 8.0, 9.0]
    assert leeds.total.per_fte == 9.6  # 240 / 25 FTE-months
    assert (leeds.total.establishment_fte, leeds.total.in_post_fte) == (10.0, 9.0)
    assert leeds.total.vacancy_percent == 10.0
    police = leeds.teams[0]
    assert police.per_fte == 24.0  # the district's 240 against this team's 3 + 3 + 4
    assert leeds.total.open_cases == 24 and leeds.total.open_per_fte == 2.67
    bradford = groups[("bradford", Workload.MASH)]
    assert bradford.total.per_fte == 15.0 and bradford.total.vacancy_percent == 60.0
    assert bradford.total.forecast_per_fte(6) == 20.0  # 40 a month over 2 in post now
    assert leeds.total.forecast_per_fte(6) is None  # no Leeds forecast stored


def test_force_wide_team_is_measured_against_the_whole_force(capacity_world, open_measures, agencies):
    report = capacity.build(agencies["police"].force_id, START, END)
    missing = _totals(report)[("", Workload.MISSING)]
    assert missing.total.new_work == 48 and missing.total.per_fte == 4.0
    assert missing.total.open_cases == 12  # open episodes and interviews outstanding, every district
    assert missing.total.open_per_fte == 3.0


def test_exploitation_has_no_district_figure_when_concerns_are_force_wide(capacity_world, agencies):
    report = capacity.build(agencies["police"].force_id, START, END)
    exploitation = _totals(report)[("leeds", Workload.EXPLOITATION)]
    assert exploitation.total.new_work is None and exploitation.total.per_fte is None
    assert "whole area only" in exploitation.total.unavailable
    assert exploitation.total.in_post_fte == 2.0
    assert any("CSE or CCE" in note for note in report.notes)


def test_force_wide_exploitation_sums_the_exploitation_concerns(capacity_world, agencies, analyst):
    _team(
        agencies["police"],
        None,
        "Force exploitation hub",
        Workload.EXPLOITATION,
        ("DC", date(2025, 1, 1), 3, 3),
        by=analyst,
    )
    report = capacity.build(agencies["police"].force_id, START, END)
    hub = _totals(report)[("", Workload.EXPLOITATION)]
    assert hub.total.new_work == 45 and hub.total.per_fte == 5.0  # (10 + 5) x 3 over 3 x 3


def test_district_filter_and_other_forces(capacity_world, agencies):
    report = capacity.build(agencies["police"].force_id, START, END, district="bradford")
    assert list(_totals(report)) == [("bradford", Workload.MASH), ("bradford", Workload.MARAC)]
    from safehub.core.models import Force

    other = Force.objects.create(code="elsewhere", name="Elsewhere")
    assert capacity.build(other.pk, START, END).groups == []


def test_sentences_name_the_pressure_and_the_vacancy(capacity_world, open_measures, agencies):
    report = capacity.build(agencies["police"].force_id, START, END)
    sentences = capacity_presenters.sentences(report, suppress=False)
    assert sentences[0].startswith("Pressure is highest in MASH referrals in Bradford: 15.0 new referrals")
    assert "from 15.0 to 20.0 new referrals a month per FTE over the next 6 months" in sentences[1]
    assert sentences[2] == (
        "The highest vacancy rate is 60% in Bradford MASH (Bradford Children's Social Care, Bradford): "
        "2.0 FTE in post against an establishment of 5.0."
    )


def test_small_numbers_suppressed(capacity_world, agencies):
    report = capacity.build(agencies["police"].force_id, START, END)
    marac = _totals(report)[("bradford", Workload.MARAC)].total
    assert marac.new_work == 3
    shown = capacity_presenters.line_values(marac, suppress=True)
    assert shown["new_work"] == "[c]" and shown["new_work_per_fte"] is None
    assert shown["months"][0]["new_work"] == "[c]" and shown["months"][0]["per_fte"] is None
    assert capacity_presenters.line_values(marac, suppress=False)["new_work_per_fte"] == 1.0


def test_capacity_sentences_for_the_report(capacity_world, open_measures, agencies):
    sentences = capacity_presenters.capacity_sentences(agencies["police"].force_id, START, date(2026, 3, 31))
    assert sentences[0].startswith("Pressure is highest in MASH referrals in Bradford")
    assert all("[c]" not in s for s in sentences)


def test_no_teams_says_what_to_record(districts, agencies):
    force_id = agencies["police"].force_id
    # The report says so in its own words.
    assert capacity_presenters.capacity_sentences(force_id, START, END) == []
    assert capacity_presenters.sentences(capacity.build(force_id, START, END), suppress=False) == [
        "No team has a workload and an establishment recorded for these months: record them on the "
        "team establishment pages."
    ]


def test_a_district_domestic_abuse_team_is_forecast_from_its_districts_category(db):
    assert capacity.forecast_cells() == {"contacts.demand": ("domestic",), "referrals.demand": ("cse", "cce")}
    demand = capacity.WORKLOAD_SERIES[Workload.DOMESTIC_ABUSE]
    assert capacity.forecast_new_work(demand, "leeds", this_month(), 3) is None  # nothing stored yet
    Forecast.objects.create(
        series="contacts.demand",
        district="leeds",
        category="domestic",
        model="drift",
        history=[],
        points=[
            {"month": f"{this_month() + relativedelta(months=i):%Y-%m}", "mean": 30.0 + i} for i in range(48)
        ],
        backtest={},
        sentence="",
        generated_at=timezone.now(),
    )
    assert capacity.forecast_new_work(demand, "leeds", this_month(), 3) == 31.0  # mean of 30, 31, 32
    # Exploitation: the referrals series holds concerns force-wide only, so Leeds has none.
    exploitation = capacity.WORKLOAD_SERIES[Workload.EXPLOITATION]
    assert capacity.forecast_new_work(exploitation, "leeds", this_month(), 3) is None
