"""The three clocks of a practice review at their boundaries, across bank holidays (England and
Wales), and the stage and next deadline of a review. Pure: no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safehub.core.clocks import get_clock
from safehub.reviews import rules

LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("learned_at", "due_at", "why"),
    [
        # Thursday before Easter 2027: Good Friday 26 March and Easter Monday 29 March do not count.
        (at(2027, 3, 25, 10, 0), at(2027, 4, 5, 10, 0), "Easter"),
        # Learned on Good Friday itself: counting starts on Tuesday 30 March at 00:00.
        (at(2027, 3, 26, 10, 0), at(2027, 4, 6, 0, 0), "Good Friday"),
        # 23 December 2026 (Wednesday): Christmas Day (Friday), Boxing Day substitute (Monday 28) and
        # New Year's Day (Friday 1 January 2027) do not count.
        (at(2026, 12, 23, 15, 0), at(2027, 1, 4, 15, 0), "Christmas"),
        (at(2026, 12, 24, 9, 0), at(2027, 1, 5, 9, 0), "Christmas Eve"),
        # An ordinary week: Monday to the next Monday, same time.
        (at(2026, 11, 2, 9, 30), at(2026, 11, 9, 9, 30), "ordinary week"),
        # Learned on a Saturday: counting starts Monday, due at the end of the fifth working day.
        (at(2026, 11, 7, 22, 0), at(2026, 11, 14, 0, 0), "weekend"),
        # The Spring bank holiday (Monday 31 May 2027).
        (at(2027, 5, 27, 12, 0), at(2027, 6, 4, 12, 0), "Spring bank holiday"),
    ],
)
def test_notification_clock_is_five_working_days(learned_at, due_at, why):
    assert rules.notification_due(get_clock("cspr-notification"), learned_at) == due_at, why


@pytest.mark.parametrize(
    ("notified_at", "due_at"),
    [
        # Sent on Wednesday 23 December 2026: 15 working days skip 25 and 28 December and 1 January.
        (at(2026, 12, 23, 15, 0), at(2027, 1, 18, 15, 0)),
        # Sent the Thursday before Easter 2027.
        (at(2027, 3, 25, 10, 0), at(2027, 4, 19, 10, 0)),
        # Sent on an ordinary Monday: three weeks later.
        (at(2026, 11, 2, 9, 30), at(2026, 11, 23, 9, 30)),
    ],
)
def test_rapid_review_clock_is_fifteen_working_days_from_the_notification(notified_at, due_at):
    assert rules.rapid_review_due(get_clock("rapid-review"), notified_at) == due_at


@pytest.mark.parametrize(
    ("started_on", "due_on"),
    [
        (date(2026, 6, 1), date(2026, 12, 1)),
        (date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February: the last day of the month
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 6, 24), date(2026, 12, 24)),  # calendar months: holidays do not move it
    ],
)
def test_publication_clock_is_six_calendar_months(started_on, due_on):
    due_at = rules.publication_due(get_clock("lcspr-publication"), started_on)
    assert due_at.astimezone(LONDON).date() == due_on
    assert rules.on_time(due_on, due_at) is True
    assert rules.on_time(due_on + timedelta(days=1), due_at) is False


def test_on_time_at_the_due_moment_and_late_a_minute_after():
    due_at = at(2027, 4, 5, 10, 0)
    assert rules.on_time(due_at, due_at) is True
    assert rules.on_time(due_at + timedelta(minutes=1), due_at) is False


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        ({}, "notification"),
        ({"notified_at": at(2026, 11, 3, 9, 0)}, "rapid_review"),
        ({"notified_at": at(2026, 11, 3, 9, 0), "rapid_review_on": date(2026, 11, 20)}, "decision"),
        (
            {
                "notified_at": at(2026, 11, 3),
                "rapid_review_on": date(2026, 11, 20),
                "decision": "local_review",
            },
            "lcspr",
        ),
        (
            {
                "notified_at": at(2026, 11, 3),
                "rapid_review_on": date(2026, 11, 20),
                "decision": "no_local_review",
            },
            "closed",
        ),
        (
            {
                "notified_at": at(2026, 11, 3),
                "rapid_review_on": date(2026, 11, 20),
                "decision": "local_review",
                "published_on": date(2027, 4, 1),
            },
            "published",
        ),
    ],
)
def test_stage(facts, stage):
    assert rules.stage(rules.Facts(notification_due_at=at(2026, 11, 9), **facts)) == stage


def test_notification_overdue_only_after_its_due_moment():
    facts = rules.Facts(notification_due_at=at(2027, 4, 5, 10, 0))
    assert rules.next_deadline(facts, at(2027, 4, 5, 10, 0)).overdue is False
    late = rules.next_deadline(facts, at(2027, 4, 5, 10, 1))
    assert (late.label, late.overdue) == ("Notify the national panel", True)


def test_decision_runs_against_the_rapid_review_clock_and_publication_against_six_months():
    deciding = rules.Facts(
        notification_due_at=at(2026, 11, 9),
        notified_at=at(2026, 11, 3),
        rapid_review_due_at=at(2026, 11, 24, 9, 0),
        rapid_review_on=date(2026, 11, 20),
    )
    deadline = rules.next_deadline(deciding, at(2026, 11, 25))
    assert (deadline.label, deadline.overdue) == ("Decide on a local review", True)
    publishing = rules.Facts(
        notification_due_at=at(2026, 11, 9),
        notified_at=at(2026, 11, 3),
        rapid_review_on=date(2026, 11, 20),
        decision="local_review",
        lcspr_started_on=date(2026, 12, 1),
        publication_due_at=at(2027, 6, 1),
    )
    assert rules.next_deadline(publishing, at(2027, 5, 31)).label == "Publish the local review"
    assert rules.next_deadline(publishing, at(2027, 6, 1, 0, 1)).overdue is True
    closed = rules.Facts(**{**deciding.__dict__, "decision": "no_local_review"})
    assert rules.next_deadline(closed, at(2027, 1, 1)) is None


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        (date(2026, 11, 10), {}),
        (date(2026, 11, 9), {"held_on": "The date must be on or after the notification"}),
        (date(2026, 12, 3), {"held_on": "The date cannot be in the future"}),
    ],
)
def test_step_dates_not_before_the_previous_step_nor_in_the_future(value, errors):
    found = rules.step_date_errors(
        earliest=date(2026, 11, 10),
        value=value,
        today=date(2026, 12, 2),
        field="held_on",
        after="the notification",
    )
    assert found == errors
