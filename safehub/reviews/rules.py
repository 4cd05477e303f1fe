"""Pure rules of a child safeguarding practice review: its three clocks, its stage, what is due
next and whether it is overdue. Plain values in, plain values out (no ORM, no request); the
clocks come from `safehub.core.clocks` (the partnership's effective clock is passed in).

- `cspr-notification`: 5 working days from the partnership learning of the incident;
- `rapid-review`: 15 working days from the notification being sent;
- `lcspr-publication`: 6 calendar months from the start of the local review.
A step done on its due day is on time; a deadline is overdue only once its due moment has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from safehub.core import clocks
from safehub.core.clocks import Clock

LONDON = ZoneInfo("Europe/London")
NOTIFICATION_CLOCK = "cspr-notification"
RAPID_REVIEW_CLOCK = "rapid-review"
PUBLICATION_CLOCK = "lcspr-publication"


def notification_due(clock: Clock | str, learned_at: datetime) -> datetime:
    return clocks.due(clock, learned_at)


def rapid_review_due(clock: Clock | str, notified_at: datetime) -> datetime:
    return clocks.due(clock, notified_at)


def publication_due(clock: Clock | str, started_on: date) -> datetime:
    """6 months from the start of the review (counted from the start of that day, London)."""
    return clocks.due(clock, datetime.combine(started_on, time(0), tzinfo=LONDON))


def on_time(done: datetime | date, due_at: datetime) -> bool:
    """A step done by its due moment (a date: on or before the due day) is on time."""
    if isinstance(done, datetime):
        return done <= due_at
    return done <= due_at.astimezone(LONDON).date()


@dataclass(frozen=True)
class Facts:
    """What a review has recorded so far (from the model, or a test)."""

    notification_due_at: datetime
    notified_at: datetime | None = None
    rapid_review_due_at: datetime | None = None
    rapid_review_on: date | None = None
    decision: str = ""
    lcspr_started_on: date | None = None
    publication_due_at: datetime | None = None
    published_on: date | None = None


def stage(facts: Facts) -> str:
    if facts.notified_at is None:
        return "notification"
    if facts.rapid_review_on is None:
        return "rapid_review"
    if not facts.decision:
        return "decision"
    if facts.decision != "local_review":
        return "closed"
    if facts.published_on is None:
        return "lcspr"
    return "published"


@dataclass(frozen=True)
class Deadline:
    label: str
    due_at: datetime
    overdue: bool


def next_deadline(facts: Facts, now: datetime) -> Deadline | None:
    """The clock the review is running against now, if any, and whether it has run out.

    The decision on a local review is due at the rapid review (the rapid review decides it), so a
    review waiting for its decision is overdue once the rapid review clock has run out."""
    current = stage(facts)
    if current == "notification":
        due_at, label = facts.notification_due_at, "Notify the national panel"
    elif current in ("rapid_review", "decision") and facts.rapid_review_due_at is not None:
        due_at = facts.rapid_review_due_at
        label = "Hold the rapid review" if current == "rapid_review" else "Decide on a local review"
    elif current == "lcspr" and facts.publication_due_at is not None:
        due_at, label = facts.publication_due_at, "Publish the local review"
    else:
        return None
    return Deadline(label, due_at, now > due_at)


def step_date_errors(
    *, earliest: date | datetime, value: date | datetime, today: date | datetime, field: str, after: str
) -> dict[str, str]:
    """A step's date must be no earlier than the step before it and not in the future."""
    if value > today:
        return {field: "The date cannot be in the future"}
    if value < earliest:
        return {field: f"The date must be on or after {after}"}
    return {}
