"""Demand against capacity: the pure computations (no database)."""

from datetime import date

import pytest

from safehub.activities.models import Workload
from safehub.analytics import capacity
from safehub.analytics.capacity import Figure, Line, MonthFigure


@pytest.mark.parametrize(
    ("establishment", "in_post", "expected"),
    [
        (10.0, 8.0, 20.0),
        (4.0, 4.0, 0.0),
        (3.0, 3.5, -16.7),  # over establishment
        (0.0, 2.0, None),  # no funded posts: no rate
        (None, 2.0, None),
        (6.0, None, None),
    ],
)
def test_vacancy_percent(establishment, in_post, expected):
    assert capacity.vacancy_percent(establishment, in_post) == expected


@pytest.mark.parametrize(
    ("amount", "fte", "expected"),
    [(240, 8.0, 30.0), (10, 3.0, 3.33), (0, 2.0, 0.0), (10, 0.0, None), (None, 2.0, None), (5, None, None)],
)
def test_per_fte(amount, fte, expected):
    assert capacity.per_fte(amount, fte) == expected


def _points(first: date, means: list[float]) -> list[dict]:
    points = []
    for i, mean in enumerate(means):
        month = date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        points.append({"month": month.strftime("%Y-%m"), "mean": mean})
    return points


def test_forecast_average_takes_the_months_from_this_month():
    points = _points(date(2026, 11, 1), [100, 10, 20, 30, 40, 50, 60, 70])
    assert capacity.forecast_average(points, date(2026, 12, 1), 3) == 20.0
    assert capacity.forecast_average(points, date(2026, 12, 1), 6) == 35.0


def test_forecast_average_is_none_when_the_forecast_stops_short():
    points = _points(date(2026, 12, 1), [10, 20])
    assert capacity.forecast_average(points, date(2026, 12, 1), 3) is None
    assert capacity.forecast_average([], date(2026, 12, 1), 3) is None


def _line(months):
    return Line("total", "leeds", Workload.MASH, [MonthFigure(*m) for m in months])


def test_line_per_fte_is_work_over_fte_months_and_skips_months_not_held():
    line = _line(
        [
            (date(2026, 1, 1), 80, 10.0, 8.0),
            (date(2026, 2, 1), 80, 10.0, 8.0),
            (date(2026, 3, 1), 80, 10.0, 9.0),
            (date(2026, 4, 1), None, 10.0, 9.0),  # the series does not hold April: unknown, not zero
        ]
    )
    assert line.new_work == 240
    assert line.new_work_per_month == 80.0
    assert line.per_fte == 9.6  # 240 / (8 + 8 + 9)
    assert (line.establishment_fte, line.in_post_fte, line.vacancy_percent) == (10.0, 9.0, 10.0)


def test_line_without_staff_has_no_rate():
    line = _line([(date(2026, 1, 1), 50, None, None)])
    assert line.per_fte is None and line.vacancy_percent is None and line.new_work == 50


def test_open_cases_and_forecast_per_fte():
    line = _line([(date(2026, 1, 1), 30, 5.0, 2.0)])
    line.open_cases, line.current_in_post_fte, line.forecasts = 12, 4.0, {3: 40.0, 6: None}
    assert line.open_per_fte == 6.0  # against the period's last month
    assert line.forecast_per_fte(3) == 10.0  # against the people in post now
    assert line.forecast_per_fte(6) is None


def test_pressure_ranking_compares_only_the_same_work():
    ranking = capacity.pressure_ranking(
        [
            Figure("leeds", Workload.MASH, 10.0, 9.0),
            Figure("bradford", Workload.MASH, 15.0, 20.0),
            Figure("", Workload.MISSING, 400.0, 410.0),  # the only missing team: not compared
        ]
    )
    assert [(p.district, p.workload) for p in ranking] == [
        ("bradford", "mash"),
        ("leeds", "mash"),
        ("", "missing"),
    ]
    assert ranking[0].relative == 1.2 and ranking[1].relative == 0.8 and ranking[2].relative is None
    assert ranking[0].growth_percent == 33.3 and ranking[1].growth_percent == -10.0


def test_pressure_sentences_name_the_highest_and_the_growth():
    ranking = capacity.pressure_ranking(
        [Figure("leeds", Workload.MASH, 10.0, 9.0), Figure("bradford", Workload.MASH, 15.0, 20.0)]
    )
    sentences = capacity.pressure_sentences(ranking, {"leeds": "Leeds", "bradford": "Bradford"})
    assert sentences == [
        "Pressure is highest in MASH referrals in Bradford: 15.0 new referrals a month per FTE in post, "
        "1.2 times the average of the 2 areas doing the same work.",
        "Pressure is forecast to grow most in MASH referrals in Bradford: from 15.0 to 20.0 new referrals "
        "a month per FTE over the next 6 months at current staffing (+33%).",
    ]


def test_pressure_sentences_when_nothing_compares_or_grows():
    ranking = capacity.pressure_ranking([Figure("", Workload.MARAC, 6.0, 5.0)])
    assert capacity.pressure_sentences(ranking, {"": "force-wide"}) == [
        "No two areas do the same work with figures for the period, so pressure cannot be compared "
        "between areas.",
        "No area is forecast to get more new work per FTE over the next 6 months at current staffing.",
    ]
    assert capacity.pressure_sentences([], {}) == []


def test_every_workload_has_a_demand_series():
    assert set(capacity.WORKLOAD_SERIES) == set(Workload.values)
    assert capacity.WORKLOAD_SERIES[Workload.MASH].series == "referrals.demand"
    assert capacity.WORKLOAD_SERIES[Workload.DOMESTIC_ABUSE].categories == ("domestic",)
    assert capacity.WORKLOAD_SERIES[Workload.EXPLOITATION].categories == ("cse", "cce")
    assert capacity.WORKLOAD_SERIES[Workload.MISSING].open_measure == "missing.missing_open_caseload"
