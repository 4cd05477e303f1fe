"""Pure rules: the route (NRM or MS1), what an MS1 may hold, groupings, and the reasonable grounds
clock at its boundary across bank holidays (no database)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safehub.core.clocks import get_clock
from safehub.slavery import rules

LONDON = ZoneInfo("Europe/London")
CLOCK = get_clock("nrm-reasonable-grounds")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("referred", "expected"),
    [
        # Thursday before Easter 2026: Good Friday 3 April and Easter Monday 6 April do not count.
        ("2026-04-02T10:00", "2026-04-13T10:00"),
        # Referred on Good Friday itself: counts from 00:00 on Tuesday 7 April, due at the end of Mon 13.
        ("2026-04-03T10:00", "2026-04-14T00:00"),
        # Easter 2027 (Good Friday 26 March, Easter Monday 29 March), across the change to BST.
        ("2027-03-25T10:00", "2027-04-05T10:00"),
        # Wednesday before Christmas 2026: Christmas Day, Boxing Day's substitute Monday 28 December
        # and New Year's Day are skipped.
        ("2026-12-23T10:00", "2027-01-04T10:00"),
        ("2026-12-24T09:00", "2027-01-05T09:00"),
        # Christmas Day itself: from 00:00 on Tuesday 29 December.
        ("2026-12-25T12:00", "2027-01-06T00:00"),
        # Early May and summer bank holidays.
        ("2026-05-01T10:00", "2026-05-11T10:00"),
        ("2026-08-28T10:00", "2026-09-07T10:00"),
        # An ordinary week for contrast.
        ("2026-06-10T10:00", "2026-06-17T10:00"),
    ],
)
def test_reasonable_grounds_due_skips_weekends_and_bank_holidays(referred, expected):
    assert rules.reasonable_grounds_due(CLOCK, at(referred)) == at(expected)


@pytest.mark.parametrize(
    ("decided_offset", "on_time"),
    [
        (timedelta(0), True),
        (-timedelta(minutes=1), True),
        (timedelta(seconds=1), False),
        (timedelta(days=1), False),
    ],
)
def test_a_decision_at_the_due_time_is_on_target_and_a_second_later_is_not(decided_offset, on_time):
    due = rules.reasonable_grounds_due(CLOCK, at("2026-12-23T10:00"))
    assert rules.decided_in_time(due + decided_offset, due) is on_time


def test_undecided_has_no_timeliness():
    assert rules.decided_in_time(None, at("2026-12-23T10:00")) is None


def test_recovery_period_is_thirty_days_from_a_positive_reasonable_grounds_decision():
    assert rules.recovery_period_ends(at("2026-12-20T15:00")) == at("2027-01-19T15:00")
    assert rules.RECOVERY_PERIOD.rule.startswith("Due 30 calendar days after a positive reasonable grounds")


@pytest.mark.parametrize(
    ("kind", "age", "consent", "errors"),
    [
        ("nrm", 15, "not_needed", {}),
        ("nrm", 15, "refused", {}),  # a child is referred whatever
        ("nrm", 30, "given", {}),
        ("nrm", 30, "refused", {"consent"}),
        ("dtn", 30, "refused", {}),
        ("dtn", 17, "refused", {"kind"}),
        ("dtn", 18, "refused", {}),
        ("dtn", 30, "given", {"consent"}),
    ],
)
def test_children_are_always_referred_and_adults_only_with_consent(kind, age, consent, errors):
    assert set(rules.route_errors(kind=kind, age_at_referral=age, consent=consent)) == set(errors)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Found working at a car wash with no pay.", []),
        ("Contact him on 07700 900123", ["a phone number"]),
        ("Lives at LS1 4AP", ["a postcode"]),
        ("Email a.person@example.com", ["an e-mail address"]),
        ("Born 03/04/1990", ["a date"]),
    ],
)
def test_identifying_details_in_ms1_text(text, found):
    assert rules.identifying_details(text) == found


@pytest.mark.parametrize(
    ("types", "group"),
    [
        (["labour"], "labour"),
        (["criminal", "sexual"], "multiple"),
        (["criminal", "criminal"], "criminal"),
        (["unknown"], "unknown"),
        ([], "unknown"),
    ],
)
def test_exploitation_group_counts_a_referral_once(types, group):
    assert rules.exploitation_group(types) == group


@pytest.mark.parametrize(("age", "group"), [(17, "child"), (18, "adult"), (None, "unknown"), (0, "child")])
def test_age_group_at_exploitation(age, group):
    assert rules.age_group(age) == group


def test_quarters_follow_the_home_office_calendar_quarters():
    assert rules.quarter_of(at("2024-03-31T23:59")) == "2024 Q1"
    assert rules.quarter_of(at("2024-04-01T00:00")) == "2024 Q2"
    assert rules.quarter_label("2024 Q4") == "2024 Q4 (October to December)"


@pytest.mark.parametrize(
    ("types", "county_lines", "field"),
    [
        ([], False, "exploitation_types"),
        (["nonsense"], False, "exploitation_types"),
        (["unknown", "labour"], False, "exploitation_types"),
        (["labour"], True, "county_lines"),
        (["criminal"], True, None),
    ],
)
def test_exploitation_errors(types, county_lines, field):
    errors = rules.exploitation_errors(types, county_lines)
    assert (set(errors) == {field}) if field else errors == {}


def test_age_errors():
    assert rules.age_errors(16, 15) == {
        "age_at_exploitation": "The age at exploitation cannot be more than the age at referral"
    }
    assert set(rules.age_errors(None, 130)) == {"age_at_referral"}
    assert rules.age_errors(14, 17) == {}


def test_conclusive_decision_rules():
    rg = at("2026-01-05T10:00")
    ends = rules.recovery_period_ends(rg)
    kwargs = {"rg_decided_at": rg, "recovery_ends": ends}
    assert "decision" in rules.conclusive_errors(
        rg_decision="", rg_decided_at=None, recovery_ends=None, decided_at=rg
    )
    assert "decision" in rules.conclusive_errors(rg_decision="negative", decided_at=ends, **kwargs)
    assert "decided_at" in rules.conclusive_errors(
        rg_decision="positive", decided_at=rg - timedelta(days=1), **kwargs
    )
    assert "decided_at" in rules.conclusive_errors(
        rg_decision="positive", decided_at=ends - timedelta(minutes=1), **kwargs
    )
    assert rules.conclusive_errors(rg_decision="positive", decided_at=ends, **kwargs) == {}
