"""The dashboard's pure rules: table-driven, no database."""

from datetime import date

import pytest

from safehub.analytics import rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017-07", date(2017, 7, 1)), (" 2026-12 ", date(2026, 12, 1)), ("2020-01", date(2020, 1, 1))],
)
def test_parse_month_reads_police_uk_months(text, expected):
    assert rules.parse_month(text) == expected


@pytest.mark.parametrize("text", ["2017-13", "2017-00", "July 2017", "2017/07", "", "17-07", "1899-01"])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError, match="month"):
        rules.parse_month(text)


@pytest.mark.parametrize(("text", "year"), [("2017/18", 2017), ("2025-26", 2025), ("1999/00", 1999)])
def test_parse_financial_year(text, year):
    assert rules.parse_financial_year(text) == year


@pytest.mark.parametrize("text", ["2017/19", "2017", "2017-2018", "17/18"])
def test_parse_financial_year_refuses_bad_years(text):
    with pytest.raises(ValueError, match="financial year"):
        rules.parse_financial_year(text)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2026, 12, 2), 2026),
        (date(2027, 1, 1), 2026),
    ],
)
def test_financial_year_of_turns_on_1_april(day, fy):
    assert rules.financial_year_of(day) == fy


@pytest.mark.parametrize(
    ("quarter", "start"),
    [(1, date(2017, 4, 1)), (2, date(2017, 7, 1)), (3, date(2017, 10, 1)), (4, date(2018, 1, 1))],
)
def test_quarter_start(quarter, start):
    assert rules.quarter_start(2017, quarter) == start


def test_quarter_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="quarter"):
        rules.quarter_start(2017, 5)


@pytest.mark.parametrize(
    ("last_month", "today", "fy"),
    [
        (date(2026, 11, 1), date(2026, 12, 2), 2025),  # 2025-26 ended in March 2026 and has data
        (date(2026, 2, 1), date(2026, 12, 2), 2024),  # March 2026 missing: 2025-26 is not complete
        (date(2026, 3, 1), date(2026, 12, 2), 2025),
        (date(2026, 3, 1), date(2026, 3, 15), 2024),  # 2025-26 has not ended yet
    ],
)
def test_latest_complete_financial_year(last_month, today, fy):
    assert rules.latest_complete_financial_year(last_month, today) == fy


@pytest.mark.parametrize(
    ("current", "previous", "difference", "percent"),
    [(107, 100, 7, 7.0), (90, 100, -10, -10.0), (5, 0, 5, None), (0, 0, 0, None), (10, None, None, None)],
)
def test_year_on_year(current, previous, difference, percent):
    change = rules.year_on_year(current, previous)
    assert (change.difference, change.percent) == (difference, percent)


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "[c]"), (4, "[c]"), (5, 5), (None, None)])
def test_small_numbers_1_to_4_are_suppressed(count, shown):
    assert rules.suppress(count, enabled=True) == shown
    assert rules.suppress(count, enabled=False) == count


@pytest.mark.parametrize(
    ("count", "population", "rate"), [(7063, 522452, 13.52), (0, 1000, 0.0), (5, None, None), (5, 0, None)]
)
def test_rate_per_thousand(count, population, rate):
    assert rules.rate_per_thousand(count, population) == rate


@pytest.mark.parametrize(
    ("group", "total", "group_pop", "total_pop", "ratio"),
    [
        (20, 100, 10, 100, 2.0),
        (10, 100, 10, 100, 1.0),
        (5, 100, 20, 100, 0.25),
        (5, 0, 10, 100, None),
        (5, 10, 0, 100, None),
    ],
)
def test_disproportionality(group, total, group_pop, total_pop, ratio):
    assert rules.disproportionality(group, total, group_pop, total_pop) == ratio


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "unknown"),
        (0, "0-9"),
        (9, "0-9"),
        (10, "10-17"),
        (17, "10-17"),
        (18, "18-24"),
        (64, "55-64"),
        (65, "65+"),
        (101, "65+"),
    ],
)
def test_age_bands(age, band):
    assert rules.age_band(age) == band


def test_the_fms_sentence():
    assert rules.fms_sentence("Reported incidents", 1000, 1275, 2023) == (
        "Reported incidents are predicted to rise by 28% by March 2023."
    )
    assert rules.fms_sentence("Missing episodes", 1000, 900, 2030) == (
        "Missing episodes are predicted to fall by 10% by March 2030."
    )
    assert "stay about the same" in rules.fms_sentence("X", 1000, 1001, 2030)
    assert "too few" in rules.fms_sentence("X", 0, 10, 2030)


def test_change_sentence_in_the_seeds_words():
    change = rules.year_on_year(28537, 27176)
    assert rules.change_sentence("Recorded crimes", change, "July 2017", "July 2016") == (
        "Recorded crimes increased by 5.0% in July 2017 compared with July 2016 "
        "(28,537 against 27,176, 1,361 more)."
    )
