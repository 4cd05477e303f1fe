from datetime import date
from decimal import Decimal

import pytest

from safehub.activities import selectors
from safehub.activities.models import Establishment, TeamCapacity


def _est(team, role, day, establishment, in_post, by):
    return Establishment.objects.create(
        team=team,
        role=role,
        effective_from=day,
        establishment_fte=Decimal(establishment),
        in_post_fte=Decimal(in_post),
        created_by=by,
    )


@pytest.fixture
def history(teams, manager):
    leeds, bradford = teams["leeds_mash"], teams["bradford_mash"]
    TeamCapacity.objects.create(team=leeds, workload="mash")
    TeamCapacity.objects.create(team=bradford, workload="mash")
    _est(leeds, "Social worker", date(2025, 1, 1), "8", "8", manager)
    _est(leeds, "Social worker", date(2025, 3, 15), "10", "9", manager)
    _est(leeds, "Detective constable", date(2025, 2, 1), "2", "1.5", manager)
    _est(bradford, "Social worker", date(2025, 3, 1), "9", "6", manager)
    return teams


def test_fte_on_sums_the_record_in_force_per_role(history):
    leeds = history["leeds_mash"]
    assert selectors.fte_on(leeds, date(2024, 12, 31)) == (Decimal("0"), Decimal("0"))
    assert selectors.fte_on(leeds, date(2025, 1, 31)) == (Decimal("8"), Decimal("8"))
    assert selectors.fte_on(leeds, date(2025, 2, 1)) == (Decimal("10"), Decimal("9.5"))
    assert selectors.fte_on(leeds, date(2025, 3, 14)) == (Decimal("10"), Decimal("9.5"))
    assert selectors.fte_on(leeds, date(2025, 3, 15)) == (Decimal("12"), Decimal("10.5"))


def test_monthly_fte_gives_a_row_per_team_and_month_as_on_the_first(history, agencies):
    force_id = agencies["leeds_csc"].force_id
    rows = selectors.monthly_fte(force_id, date(2025, 1, 20), date(2025, 4, 3))
    assert [(r["month"], r["team"], r["establishment_fte"], r["in_post_fte"]) for r in rows] == [
        (date(2025, 1, 1), "Leeds MASH", 8.0, 8.0),
        (date(2025, 2, 1), "Leeds MASH", 10.0, 9.5),
        (date(2025, 3, 1), "Bradford MASH", 9.0, 6.0),
        (date(2025, 3, 1), "Leeds MASH", 10.0, 9.5),
        (date(2025, 4, 1), "Bradford MASH", 9.0, 6.0),
        (date(2025, 4, 1), "Leeds MASH", 12.0, 10.5),
    ]
    first = rows[0]
    assert first["team_id"] == history["leeds_mash"].pk
    assert first["agency"] == "Leeds Children's Social Care"
    assert first["district"] == "leeds"
    assert first["workload"] == "mash"
    assert isinstance(first["establishment_fte"], float)


def test_monthly_fte_leaves_out_teams_of_other_forces_and_teams_without_capacity(history, other_manager):
    other_force = other_manager.agency.force_id
    assert selectors.monthly_fte(other_force, date(2025, 1, 1), date(2025, 6, 1)) == []
    # The missing team has no workload and no establishment: not a capacity team.
    force_id = history["missing"].agency.force_id
    teams = {r["team"] for r in selectors.monthly_fte(force_id, date(2025, 1, 1), date(2025, 6, 1))}
    assert teams == {"Leeds MASH", "Bradford MASH"}


def test_monthly_fte_for_a_team_without_a_district_or_workload(teams, manager):
    _est(teams["missing"], "Missing person coordinator", date(2025, 1, 1), "3", "3", manager)
    rows = selectors.monthly_fte(teams["missing"].agency.force_id, date(2025, 1, 1), date(2025, 1, 1))
    assert rows == [
        {
            "team_id": teams["missing"].pk,
            "team": "Missing from Home Team",
            "agency": "West Yorkshire Police",
            "district": "",
            "workload": "",
            "month": date(2025, 1, 1),
            "establishment_fte": 3.0,
            "in_post_fte": 3.0,
        }
    ]


def test_monthly_fte_with_last_before_first_is_empty(history, agencies):
    assert selectors.monthly_fte(agencies["police"].force_id, date(2025, 5, 1), date(2025, 4, 1)) == []


def test_establishment_series_gives_points_per_team(history, agencies):
    series = selectors.establishment_series(agencies["police"].force, 4, today=date(2025, 4, 10))
    by_team = {s["team"].name: s for s in series}
    assert [p["establishment_fte"] for p in by_team["Leeds MASH"]["points"]] == [8.0, 10.0, 10.0, 12.0]
    assert [p["in_post_fte"] for p in by_team["Bradford MASH"]["points"]] == [6.0, 6.0]
    assert by_team["Leeds MASH"]["workload_label"] == "MASH referrals"
