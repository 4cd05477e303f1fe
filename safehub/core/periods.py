"""Months and financial years (1 April to 31 March), as plain date arithmetic: shared by every app
that reports by period (analytics' figures, the activity register's filters, capacity)."""

from __future__ import annotations

from datetime import date


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(day: date, months: int) -> date:
    """The 1st of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The 1st of every month from `start`'s month up to but excluding `end`'s month."""
    cursor, months = month_start(start), []
    while cursor < end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    """1 April of `start_year` to 1 April of the next (end exclusive)."""
    return date(start_year, 4, 1), date(start_year + 1, 4, 1)


def financial_year_of(day: date) -> int:
    """The year the financial year holding `day` starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1
