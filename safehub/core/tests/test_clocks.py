"""The clock engine: exact due date-times across weekends, bank holidays and clock changes. No DB.

Bank holidays used here (England and Wales, checked against the holidays package below):
2026: Good Friday 3 Apr, Easter Monday 6 Apr, 4 May, 25 May, 31 Aug, Christmas Fri 25 Dec,
Boxing Day substitute Mon 28 Dec (Sat 26 Dec is not a bank holiday).
2027: Fri 1 Jan, Good Friday 26 Mar, Easter Monday 29 Mar, Christmas Sat 25 Dec so substitutes
Mon 27 and Tue 28 Dec. British Summer Time 2026: 29 Mar to 25 Oct.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.core.clock_catalogue import CLOCKS
from safehub.core.clocks import (
    LONDON,
    Clock,
    UnknownClock,
    due,
    get_clock,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

BANK_HOLIDAYS = [
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
    "2027-01-01",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
    "2027-05-31",
    "2027-08-30",
    "2027-12-27",
    "2027-12-28",
]
NOT_BANK_HOLIDAYS = [
    "2026-12-26",  # Saturday Boxing Day: replaced by Monday 28th
    "2026-12-24",
    "2026-04-05",  # Easter Sunday
    "2027-12-25",  # Saturday Christmas Day: replaced by Monday 27th
    "2027-12-26",  # Sunday Boxing Day: replaced by Tuesday 28th
    "2027-03-25",
]


@pytest.mark.parametrize("day", BANK_HOLIDAYS)
def test_bank_holidays_in_england_and_wales(day):
    assert is_bank_holiday(date.fromisoformat(day))
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", NOT_BANK_HOLIDAYS)
def test_weekend_dates_replaced_by_substitutes_are_not_bank_holidays(day):
    assert not is_bank_holiday(date.fromisoformat(day))


def test_the_2026_and_2027_calendars_have_exactly_these_bank_holidays():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(730)]
    assert [d.isoformat() for d in days if is_bank_holiday(d)] == BANK_HOLIDAYS


def test_closures_and_weekends_are_not_working_days():
    assert is_working_day(date(2026, 6, 15))
    assert not is_working_day(date(2026, 6, 15), closures=frozenset({date(2026, 6, 15)}))
    assert not is_working_day(date(2026, 6, 13))  # Saturday
    assert not is_working_day(date(2026, 6, 14))  # Sunday


# (clock id, start as Europe/London wall-clock time, expected due with its offset)
DUE_CASES = [
    # 48 hours, not counting Sundays, Christmas Day, Good Friday and bank holidays
    ("dvpo-hearing", "2026-06-12T14:00", "2026-06-15T14:00:00+01:00"),  # Fri: Sat counts, Sun not
    ("dvpo-hearing", "2026-12-24T10:00", "2026-12-29T10:00:00+00:00"),  # 14 Thu + 24 Sat + 10 Tue
    ("dvpo-hearing", "2026-12-24T14:00", "2026-12-29T14:00:00+00:00"),
    ("dvpo-hearing", "2026-04-02T12:00", "2026-04-07T12:00:00+01:00"),  # 12 Thu + 24 Sat + 12 Tue
    ("dvpo-hearing", "2026-06-14T15:00", "2026-06-17T00:00:00+01:00"),  # served Sun: runs Mon and Tue
    ("dvpo-hearing", "2027-12-24T09:00", "2027-12-30T09:00:00+00:00"),  # 15 Fri + 24 Wed + 9 Thu
    ("dapo-hearing", "2027-03-25T18:00", "2027-03-30T18:00:00+01:00"),  # 6 Thu + 24 Sat + 18 Tue
    ("dapo-hearing", "2026-03-28T12:00", "2026-03-31T12:00:00+01:00"),  # Sun of the clock change skipped
    # 72 elapsed hours across the clock changes
    ("rhi", "2026-03-28T12:00", "2026-03-31T13:00:00+01:00"),
    ("rhi", "2026-10-24T12:00", "2026-10-27T11:00:00+00:00"),
    ("rhi", "2026-12-24T10:00", "2026-12-27T10:00:00+00:00"),  # no exclusions
    ("rhi", "2026-03-29T01:30", "2026-04-01T02:30:00+01:00"),  # 01:30 does not exist: read as 02:30
    # working days
    ("referral-decision", "2026-12-24T15:00", "2026-12-29T15:00:00+00:00"),  # Fri 25 and Mon 28 off
    ("referral-decision", "2026-06-12T15:00", "2026-06-15T15:00:00+01:00"),
    ("referral-decision", "2026-06-13T11:00", "2026-06-16T00:00:00+01:00"),  # Sat: end of Monday
    ("referral-decision", "2026-04-02T10:00", "2026-04-07T10:00:00+01:00"),  # Easter
    ("referral-decision", "2027-12-23T09:00", "2027-12-24T09:00:00+00:00"),
    ("referral-decision", "2027-12-24T16:00", "2027-12-29T16:00:00+00:00"),  # Mon 27, Tue 28 off
    ("referral-decision", "2026-03-27T10:00", "2026-03-30T10:00:00+01:00"),  # Fri GMT to Mon BST
    ("assessment", "2026-06-01T10:00", "2026-08-03T10:00:00+01:00"),
    ("assessment", "2026-12-07T10:00", "2027-02-11T10:00:00+00:00"),  # 3 bank holidays on the way
    ("icpc", "2027-03-17T14:00", "2027-04-09T14:00:00+01:00"),  # across Easter 2027
    ("cspr-notification", "2026-04-04T10:00", "2026-04-14T00:00:00+01:00"),  # Easter Sat: from Tue 7
    ("nrm-reasonable-grounds", "2026-06-13T10:00", "2026-06-20T00:00:00+01:00"),  # Sat: end of Fri 19
    ("rapid-review", "2026-12-21T09:30", "2027-01-14T09:30:00+00:00"),
    # calendar days and months
    ("dvds", "2026-12-24T10:00", "2027-01-21T10:00:00+00:00"),
    ("dvds", "2026-03-20T10:00", "2026-04-17T10:00:00+01:00"),  # same wall-clock time across BST
    ("lcspr-publication", "2026-08-31T10:00", "2027-02-28T10:00:00+00:00"),
    ("lcspr-publication", "2027-08-31T10:00", "2028-02-29T10:00:00+00:00"),  # leap year
    ("lcspr-publication", "2026-04-30T09:00", "2026-10-30T09:00:00+00:00"),
    # next school day start (08:30)
    ("encompass", "2026-06-15T02:00", "2026-06-15T08:30:00+01:00"),  # Mon night: same morning
    ("encompass", "2026-06-15T08:29", "2026-06-15T08:30:00+01:00"),
    ("encompass", "2026-06-15T08:30", "2026-06-16T08:30:00+01:00"),  # the day has started
    ("encompass", "2026-06-15T10:00", "2026-06-16T08:30:00+01:00"),
    ("encompass", "2026-06-12T19:00", "2026-06-15T08:30:00+01:00"),  # Fri evening: Monday
    ("encompass", "2026-05-01T19:00", "2026-05-05T08:30:00+01:00"),  # Mon 4 May bank holiday
    ("encompass", "2026-12-24T20:00", "2026-12-29T08:30:00+00:00"),  # Christmas Eve evening
    ("encompass", "2026-04-02T21:00", "2026-04-07T08:30:00+01:00"),  # Easter
    ("encompass", "2026-03-28T22:00", "2026-03-30T08:30:00+01:00"),  # clocks go forward on Sunday
    # working hours, 09:00 to 17:00
    ("mash-red", "2026-06-12T16:00", "2026-06-15T12:00:00+01:00"),  # 1 Fri + 3 Mon
    ("mash-red", "2026-06-15T07:00", "2026-06-15T13:00:00+01:00"),  # before hours: from 09:00
    ("mash-red", "2026-06-15T18:00", "2026-06-16T13:00:00+01:00"),  # after hours: next 09:00
    ("mash-red", "2026-06-15T13:00", "2026-06-15T17:00:00+01:00"),  # runs out exactly at close
    ("mash-red", "2026-06-13T12:00", "2026-06-15T13:00:00+01:00"),  # Saturday
    ("mash-red", "2026-12-24T15:00", "2026-12-29T11:00:00+00:00"),  # 2 Thu + 2 Tue
    ("mash-red", "2026-04-02T14:30", "2026-04-07T10:30:00+01:00"),  # 2.5 Thu + 1.5 Tue
    ("mash-amber", "2026-12-23T10:00", "2026-12-30T10:00:00+00:00"),  # 7 + 8 + 8 + 1
    ("mash-green", "2026-06-15T09:00", "2026-06-25T17:00:00+01:00"),  # 9 working days of 8 hours
]


@pytest.mark.parametrize(("clock_id", "start", "expected"), DUE_CASES)
def test_due_date_time(clock_id, start, expected):
    result = due(clock_id, datetime.fromisoformat(start))
    assert result.isoformat() == expected
    assert result.tzinfo == LONDON


def test_an_aware_start_is_converted_to_london_first():
    served = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
    assert due("dvpo-hearing", served) == due("dvpo-hearing", datetime(2026, 12, 24, 10, 0))
    summer = datetime(2026, 6, 12, 13, 0, tzinfo=UTC)  # 14:00 BST on a Friday
    assert due("dvpo-hearing", summer).isoformat() == "2026-06-15T14:00:00+01:00"


HOURS_NOT_SATURDAY = Clock(
    id="test-hours",
    title="Test",
    amount=24,
    unit="hours",
    rule="",
    source="test",
    mark="U",
    excluded_days=frozenset({"saturday"}),
)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-28T10:00", "2026-03-30T01:00:00+01:00"),  # Sunday 29 March has 23 hours
        ("2026-10-24T10:00", "2026-10-25T23:00:00+00:00"),  # Sunday 25 October has 25 hours
    ],
)
def test_hours_count_real_time_on_the_day_the_clocks_change(start, expected):
    assert due(HOURS_NOT_SATURDAY, datetime.fromisoformat(start)).isoformat() == expected


def test_a_local_closure_stops_working_day_and_school_day_clocks():
    inset_monday = frozenset({date(2026, 6, 15)})
    referral = replace(get_clock("referral-decision"), closures=inset_monday)
    encompass = replace(get_clock("encompass"), closures=inset_monday)
    mash = replace(get_clock("mash-red"), closures=inset_monday)
    assert due(referral, datetime(2026, 6, 12, 15)).isoformat() == "2026-06-16T15:00:00+01:00"
    assert due(encompass, datetime(2026, 6, 12, 19)).isoformat() == "2026-06-16T08:30:00+01:00"
    assert due(mash, datetime(2026, 6, 12, 16)).isoformat() == "2026-06-16T12:00:00+01:00"


def test_working_hours_follow_the_clock_day_start_and_end():
    early = replace(get_clock("mash-red"), day_start=time(8, 0), day_end=time(18, 0))
    assert due(early, datetime(2026, 6, 12, 16)).isoformat() == "2026-06-15T10:00:00+01:00"


def test_the_nth_school_day_start():
    second = replace(get_clock("encompass"), amount=2)
    assert due(second, datetime(2026, 6, 12, 19)).isoformat() == "2026-06-16T08:30:00+01:00"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-06-12T15:00", "2026-06-15T15:00", 1),
        ("2026-06-12T15:00", "2026-06-15T14:59", 0),
        ("2026-06-13T11:00", "2026-06-16T00:00", 1),  # Saturday to the end of Monday
        ("2026-12-24T15:00", "2026-12-29T15:00", 1),
        ("2026-12-07T10:00", "2027-02-11T10:00", 45),
        ("2026-12-07T10:00", "2027-02-11T09:59", 44),
        ("2026-06-15T15:00", "2026-06-12T15:00", -1),
        ("2026-06-15T15:00", "2026-06-15T16:00", 0),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(datetime.fromisoformat(start), datetime.fromisoformat(end)) == expected


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    amount=st.integers(min_value=1, max_value=50),
)
def test_working_days_between_agrees_with_due(start, amount):
    clock = replace(get_clock("assessment"), amount=amount)
    deadline = due(clock, start)
    assert working_days_between(start, deadline) == amount
    assert working_days_between(start, deadline - timedelta(minutes=1)) == amount - 1


REQUIRED = {
    "referral-decision": (1, "working_days"),
    "assessment": (45, "working_days"),
    "icpc": (15, "working_days"),
    "cspr-notification": (5, "working_days"),
    "rapid-review": (15, "working_days"),
    "lcspr-publication": (6, "calendar_months"),
    "nrm-reasonable-grounds": (5, "working_days"),
    "rhi": (72, "hours"),
    "dvpo-hearing": (48, "hours"),
    "dapo-hearing": (48, "hours"),
    "dvds": (28, "calendar_days"),
    "encompass": (1, "next_school_day_start"),
    "mash-red": (4, "working_hours"),
    "mash-amber": (24, "working_hours"),
    "mash-green": (72, "working_hours"),
}


def test_the_catalogue_has_every_required_clock_with_its_default():
    assert {cid: (c.amount, c.unit) for cid, c in CLOCKS.items()} == REQUIRED


@pytest.mark.parametrize("clock_id", sorted(REQUIRED))
def test_every_clock_has_a_rule_a_source_and_a_mark(clock_id):
    clock = CLOCKS[clock_id]
    assert clock.id == clock_id
    assert clock.mark in {"V", "S", "U"}
    assert clock.source and clock.title
    assert clock.rule.startswith(f"Due {clock.amount} ") or clock.rule.startswith("Due by ")


def test_hearing_clocks_disregard_the_statutory_days():
    for clock_id in ("dvpo-hearing", "dapo-hearing"):
        clock = CLOCKS[clock_id]
        assert clock.excluded_days == {"sunday", "christmas_day", "good_friday", "bank_holidays"}
        assert "Sundays, Christmas Day, Good Friday or bank holidays" in clock.rule
    assert "s.27(3)" in CLOCKS["dvpo-hearing"].source
    assert "s.29(3)" in CLOCKS["dapo-hearing"].source
    assert CLOCKS["rhi"].excluded_days == frozenset()


def test_mash_clocks_are_marked_as_local_settings():
    for clock_id in ("mash-red", "mash-amber", "mash-green"):
        assert CLOCKS[clock_id].mark == "S"
        assert "Local partnership setting (Surrey" in CLOCKS[clock_id].source


def test_encompass_counts_from_half_past_eight():
    assert CLOCKS["encompass"].day_start == time(8, 30)


def test_an_unknown_clock_names_itself_and_lists_the_known_ones():
    with pytest.raises(UnknownClock) as caught:
        get_clock("dvpo")
    message = str(caught.value)
    assert message.startswith("Unknown clock 'dvpo'. Known clocks: ")
    assert "dvpo-hearing" in message and "referral-decision" in message
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, KeyError)
    with pytest.raises(UnknownClock):
        due("nope", datetime(2026, 1, 5, 9))


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"unit": "fortnights"}, "unit must be one of"),
        ({"amount": 0}, "amount must be at least 1"),
        ({"mark": "X"}, "mark must be V, S or U"),
        ({"excluded_days": frozenset({"monday"})}, "unknown excluded days"),
        ({"unit": "working_days", "excluded_days": frozenset({"sunday"})}, "apply only to the unit 'hours'"),
        (
            {
                "unit": "working_hours",
                "excluded_days": frozenset(),
                "day_start": time(17),
                "day_end": time(9),
            },
            "day_start must be before",
        ),
    ],
)
def test_a_malformed_clock_is_refused(changes, complaint):
    with pytest.raises(ValueError, match=complaint):
        replace(HOURS_NOT_SATURDAY, **changes)
