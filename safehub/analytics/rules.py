"""Pure rules for the dashboard's figures: periods, change, rates, suppression, disproportionality.

No ORM or request here; the tests for these need no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from safehub.core.periods import (  # noqa: F401 - part of this module's interface
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    months_between,
)

SMALL_NUMBER_MIN, SMALL_NUMBER_MAX = 1, 4
SUPPRESSED = "[c]"  # ONS convention: "confidential", shown in place of a count of 1 to 4
PER = 1000

POLICEUK_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
POLICEUK_REQUIRED = ("Month", "Falls within", "LSOA code", "Crime type")
HOMEOFFICE_REQUIRED = (
    "Financial_Year",
    "Financial_Quarter",
    "Force_Name",
    "Offence_Description",
    "Offence_Group",
    "Offence_Code",
    "Number_of_Offences",
)
LSOA_PATTERN = re.compile(r"^[EW]0\d{7}$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FY_PATTERN = re.compile(r"^(\d{4})[/-](\d{2})$")


def parse_month(text: str) -> date:
    """'2017-07' → date(2017, 7, 1); ValueError naming what is wrong otherwise."""
    match = MONTH_PATTERN.match((text or "").strip())
    if not match:
        raise ValueError(f"month {text!r} is not YYYY-MM")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1990:
        raise ValueError(f"month {text!r} is not a real month")
    return date(year, month, 1)


def parse_financial_year(text: str) -> int:
    """'2017/18' or '2017-18' → 2017 (the year the financial year starts on 1 April)."""
    match = FY_PATTERN.match((text or "").strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"financial year {text!r} is not like 2017/18")
    return int(match[1])


def quarter_start(fy_start: int, quarter: int) -> date:
    """Financial quarter 1 = April to June of `fy_start` ... 4 = January to March of the next year."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"financial quarter {quarter!r} is not 1 to 4")
    return date(fy_start, 4, 1) + relativedelta(months=3 * (quarter - 1))


def latest_complete_financial_year(last_month_with_data: date, today: date) -> int:
    """The latest financial year that has ended (by `today`) and whose last month has data."""
    year = financial_year_of(today) - 1
    while year > 1990 and date(year + 1, 3, 1) > last_month_with_data:
        year -= 1
    return year


@dataclass(frozen=True)
class Change:
    current: int
    previous: int | None
    difference: int | None
    percent: float | None


def year_on_year(current: int, previous: int | None) -> Change:
    """Change on the same period a year before; percent is None when there is nothing to compare."""
    if previous is None:
        return Change(current, None, None, None)
    difference = current - previous
    percent = round(100 * difference / previous, 1) if previous else None
    return Change(current, previous, difference, percent)


def rate_per_thousand(count: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(PER * count / population, 2)


def is_small(count) -> bool:
    return (
        isinstance(count, int)
        and not isinstance(count, bool)
        and SMALL_NUMBER_MIN <= count <= SMALL_NUMBER_MAX
    )


def suppress(count, *, enabled: bool):
    """A count of 1 to 4 becomes "[c]" when suppression is on (anything a commissioner sees)."""
    return SUPPRESSED if enabled and is_small(count) else count


def disproportionality(group_count: int, total_count: int, group_population: int, total_population: int):
    """The group's share of those counted over its share of the population (1.0: proportionate).

    None when either share is undefined (no one counted, or no population for the group).
    """
    if not total_count or not group_population or not total_population:
        return None
    return round((group_count / total_count) / (group_population / total_population), 2)


AGE_BANDS = ((0, 9), (10, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}+" if high is None else f"{low}-{high}"
    return "unknown"


def change_sentence(subject: str, change: Change, period: str, previous_period: str) -> str:
    """The sentence the seeds write: 'DA crimes have increased by almost 7% ...' (without 'almost')."""
    if change.previous is None:
        return (
            f"{subject}: {change.current:,} in {period}; there is no figure for {previous_period} to compare."
        )
    if change.percent is None:
        return f"{subject}: {change.current:,} in {period}, against none in {previous_period}."
    difference = change.difference or 0
    if difference == 0:
        return f"{subject} were unchanged at {change.current:,} in {period} compared with {previous_period}."
    direction = "increased" if difference > 0 else "decreased"
    return (
        f"{subject} {direction} by {abs(change.percent):.1f}% in {period} compared with {previous_period} "
        f"({change.current:,} against {change.previous:,}, {abs(difference):,} "
        f"{'more' if difference > 0 else 'fewer'})."
    )


def fms_sentence(subject: str, last_year_total: float, target_year_total: float, march_year: int) -> str:
    """The Force Management Statement's sentence: '... predicted to rise by X% by March YYYY'."""
    if last_year_total <= 0:
        return f"{subject}: too few in the last 12 months to predict a change by March {march_year}."
    percent = 100 * (target_year_total - last_year_total) / last_year_total
    if abs(percent) < 0.5:
        return f"{subject} are predicted to stay about the same by March {march_year}."
    verb = "rise" if percent > 0 else "fall"
    return f"{subject} are predicted to {verb} by {abs(percent):.0f}% by March {march_year}."
