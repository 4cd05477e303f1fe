from datetime import date

import pytest

from safehub.linkage import rules

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        ("2010-03-27", date(2010, 3, 27), None),
        ("27/03/2010", date(2010, 3, 27), None),
        ("27-03-2010", date(2010, 3, 27), None),
        ("27.03.2010", date(2010, 3, 27), None),
        ("20100327", date(2010, 3, 27), None),
        ("2026-12-02", TODAY, None),
        ("2026-12-03", None, "Date of birth is in the future"),
        ("1900-01-01", date(1900, 1, 1), None),
        ("31/12/1899", None, "Date of birth is before 1900"),
        ("31/02/2010", None, "Date of birth is not a real date"),
        ("March 2010", None, "Date of birth must be like 2010-03-27 or 27/03/2010"),
        ("", None, "Enter a date of birth"),
    ],
)
def test_parse_dob(value, expected, problem):
    assert rules.parse_dob(value, TODAY) == (expected, problem)


@pytest.mark.parametrize(
    ("probability", "band"),
    [
        (1.0, "auto_link"),
        (0.99, "auto_link"),
        (0.9899, "review"),
        (0.5, "review"),
        (0.4999, "none"),
        (0.0, "none"),
    ],
)
def test_band_boundaries(probability, band):
    assert rules.band(probability) == band


def test_missing_columns_named_case_insensitively():
    assert rules.missing_columns(["First_Name", " surname "]) == ["dob"]
    assert rules.missing_columns(["first_name", "surname", "dob"]) == []


def test_check_row_reports_each_problem_by_field_never_value():
    check = rules.check_row(4, {"first_name": "", "surname": "x" * 101, "dob": "2999-01-01"}, TODAY)
    assert [(p["row"], p["field"]) for p in check.problems] == [(4, "first_name"), (4, "surname"), (4, "dob")]
    assert all("x" * 10 not in p["problem"] for p in check.problems)


def test_check_row_flags_extra_values():
    check = rules.check_row(
        2, {"first_name": "A", "surname": "B", "dob": "2001-01-01", None: ["extra"]}, TODAY
    )
    assert check.problems == [
        {"row": 2, "field": "row", "problem": "Has more values than the header has columns"}
    ]


def test_good_row_is_clean():
    check = rules.check_row(
        1, {"First_Name": " Ann ", "surname": "Lee", "dob": "01/02/2003", "city": "Leeds"}, TODAY
    )
    assert check.problems == []
    assert check.data["first_name"] == "Ann" and check.data["dob"] == date(2003, 2, 1)
