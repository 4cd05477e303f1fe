"""The missing-person rules, table-driven at their boundaries (no database)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safehub.core.clocks import get_clock
from safehub.core.rules import DEFAULT_RULESETS, Event, ruleset_from_dict
from safehub.missing import rules

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("missing_from", "stated", "routing"),
    [
        ("hospital", False, "nhs_trust"),
        ("hospital", True, "police"),
        ("care_home", False, "police"),
        ("home", False, "police"),
        ("school", True, "police"),
        ("other", False, "police"),
    ],
)
def test_hospital_routing_rule(missing_from, stated, routing):
    decision = rules.route_episode(missing_from=missing_from, immediate_risk_stated=stated)
    assert decision.routing == routing
    assert decision.reason


def test_nhs_routing_reason_cites_right_care_right_person():
    decision = rules.route_episode(missing_from="hospital", immediate_risk_stated=False)
    assert "no police deployment" in decision.reason.lower() or "police are not deployed" in decision.reason
    assert "Right Care, Right Person" in decision.reason


def test_rhi_clock_is_72_elapsed_hours_across_a_weekend():
    clock = get_clock("rhi")
    assert (clock.amount, clock.unit, clock.excluded_days) == (72, "hours", frozenset())
    friday = datetime(2026, 3, 6, 18, 0, tzinfo=LONDON)  # Friday 6 March 2026, 18:00
    due = rules.interview_due(clock, friday)
    assert due.astimezone(LONDON) == datetime(2026, 3, 9, 18, 0, tzinfo=LONDON)  # Monday 18:00
    assert due.astimezone(LONDON).strftime("%A") == "Monday"


def test_rhi_clock_counts_real_hours_across_the_clock_change():
    clock = get_clock("rhi")
    friday = datetime(2026, 3, 27, 18, 0, tzinfo=LONDON)  # clocks go forward on Sunday 29 March
    due = rules.interview_due(clock, friday)
    assert due.astimezone(UTC) - friday.astimezone(UTC) == timedelta(hours=72)
    assert due.astimezone(LONDON).hour == 19  # 72 real hours later reads an hour later on the wall


def _episodes(*days_ago, as_of):
    return [Event("missing_episode", as_of - timedelta(days=d), {}, str(i)) for i, d in enumerate(days_ago)]


AS_OF = datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)  # windows are London wall-clock days


@pytest.mark.parametrize(
    ("days_ago", "fires"),
    [
        ((0, 30, 89), True),
        ((0, 30, 90), True),  # exactly 90 days before: inside the window
        ((0, 30, 90.0001), False),  # a moment older: outside
        ((0, 30, 91), False),  # the day after the window
        ((0, 30), False),  # two episodes are not repeat
        ((0, 1, 2, 3), True),
    ],
)
def test_repeat_missing_default_rule_at_its_boundaries(days_ago, fires):
    ruleset = DEFAULT_RULESETS[rules.REPEAT_RULESET]
    fired = rules.repeat_missing(ruleset, _episodes(*days_ago, as_of=AS_OF), AS_OF)
    assert (fired is not None) is fires


def test_repeat_missing_follows_a_partnership_ruleset():
    local = ruleset_from_dict(
        {
            "id": "repeat-missing",
            "version": 2,
            "title": "Repeat missing",
            "rules": [
                {
                    "id": "repeat_missing",
                    "title": "Repeat missing",
                    "kind": "count_in_window",
                    "event_types": ["missing_episode"],
                    "min_count": 2,
                    "window_days": 30,
                }
            ],
        }
    )
    assert rules.repeat_missing(local, _episodes(0, 29, as_of=AS_OF), AS_OF) is not None
    assert rules.repeat_missing(local, _episodes(0, 31, as_of=AS_OF), AS_OF) is None


@pytest.mark.parametrize(
    ("last_seen", "reported", "found", "errors"),
    [
        (9, 10, 12, set()),
        (9, 10, 10, set()),
        (9, 10, 9, {"found_at"}),
        (11, 10, None, {"last_seen_at"}),
        (11, 10, 9, {"last_seen_at", "found_at"}),
    ],
)
def test_episode_time_errors(last_seen, reported, found, errors):
    at = lambda hour: None if hour is None else datetime(2026, 1, 5, hour, tzinfo=UTC)  # noqa: E731
    assert set(rules.episode_time_errors(at(last_seen), at(reported), at(found))) == errors


def test_duration_runs_from_last_seen_to_found():
    seen = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert rules.duration(seen, seen + timedelta(hours=1), seen + timedelta(hours=30)) == timedelta(hours=30)
    assert rules.duration(None, seen, seen + timedelta(hours=2)) == timedelta(hours=2)
    assert rules.duration(seen, seen, None) is None
    assert rules.duration_text(timedelta(hours=30)) == "1 day 6 hours"
    assert rules.duration_text(timedelta(minutes=95)) == "1 hour 35 minutes"


@pytest.mark.parametrize(
    ("dob", "on", "child"),
    [
        (date(2008, 6, 1), date(2026, 5, 31), True),
        (date(2008, 6, 1), date(2026, 6, 1), False),  # 18th birthday
        (None, date(2026, 6, 1), None),
    ],
)
def test_is_child_on(dob, on, child):
    assert rules.is_child_on(dob, on) is child


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("pending", ("offered",)),
        ("offered", ("accepted", "declined", "completed")),
        ("accepted", ("completed", "declined")),
        ("completed", ()),
        ("declined", ()),
    ],
)
def test_interview_transitions(status, allowed):
    assert rules.next_statuses(status) == allowed


def test_interview_overdue_only_while_not_offered():
    due = datetime(2026, 1, 8, 18, tzinfo=UTC)
    assert rules.interview_overdue("pending", due, None, due) is True
    assert rules.interview_overdue("pending", due, None, due - timedelta(seconds=1)) is False
    assert rules.interview_overdue("offered", due, due + timedelta(hours=1), due + timedelta(days=1)) is False
    assert rules.offered_in_time(due, due) is True
    assert rules.offered_in_time(due + timedelta(minutes=1), due) is False


def test_interview_errors_name_each_problem():
    errors = rules.interview_errors(
        status="completed",
        interviewer_name="",
        interviewer_independent=False,
        decline_reason="",
        child_words="",
    )
    assert set(errors) == {"interviewer_name", "interviewer_independent", "child_words"}
    assert set(
        rules.interview_errors(
            status="declined",
            interviewer_name="A",
            interviewer_independent=True,
            decline_reason="",
            child_words="",
        )
    ) == {"decline_reason"}


def test_heat_map_counts_by_london_day_and_hour():
    moments = [
        datetime(2026, 7, 3, 22, 30, tzinfo=UTC),  # Friday 23:30 in London (BST)
        datetime(2026, 7, 3, 22, 10, tzinfo=UTC),
        datetime(2026, 7, 6, 9, 0, tzinfo=UTC),  # Monday 10:00
    ]
    heat = rules.heat_map(moments)
    rows = dict(heat.rows)
    assert rows["Friday"][23] == (2, 4)
    assert rows["Monday"][10] == (1, 2)
    assert rows["Sunday"][0] == (0, 0)
    assert heat.peak == 2 and heat.total == 3


@pytest.mark.parametrize(
    ("count", "peak", "band"), [(0, 5, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (8, 8, 4), (1, 1, 4)]
)
def test_heat_band(count, peak, band):
    assert rules.heat_band(count, peak) == band


def test_photo_must_be_a_real_png_or_jpeg_under_the_limit(png=None):
    import base64

    image = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    assert rules.photo_content_type(image) == "image/png"
    with pytest.raises(rules.PhotoError, match="PNG or JPEG"):
        rules.photo_content_type(b"%PDF-1.4 not an image")
    with pytest.raises(rules.PhotoError, match="PNG or JPEG"):
        rules.photo_content_type(image[:20])  # a truncated PNG
    with pytest.raises(rules.PhotoError, match="smaller than 512 KB"):
        rules.photo_content_type(image + b"\0" * rules.PHOTO_MAX_BYTES)
    with pytest.raises(rules.PhotoError, match="empty"):
        rules.photo_content_type(b"")
