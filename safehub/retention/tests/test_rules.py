"""MoPI rules at their boundaries (no database)."""

from datetime import date

import pytest

from safehub.retention import rules

GROUPS = {group.code: group for group in rules.DEFAULT_GROUPS}


@pytest.mark.parametrize(
    ("markers", "decided", "group"),
    [
        (set(), "", "group-3"),
        ({"drugs"}, "", "group-3"),
        ({"violence"}, "", "group-2"),
        ({"weapons", "violence"}, "", "group-2"),
        ({"violence", "risk_to_children"}, "", "group-1"),
        ({"risk_to_children"}, "group-3", "group-3"),  # a reviewer's decision wins
    ],
)
def test_group_for(markers, decided, group):
    assert rules.group_for(markers, decided) == group


@pytest.mark.parametrize(
    ("code", "last_activity", "last_review", "due"),
    [
        ("group-3", date(2020, 2, 29), None, date(2026, 2, 28)),  # 6 years from a leap day
        ("group-3", date(2020, 3, 1), None, date(2026, 3, 1)),
        ("group-2", date(2016, 6, 30), None, date(2026, 6, 30)),
        ("group-1", date(2016, 6, 30), None, date(2026, 6, 30)),  # reviewed every 10 years
        ("group-1", date(2010, 1, 1), date(2020, 5, 1), date(2030, 5, 1)),
        ("group-3", date(2020, 1, 1), date(2024, 1, 1), date(2030, 1, 1)),  # retained: not before 6 years on
        ("group-3", date(2020, 1, 1), date(2021, 1, 1), date(2027, 1, 1)),
    ],
)
def test_review_due(code, last_activity, last_review, due):
    assert rules.review_due(GROUPS[code], last_activity=last_activity, last_review=last_review) == due


@pytest.mark.parametrize(
    ("dob", "today", "blocked"),
    [
        (date(1926, 12, 2), date(2026, 12, 2), ""),  # 100 today: may be disposed of
        (date(1926, 12, 3), date(2026, 12, 2), "kept until the person is 100 (now 99)"),
        (None, date(2026, 12, 2), "the date of birth is not known"),
    ],
)
def test_group_1_is_kept_until_100(dob, today, blocked):
    problem = rules.disposal_problem(GROUPS["group-1"], dob, today)
    assert (blocked in problem) if blocked else problem == ""


def test_other_groups_may_be_disposed_of_at_any_age():
    assert rules.disposal_problem(GROUPS["group-3"], None, date(2026, 12, 2)) == ""


@pytest.mark.parametrize(
    ("dob", "first", "special"),
    [
        (date(2010, 5, 1), date(2020, 4, 30), True),
        (date(2010, 5, 1), date(2020, 5, 1), False),
        (None, date(2020, 1, 1), False),
    ],
)
def test_special_consideration_for_children_under_10(dob, first, special):
    assert rules.special_consideration(dob, first) is special


@pytest.mark.parametrize(
    ("decision", "reason", "next_review", "fields"),
    [
        ("retain", "Still needed", date(2027, 1, 1), set()),
        ("dispose", "No longer needed", None, set()),
        ("retain", "", date(2027, 1, 1), {"reason"}),
        ("retain", "Still needed", None, {"next_review_on"}),
        ("retain", "Still needed", date(2026, 12, 2), {"next_review_on"}),  # today is not the future
        ("retain", "Still needed", date(2036, 12, 3), {"next_review_on"}),  # more than 10 years
        ("keep", "x", None, {"decision"}),
    ],
)
def test_decision_problems(decision, reason, next_review, fields):
    problems = rules.decision_problems(
        decision=decision, reason=reason, next_review=next_review, today=date(2026, 12, 2)
    )
    assert set(problems) == fields
