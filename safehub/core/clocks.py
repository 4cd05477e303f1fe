"""The statutory clock engine: when is something due? Pure functions, no ORM and no request.

Every clock is counted in Europe/London. A naive start is read as London wall-clock time (a time
that does not exist because the clocks went forward moves on by an hour; an ambiguous one is the
first occurrence), and every result is an aware datetime in Europe/London.

Units (the `rule` of each clock says the same in one sentence):

- ``calendar_days``: the same wall-clock time N days later.
- ``calendar_months``: N months later with dateutil's relativedelta, so 31 August + 6 months is
  the last day of February.
- ``hours``: N elapsed hours (real time, so across a clock change an hour more or less of wall
  time), except that whole local calendar days named in ``excluded_days`` are not counted: the
  clock stops at 00:00 of an excluded day and restarts at 00:00 of the next counted day.
- ``working_days``: working days are Monday to Friday that are not bank holidays in England and
  Wales or local closures. Due at the same time of day N working days later. A start on a
  non-working day counts from 00:00 of the next working day, and a clock that starts at 00:00
  ends at 24:00 of its Nth working day, shown as 00:00 of the next calendar day (a Saturday
  referral with 1 working day is due Tuesday 00:00, the end of Monday).
- ``working_hours``: only time between ``day_start`` and ``day_end`` on working days counts; a
  start outside those hours counts from the next ``day_start``. A clock that runs out exactly at
  ``day_end`` is due at ``day_end`` (not at the next morning).
- ``next_school_day_start``: due at ``day_start`` of the Nth school day (Monday to Friday, not a
  bank holiday, not a closure) that begins strictly after the start. School holidays are not
  known to the engine: a partnership records them as closures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Literal, assert_never, get_args
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from collections.abc import Iterable

LONDON = ZoneInfo("Europe/London")

Unit = Literal[
    "calendar_days", "calendar_months", "hours", "working_days", "working_hours", "next_school_day_start"
]
UNITS: tuple[str, ...] = get_args(Unit)
MARKS = frozenset({"V", "S", "U"})
EXCLUDABLE_DAYS = ("sunday", "saturday", "christmas_day", "good_friday", "bank_holidays")

_ONE_DAY = timedelta(days=1)
_MICROSECONDS_PER_DAY = 86_400 * 1_000_000
_EXCLUDED_LABELS = {
    "sunday": "Sundays",
    "saturday": "Saturdays",
    "christmas_day": "Christmas Day",
    "good_friday": "Good Friday",
    "bank_holidays": "bank holidays in England and Wales",
}
_UNIT_NAMES = {
    "calendar_days": ("calendar day", "calendar days"),
    "calendar_months": ("calendar month", "calendar months"),
    "hours": ("hour", "hours"),
    "working_days": ("working day", "working days"),
    "working_hours": ("working hour", "working hours"),
    "next_school_day_start": ("school day start", "school day starts"),
}


@dataclass(frozen=True)
class Clock:
    """One timescale: how much, counted how, and where the figure comes from."""

    id: str
    title: str
    amount: int
    unit: Unit
    rule: str
    source: str
    mark: str
    excluded_days: frozenset[str] = frozenset()
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    closures: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Clock {self.id}: unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if self.amount < 1:
            raise ValueError(f"Clock {self.id}: amount must be at least 1, not {self.amount}")
        if self.mark not in MARKS:
            raise ValueError(f"Clock {self.id}: mark must be V, S or U, not {self.mark!r}")
        unknown = self.excluded_days - set(EXCLUDABLE_DAYS)
        if unknown:
            raise ValueError(f"Clock {self.id}: unknown excluded days {sorted(unknown)}")
        if self.excluded_days and self.unit != "hours":
            raise ValueError(f"Clock {self.id}: excluded_days apply only to the unit 'hours'")
        if self.unit == "working_hours" and self.day_start >= self.day_end:
            raise ValueError(f"Clock {self.id}: day_start must be before day_end")

    @property
    def amount_and_unit(self) -> str:
        """'1 working day', '48 hours': for lists and tables."""
        return amount_phrase(self.amount, self.unit)


class UnknownClock(ValueError, KeyError):
    """No clock has this id. Also a KeyError, so it reads like a failed lookup."""

    def __init__(self, clock_id: str, known: Iterable[str]) -> None:
        self.clock_id = clock_id
        self.known = sorted(known)
        super().__init__(f"Unknown clock {clock_id!r}. Known clocks: {', '.join(self.known)}")

    def __str__(self) -> str:
        return str(self.args[0])


if TYPE_CHECKING:
    CLOCKS: dict[str, Clock]
else:

    def __getattr__(name):
        # CLOCKS lives in clock_catalogue, which needs Clock from here: import it on first use.
        if name == "CLOCKS":
            return _catalogue()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _catalogue() -> dict[str, Clock]:
    from safehub.core.clock_catalogue import CLOCKS

    return CLOCKS


def get_clock(clock_id: str) -> Clock:
    """The default clock with this id; UnknownClock (a ValueError) lists the valid ids."""
    catalogue = _catalogue()
    try:
        return catalogue[clock_id]
    except KeyError:
        raise UnknownClock(clock_id, catalogue) from None


# --- Calendars -------------------------------------------------------------------------------


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # The holidays package also lists the date itself when Christmas, Boxing Day or New Year's Day
    # falls at a weekend; that weekend day is replaced by the weekday substitute (gov.uk lists only
    # the substitute), so only weekday dates are bank holidays here.
    calendar = holidays.UK(subdiv="ENG", years=year)
    return frozenset(day for day in calendar if day.weekday() < 5)


def is_bank_holiday(d: date) -> bool:
    """An England and Wales bank holiday, substitute days included (cached per year)."""
    return d in _bank_holidays(d.year)


def is_good_friday(d: date) -> bool:
    return d == easter(d.year) - timedelta(days=2)


def is_working_day(d: date, closures: frozenset[date] = frozenset()) -> bool:
    """Monday to Friday, not a bank holiday in England and Wales, not a local closure."""
    return d.weekday() < 5 and d not in closures and not is_bank_holiday(d)


def is_excluded_day(d: date, excluded_days: frozenset[str]) -> bool:
    """Whether an `hours` clock with these excluded_days stops for the whole of day d."""
    return (
        ("sunday" in excluded_days and d.weekday() == 6)
        or ("saturday" in excluded_days and d.weekday() == 5)
        or ("christmas_day" in excluded_days and (d.month, d.day) == (12, 25))
        or ("good_friday" in excluded_days and is_good_friday(d))
        or ("bank_holidays" in excluded_days and is_bank_holiday(d))
    )


def _next_working_day(d: date, closures: frozenset[date]) -> date:
    d += _ONE_DAY
    while not is_working_day(d, closures):
        d += _ONE_DAY
    return d


def _previous_working_day(d: date, closures: frozenset[date]) -> date:
    d -= _ONE_DAY
    while not is_working_day(d, closures):
        d -= _ONE_DAY
    return d


# --- Time zone helpers (arithmetic in UTC, answers in London) ---------------------------------


def to_london(moment: datetime) -> datetime:
    """An aware Europe/London datetime; a naive one is read as London wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(UTC).astimezone(LONDON)


def _local(d: date, at: time) -> datetime:
    """London wall-clock time `at` on day d, as an aware UTC datetime."""
    return datetime.combine(d, at, tzinfo=LONDON).astimezone(UTC)


def _local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


# --- The engine ------------------------------------------------------------------------------


def due(clock: Clock | str, start: datetime) -> datetime:
    """When a clock that starts at `start` runs out (aware, Europe/London). See the module doc."""
    if isinstance(clock, str):
        clock = get_clock(clock)
    begin = to_london(start)
    n = clock.amount
    unit = clock.unit
    if unit == "calendar_days":
        return to_london(begin.replace(tzinfo=None) + timedelta(days=n))
    if unit == "calendar_months":
        return to_london(begin.replace(tzinfo=None) + relativedelta(months=n))
    if unit == "hours":
        result = _due_hours(begin.astimezone(UTC), n, clock.excluded_days)
    elif unit == "working_days":
        return _due_working_days(begin, n, clock.closures)
    elif unit == "working_hours":
        result = _due_working_hours(begin.astimezone(UTC), n, clock.day_start, clock.day_end, clock.closures)
    elif unit == "next_school_day_start":
        result = _due_school_day_start(begin.astimezone(UTC), n, clock.day_start, clock.closures)
    else:
        assert_never(unit)
    return result.astimezone(LONDON)


def _due_hours(begin: datetime, hours: int, excluded_days: frozenset[str]) -> datetime:
    remaining = timedelta(hours=hours)
    if not excluded_days:
        return begin + remaining
    day, cursor = _local_date(begin), begin
    while True:
        next_midnight = _local(day + _ONE_DAY, time(0))
        if not is_excluded_day(day, excluded_days):
            available = next_midnight - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        day, cursor = day + _ONE_DAY, next_midnight


def _due_working_days(begin: datetime, days: int, closures: frozenset[date]) -> datetime:
    first, time_of_day = begin.date(), begin.time()
    if not is_working_day(first, closures):
        first, time_of_day = _next_working_day(first, closures), time(0)
    last = first
    for _ in range(days):
        last = _next_working_day(last, closures)
    if time_of_day == time(0):
        # Runs to the end of the Nth working day: 00:00 of the calendar day after it.
        end_of = _previous_working_day(last, closures)
        return to_london(datetime.combine(end_of + _ONE_DAY, time(0)))
    return to_london(datetime.combine(last, time_of_day))


def _due_working_hours(
    begin: datetime, hours: int, day_start: time, day_end: time, closures: frozenset[date]
) -> datetime:
    remaining = timedelta(hours=hours)
    day = _local_date(begin)
    while True:
        if is_working_day(day, closures):
            opens, closes = max(begin, _local(day, day_start)), _local(day, day_end)
            if opens < closes:
                available = closes - opens
                if remaining <= available:
                    return opens + remaining
                remaining -= available
        day += _ONE_DAY


def _due_school_day_start(begin: datetime, nth: int, day_start: time, closures: frozenset[date]) -> datetime:
    day, counted = _local_date(begin), 0
    while True:
        if is_working_day(day, closures):
            opening = _local(day, day_start)
            if opening > begin:
                counted += 1
                if counted == nth:
                    return opening
        day += _ONE_DAY


def working_days_between(start: datetime, end: datetime, closures: frozenset[date] = frozenset()) -> int:
    """Whole working days elapsed from start to end (negative when end is before start).

    It agrees with `due`: for a working_days clock of N, working_days_between(start, due) == N and
    any earlier end gives less. Time on a non-working day does not count, so Saturday to Tuesday
    00:00 is 1 (the whole of Monday). For "was it on time?" compare with `due` directly.
    """
    a, b = to_london(start), to_london(end)
    if b < a:
        return -working_days_between(b, a, closures)
    elapsed = _working_position(a.date(), b, closures) - _working_position(a.date(), a, closures)
    return elapsed // _MICROSECONDS_PER_DAY


def _working_position(origin: date, moment: datetime, closures: frozenset[date]) -> int:
    """Microseconds of working time from 00:00 on origin to moment (moment on or after origin)."""
    whole_days = sum(1 for d in _days(origin, moment.date()) if is_working_day(d, closures))
    position = whole_days * _MICROSECONDS_PER_DAY
    if is_working_day(moment.date(), closures):
        wall = moment.time()
        position += ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond
    return position


def _days(first: date, stop: date) -> Iterable[date]:
    """Every date from first up to, not including, stop."""
    day = first
    while day < stop:
        yield day
        day += _ONE_DAY


# --- Plain-English rules ---------------------------------------------------------------------


def amount_phrase(amount: int, unit: Unit) -> str:
    singular, plural = _UNIT_NAMES[unit]
    return f"{amount} {singular if amount == 1 else plural}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _clock_time(t: time) -> str:
    return t.strftime("%H:%M")


def rule_sentence(clock: Clock, starts: str) -> str:
    """One sentence saying how `clock` is counted from the event `starts` ("the DVPN is served")."""
    n, amount = clock.amount, amount_phrase(clock.amount, clock.unit)
    calendar = "Monday to Friday, not bank holidays in England and Wales or local closures"
    unit = clock.unit
    if unit == "calendar_days":
        return f"Due {amount} after {starts}, at the same time of day."
    if unit == "calendar_months":
        return (
            f"Due {amount} after {starts}, at the same time of day; a date the month lacks becomes its "
            "last day (31 August + 6 months is the end of February)."
        )
    if unit == "hours":
        if not clock.excluded_days:
            return f"Due {amount} after {starts}, counting every hour in real time (clock changes included)."
        labels = [_EXCLUDED_LABELS[name] for name in EXCLUDABLE_DAYS if name in clock.excluded_days]
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        return (
            f"Due {amount} after {starts}, not counting {listed}: the clock stops from 00:00 to 24:00 "
            "on those days."
        )
    if unit == "working_days":
        return (
            f"Due {amount} after {starts}, at the same time of day ({calendar}); a start on a "
            "non-working day counts from 00:00 of the next working day."
        )
    if unit == "working_hours":
        opens, closes = _clock_time(clock.day_start), _clock_time(clock.day_end)
        return (
            f"Due {amount} after {starts}, counting only {opens} to {closes} on working days ({calendar}); "
            f"a start outside those hours counts from the next {opens}."
        )
    if unit == "next_school_day_start":
        which = "next school day" if n == 1 else f"{_ordinal(n)} school day"
        return (
            f"Due by {_clock_time(clock.day_start)} on the {which} that starts after {starts} "
            "(school days are Monday to Friday, not bank holidays or local closures)."
        )
    assert_never(unit)
