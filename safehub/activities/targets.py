"""What a campaign may target: registered by the analytics app at start-up, so this app imports
no analytics (ARCHITECTURE.md: imports point one way).

`choices()` gives (series id, title) pairs for the campaign form; `categories()` each series'
title with its (category code, label) pairs, for the category list; `check(series, category,
district, starts_on)` returns error messages keyed by field ("target_series", "starts_on", ...)
for a target that does not exist or a start outside the series' data. With no provider
registered (analytics not installed) there are no targets and every campaign is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Grouped = list[tuple[str, list[tuple[str, str]]]]

_choices: Callable[[], list[tuple[str, str]]] | None = None
_check: Callable[[str, str, str, date | None], dict[str, str]] | None = None
_categories: Callable[[], Grouped] | None = None


def register(
    *,
    choices: Callable[[], list[tuple[str, str]]],
    check: Callable[[str, str, str, date | None], dict[str, str]],
    categories: Callable[[], Grouped] | None = None,
) -> None:
    global _choices, _check, _categories
    _choices, _check, _categories = choices, check, categories


def choices() -> list[tuple[str, str]]:
    return _choices() if _choices else []


def categories() -> Grouped:
    """[(series title, [(category, label), ...]), ...]: the categories each targetable series holds."""
    return _categories() if _categories else []


def check(series: str, category: str, district: str, starts_on: date | None) -> dict[str, str]:
    if not series:
        return {"target_series": "Choose the measure the campaign set out to change"}
    if _check is None:
        return {"target_series": "No measures can be targeted: the analytics app is not installed"}
    return _check(series, category, district, starts_on)
