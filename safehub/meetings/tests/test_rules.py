"""Pure meetings rules at their boundaries (no database)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safehub.core.rules import DEFAULT_RULESETS, Event, Fired
from safehub.meetings import rules

AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def fired_at(*moments):
    return [Fired("r", "Rule", "reason", tuple(Event("dash", m) for m in moments))]


@pytest.mark.parametrize(
    ("dob", "on", "status"),
    [
        (date(2008, 3, 12), date(2026, 3, 11), "child"),  # the day before the 18th birthday
        (date(2008, 3, 12), date(2026, 3, 12), "adult"),  # the 18th birthday
        (None, date(2026, 3, 12), "unknown"),
        (date(2015, 1, 1), date(2026, 3, 12), "child"),
    ],
)
def test_child_status_turns_adult_on_the_18th_birthday(dob, on, status):
    assert rules.child_status(dob, on) == status


@pytest.mark.parametrize(
    ("kind", "dob", "included"),
    [
        ("mace", date(2010, 1, 1), True),
        ("mace", None, True),  # unknown age: included (and said so on the page)
        ("mace", date(1990, 1, 1), False),
        ("marac", date(1990, 1, 1), True),
        ("marac", date(2010, 1, 1), True),
    ],
)
def test_mace_hears_children_and_marac_anyone(kind, dob, included):
    assert rules.in_scope_for_kind(kind, dob, date(2026, 3, 12)) is included


@pytest.mark.parametrize(
    ("listed_at", "evidence", "already"),
    [
        (None, [AT], False),  # never listed
        (AT, [AT - timedelta(days=1)], True),  # listed after the evidence
        (AT, [AT], True),  # listed at the moment of the latest evidence
        (AT, [AT - timedelta(days=30), AT + timedelta(seconds=1)], False),  # new evidence since
    ],
)
def test_already_listed_means_nothing_new_since_the_listing(listed_at, evidence, already):
    assert rules.is_already_listed(listed_at, fired_at(*evidence)) is already


@pytest.mark.parametrize(
    ("heard", "repeat"),
    [
        ([], False),
        ([AT - timedelta(days=365)], True),  # exactly 12 months before
        ([AT - timedelta(days=365, seconds=1)], False),  # a second older
        ([AT], False),  # the same sitting is not a repeat of itself
        ([AT - timedelta(days=400), AT - timedelta(days=30)], True),
    ],
)
def test_repeat_means_heard_in_the_365_days_before(heard, repeat):
    assert rules.is_repeat(heard, AT) is repeat


def test_children_in_household_counts_current_children_only():
    on = date(2026, 3, 12)
    rows = [
        ("parent", date(2015, 1, 1), None),  # counts
        ("carer", None, None),  # age unknown: not counted
        ("household", date(2012, 5, 1), date(2026, 3, 12)),  # ends today: counts
        ("household", date(2012, 5, 1), date(2026, 3, 11)),  # ended: no
        ("parent", date(2000, 1, 1), None),  # adult child: no
        ("sibling", date(2015, 1, 1), None),  # not a household kind: no
    ]
    assert rules.children_in_household(rows, on) == 2


def test_ruleset_event_types_include_anchors_and_look_back_covers_the_longest_window():
    marac = DEFAULT_RULESETS["marac"]
    assert set(rules.ruleset_event_types(marac)) == {"dash", "marac_referral", "da_incident", "marac_heard"}
    assert rules.look_back_days(marac) == 365 + rules.LOOK_BACK_MARGIN_DAYS


@pytest.mark.parametrize(
    ("history", "level"),
    [
        ([], ""),
        ([Event("dash", AT, {"level": "medium"})], "medium"),
        ([Event("dash", AT, {"level": "medium", "override_level": "high"})], "high"),
        (
            [
                Event("dash", AT - timedelta(days=1), {"level": "high"}),
                Event("dash", AT, {"level": "standard"}),
            ],
            "standard",
        ),
        ([Event("dash", AT, {"level": "unknown"})], ""),
    ],
)
def test_risk_before_is_the_latest_assessment(history, level):
    assert rules.risk_before("marac", history, ["standard", "medium", "high"]) == level


MARAC = ["standard", "medium", "high"]
MACE = ["low", "medium", "high", "significant"]


@pytest.mark.parametrize(
    ("kind", "decision", "reason", "risk", "transfer", "fields"),
    [
        ("marac", "", "", "", False, set()),  # minutes only
        ("marac", "keep_reviewing", "", "high", False, set()),
        ("marac", "keep_reviewing", "", "", False, {"risk_level_after"}),
        ("marac", "close", "", "medium", False, {"decision_reason"}),
        ("marac", "close", "Moved to safe housing", "medium", False, set()),
        ("marac", "close", "", "low", False, {"risk_level_after", "decision_reason"}),  # low is a MACE level
        ("mace", "close", "", "significant", False, {"decision_reason"}),
        ("mace", "close", "Placed out of area with a new plan", "high", False, set()),
        ("mace", "close", "Risk reduced", "low", False, set()),
        ("mace", "transfer", "Moved", "low", True, {"decision"}),
        ("marac", "transfer", "Moved", "high", False, {"transfer_to_series"}),
        ("marac", "transfer", "", "high", True, {"decision_reason"}),
        ("marac", "transfer", "Victim moved to Bradford", "high", True, set()),
    ],
)
def test_decision_problems(kind, decision, reason, risk, transfer, fields):
    levels = MARAC if kind == "marac" else MACE
    problems = rules.decision_problems(
        kind=kind, decision=decision, reason=reason, risk_after=risk, levels=levels, transfer=transfer
    )
    assert set(problems) == fields


def test_closing_a_mace_case_at_high_risk_explains_the_review_rule():
    problems = rules.decision_problems(
        kind="mace", decision="close", reason="", risk_after="high", levels=MACE, transfer=False
    )
    assert "stays on review until the risk is reduced" in problems["decision_reason"]


@pytest.mark.parametrize(
    ("description", "agency", "owner", "due", "fields"),
    [
        ("Safety plan", True, True, date(2026, 3, 12), set()),  # due on the meeting day
        ("Safety plan", True, True, date(2026, 3, 11), {"due_on"}),  # before the meeting
        ("Safety plan", True, False, None, {"owner", "due_on"}),
        ("  ", False, True, date(2026, 4, 1), {"description", "owner_agency"}),
    ],
)
def test_action_problems(description, agency, owner, due, fields):
    problems = rules.action_problems(
        description=description,
        has_owner_agency=agency,
        has_owner=owner,
        due_on=due,
        meeting_day=date(2026, 3, 12),
    )
    assert set(problems) == fields


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (date(2026, 3, 11), "open", True),
        (date(2026, 3, 12), "open", False),
        (date(2026, 3, 1), "done", False),
    ],
)
def test_overdue_means_open_and_past_its_due_date(due, status, overdue):
    assert rules.is_overdue(due, date(2026, 3, 12), status) is overdue
