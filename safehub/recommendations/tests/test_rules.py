"""The tracker's pure rules: overdue at the due-date boundary, and which status changes are allowed."""

from datetime import date

import pytest

from safehub.recommendations import rules

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("status", "due_on", "overdue", "days"),
    [
        ("open", date(2026, 12, 3), False, 0),
        ("open", date(2026, 12, 2), False, 0),  # due today is not yet overdue
        ("open", date(2026, 12, 1), True, 1),
        ("in_progress", date(2026, 11, 2), True, 30),
        ("completed", date(2026, 11, 2), False, 0),
        ("not_accepted", date(2026, 11, 2), False, 0),
    ],
)
def test_overdue_when_past_due_and_not_complete(status, due_on, overdue, days):
    assert rules.is_overdue(status=status, due_on=due_on, today=TODAY) is overdue
    assert rules.days_overdue(status=status, due_on=due_on, today=TODAY) == days


@pytest.mark.parametrize(
    ("current", "new", "note", "manager", "errors"),
    [
        ("open", "in_progress", "Plan agreed", False, set()),
        ("open", "completed", "Audit shows it done", False, set()),
        ("open", "completed", "  ", False, {"note"}),
        ("open", "in_progress", "", False, {"note"}),
        ("open", "not_accepted", "Duplicate of AFI 2", False, {"status"}),
        ("open", "not_accepted", "Duplicate of AFI 2", True, set()),
        ("open", "not_accepted", "", True, {"note"}),
        ("completed", "open", "Evidence was insufficient", False, {"status"}),
        ("completed", "open", "Evidence was insufficient", True, set()),
        ("completed", "completed", "More evidence", True, {"status"}),
        ("open", "bogus", "x", True, {"status"}),
    ],
)
def test_status_changes(current, new, note, manager, errors):
    found = rules.status_change_errors(current=current, new=new, note=note, manager=manager)
    assert set(found) == errors


def test_completion_asks_for_evidence_by_name():
    found = rules.status_change_errors(current="open", new="completed", note="", manager=False)
    assert found["note"] == "Enter the evidence that the recommendation is complete"
