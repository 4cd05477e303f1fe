"""Pure rules, table-driven: the hearing and DVDS clocks at their boundaries, DVPO durations, the
difference of proportions against hand-computed intervals, the stratified draw, the pseudonymiser."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from safehub.core.clocks import get_clock
from safehub.protection import rules

LONDON = ZoneInfo("Europe/London")


def at(*parts):
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("clock_id", "served", "expected"),
    [
        # A Tuesday: 48 elapsed hours, nothing excluded.
        ("dvpo-hearing", at(2026, 3, 10, 10, 0), at(2026, 3, 12, 10, 0)),
        # Friday 10:00: Saturday counts, Sunday does not -> Monday 10:00.
        ("dvpo-hearing", at(2026, 3, 13, 10, 0), at(2026, 3, 16, 10, 0)),
        # Saturday 23:59: one minute of Saturday, Sunday skipped, Monday and Tuesday 23:59.
        ("dvpo-hearing", at(2026, 3, 14, 23, 59), at(2026, 3, 17, 23, 59)),
        # Served on a Sunday: counting starts at Monday 00:00, so 48 hours end at Wednesday 00:00.
        ("dvpo-hearing", at(2026, 3, 15, 9, 0), at(2026, 3, 18, 0, 0)),
        # Christmas Eve 2026 (Thursday) 10:00: Christmas Day and Boxing Day's Monday substitute skipped.
        ("dvpo-hearing", at(2026, 12, 24, 10, 0), at(2026, 12, 29, 10, 0)),
        # Maundy Thursday 2026 (2 April) 12:00: Good Friday, Easter Sunday and Monday skipped.
        ("dapo-hearing", at(2026, 4, 2, 12, 0), at(2026, 4, 7, 12, 0)),
        # DAPN given Friday before the late May bank holiday (25 May 2026).
        ("dapo-hearing", at(2026, 5, 22, 18, 0), at(2026, 5, 26, 18, 0)),
    ],
)
def test_hearing_clock_boundaries(clock_id, served, expected):
    assert rules.hearing_due(get_clock(clock_id), served) == expected


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2026, 1, 5, 9, 30), at(2026, 2, 2, 9, 30)),
        # 28 calendar days across the clocks going forward keep the wall-clock time.
        (at(2026, 3, 20, 9, 30), at(2026, 4, 17, 9, 30)),
        (at(2026, 12, 10, 16, 0), at(2027, 1, 7, 16, 0)),
    ],
)
def test_dvds_clock_is_28_calendar_days(received, expected):
    assert rules.hearing_due(get_clock("dvds"), received) == expected


@pytest.mark.parametrize(
    ("completed", "now", "expected"),
    [
        (at(2026, 2, 2, 9, 30), at(2026, 3, 1), True),  # exactly at the due time: in time
        (at(2026, 2, 2, 9, 31), at(2026, 3, 1), False),  # a minute late
        (None, at(2026, 2, 2, 9, 30), None),  # open, at the due time: not yet late
        (None, at(2026, 2, 2, 9, 31), False),  # open past it: late
    ],
)
def test_within_window_at_the_boundary(completed, now, expected):
    assert rules.within_window(completed, at(2026, 2, 2, 9, 30), now) is expected


@pytest.mark.parametrize(
    ("scheme", "days", "ok"),
    [
        ("dvpo", 13, False),
        ("dvpo", 14, True),
        ("dvpo", 28, True),
        ("dvpo", 29, False),
        ("dvpo", None, False),
        ("dapo", 365, True),
        ("dapo", 0, False),
    ],
)
def test_dvpo_duration_is_14_to_28_days(scheme, days, ok):
    assert (rules.duration_error(scheme, days) == "") is ok


def test_order_expiry_counts_the_day_made():
    assert rules.order_expires_on(date(2026, 3, 1), 14) == date(2026, 3, 14)
    assert rules.order_expires_on(date(2026, 3, 1), 28) == date(2026, 3, 28)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 3, 10), False),
        (date(2026, 3, 11), True),
        (date(2026, 3, 14), True),
        (date(2026, 3, 15), False),
    ],
)
def test_expiry_reminder_window(today, due):
    assert rules.reminder_due(date(2026, 3, 14), today) is due


def test_wald_interval_matches_the_hand_computation():
    # 30/50 with the car against 20/50 without: difference 0.2,
    # se = sqrt(0.6*0.4/50 + 0.4*0.6/50) = sqrt(0.0096) = 0.0979796; z = 1.959964 -> +-0.192037.
    result = rules.difference_ci(30, 50, 20, 50, method="wald")
    assert result.difference == pytest.approx(0.2)
    half = 1.959964 * math.sqrt(0.0096)
    assert result.low == pytest.approx(0.2 - half, abs=1e-5)
    assert result.high == pytest.approx(0.2 + half, abs=1e-5)
    assert result.low == pytest.approx(0.00796, abs=1e-4)
    assert result.high == pytest.approx(0.39204, abs=1e-4)
    assert result.significant is True


def test_newcombe_interval_matches_newcombe_1998_worked_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (56/70 vs 48/80), method 10:
    # difference 0.2000, 95% interval 0.0524 to 0.3339.
    result = rules.difference_ci(56, 70, 48, 80)
    assert result.difference == pytest.approx(0.2)
    assert result.low == pytest.approx(0.0524, abs=5e-4)
    assert result.high == pytest.approx(0.3339, abs=5e-4)


def test_an_interval_that_spans_zero_is_not_significant_and_empty_groups_give_none():
    assert rules.difference_ci(5, 20, 4, 20).significant is False
    empty = rules.difference_ci(3, 10, 0, 0)
    assert empty.difference is None and empty.low is None and empty.rate_with == pytest.approx(0.3)


def test_allocation_is_proportional_with_largest_remainders():
    assert rules.allocate({"leeds": 50, "bradford": 30, "wakefield": 20}, 10) == {
        "leeds": 5,
        "bradford": 3,
        "wakefield": 2,
    }
    # 7 * (5, 3, 2)/10 = 3.5, 2.1, 1.4 -> 3, 2, 1 and the one left goes to the largest remainder (leeds).
    assert rules.allocate({"leeds": 5, "bradford": 3, "wakefield": 2}, 7) == {
        "leeds": 4,
        "bradford": 2,
        "wakefield": 1,
    }


def test_a_sample_larger_than_the_eligible_cases_is_refused():
    with pytest.raises(rules.SampleError, match="larger than the 3 eligible"):
        rules.allocate({"leeds": 2, "bradford": 1}, 4)


def test_the_draw_is_reproducible_whatever_the_input_order_and_honours_strata():
    eligible = [(f"id-{i:03d}", "leeds" if i % 3 else "bradford") for i in range(60)]
    first = rules.draw_sample(eligible, 12, seed=42)
    again = rules.draw_sample(list(reversed(eligible)), 12, seed=42)
    assert first == again
    assert sum(1 for _, s in first if s == "leeds") == 8 and sum(1 for _, s in first if s == "bradford") == 4
    assert rules.draw_sample(eligible, 12, seed=43) != first
    assert len({item for item, _ in first}) == 12


def test_pseudonymiser_replaces_names_consistently_and_scrubs_identifiers():
    names = rules.Pseudonymiser()
    assert names.add("p1", "Victim", ["Rosalind", "Testvictim", "Rosalind Testvictim"]) == "Victim A"
    assert names.add("p2", "Suspect", ["Gareth", "Testsuspect"]) == "Suspect B"
    assert names.add("p1", "Victim", ["Ros"]) == "Victim A"
    text = names.text(
        "Rosalind Testvictim said GARETH hit her. Gareth's phone 07700 900123, NHS 943 476 5919, "
        "rosalind@example.com, LS1 4AB, ref C-1A2B3C4D, on 12/03/2026 and 5 March 2026 at 10:00."
    )
    for word in (
        "Rosalind",
        "Testvictim",
        "Gareth",
        "07700",
        "943 476",
        "example.com",
        "LS1",
        "1A2B3C4D",
        "2026",
    ):
        assert word.lower() not in text.lower()
    assert text.startswith("Victim A said Suspect B hit her. Suspect B's phone")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(date(2026, 3, 10), "Day 0"), (date(2026, 3, 13), "Day +3"), (date(2026, 1, 29), "Day -40")],
)
def test_relative_days(moment, expected):
    assert rules.relative_day(moment, date(2026, 3, 10)) == expected


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        ("received", ["initial_contact", "checks", "face_to_face", "decision"]),
        ("face_to_face", ["decision"]),
        ("decision", ["disclosed", "not_disclosed"]),
        ("disclosed", []),
    ],
)
def test_disclosure_stage_transitions(stage, allowed):
    assert rules.next_stages(stage) == allowed
