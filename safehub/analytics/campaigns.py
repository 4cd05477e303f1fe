"""Campaigns and the demand series they target: the target provider the activities app asks (which
series a campaign may target, and whether its start lies inside the data), the monthly series a
campaign is evaluated on, and the evaluation itself (`impact.interrupted_time_series`).

Registered with `safehub.activities.targets` in `AnalyticsConfig.ready`, so the activities app never
imports analytics. Reads the analytics store only (aggregate counts): no person-level data.
Queries: `MonthlyCount` by series and month range (index monthlycount_series_month).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from safehub.activities import selectors as activity_selectors
from safehub.activities import services as activity_services
from safehub.analytics import catalogue, impact, presenters, rules, selectors
from safehub.analytics.models import MonthlyCount


def _this_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year, today.month, 1)


def _monthly(definition: catalogue.MetricDefinition) -> bool:
    """Quarterly tables (the Home Office's) are stored at the quarter's first month: not monthly."""
    return "by quarter" not in definition.filters


def target_choices() -> list[tuple[str, str]]:
    """(series id, title) of the monthly demand series that hold data, in catalogue order."""
    stored = set(MonthlyCount.objects.values_list("series", flat=True).distinct())
    return [
        (definition.id, definition.title)
        for definition in catalogue.series_definitions()
        if definition.id in stored and _monthly(definition)
    ]


def target_categories() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each targetable series' title with the categories it holds, labelled, for the campaign form."""
    grouped = []
    for series, title in target_choices():
        try:
            codes = _breakdown(series, "category")
        except selectors.Unavailable:
            continue
        labelled = sorted(
            ((code, presenters.category_label(code)) for code in codes if code), key=lambda c: c[1]
        )
        if labelled:
            grouped.append((title, labelled))
    return grouped


def series_title(series: str) -> str:
    definition = catalogue.get(series)
    return definition.title if definition else series


def _breakdown(series: str, by: str, district: str = "") -> set[str]:
    """The districts or categories a series holds (over all its months)."""
    first, last = selectors.data_range(series)
    if first is None or last is None:
        return set()
    query = selectors.Query(series, first, last + relativedelta(months=1), district, by)
    return set(selectors.values(query))


def history(
    series: str, category: str = "", district: str = "", *, today: date | None = None
) -> list[tuple[date, int]]:
    """Complete months (never the month in progress) of the latest unbroken run of months the series
    holds, summed over every district unless `district` and every category unless `category`. A
    month the source holds with no row for this target counts 0; a month the source does not hold
    at all is unknown, not 0, so the run stops there (as for forecasts)."""
    first, last = selectors.data_range(series)
    if first is None or last is None:
        return []
    end = min(last + relativedelta(months=1), _this_month(today))
    grains = selectors._grains(series)
    query = selectors.Query(series, first, end, district, "category" if category else "month")
    try:
        rows = selectors._rows_for(query, grains)
    except selectors.Unavailable:
        return []
    if category:
        rows = rows.filter(category=category)
    counts = dict(rows.order_by().values_list("month").annotate(n=Sum("count")).values_list("month", "n"))
    held = set(selectors.months_with_data(series, first, end))
    run: list[date] = []
    for month in reversed(rules.months_between(first, end)):
        if month not in held:
            break
        run.insert(0, month)
    return [(month, counts.get(month, 0)) for month in run]


def check_target(series: str, category: str, district: str, starts_on: date | None) -> dict[str, str]:
    """Error messages by field for a campaign target (empty when it can be evaluated)."""
    titles = dict(target_choices())
    if series not in titles:
        return {"target_series": f"Choose a listed measure: {series!r} is not a monthly series with data"}
    title = titles[series]
    if district:
        try:
            districts = _breakdown(series, "district")
        except selectors.Unavailable:
            return {"target_district": f"{title} has no district breakdown: leave the district blank"}
        if district not in districts:
            return {"target_district": f"{title} has no figures for the district {district!r}"}
    if category:
        try:
            categories = _breakdown(series, "category", district)
        except selectors.Unavailable as exc:
            return {"target_category": f"{title}: {exc}"}
        if category not in categories:
            where = " in that district" if district else ""
            return {"target_category": f"{title} has no figures for the category {category!r}{where}"}
    if starts_on is None:
        return {}  # the activity's own check asks for the start date
    months = [m for m, _ in history(series, category, district)]
    if not months:
        return {"target_series": f"{title} has no complete months of data for this target"}
    if impact.window_problem(months[0], months[-1], starts_on):
        return {
            "starts_on": (
                f"The campaign started on {starts_on:%-d %b %Y}; {title} has data from {months[0]:%b %Y} "
                f"to {months[-1]:%b %Y}: an evaluation needs {impact.MIN_BEFORE} months before the start "
                f"and {impact.MIN_AFTER} after"
            )
        }
    return {}


def subject(activity: Any) -> str:
    """What the campaign's series counts, with its category and district ("Contacts received
    (domestic abuse, Leeds)")."""
    definition = catalogue.get(activity.target_series)
    text = (definition.subject or definition.title) if definition else activity.target_series
    details = []
    if activity.target_category:
        details.append(presenters.category_label(activity.target_category).lower())
    if activity.target_district:
        details.append(selectors.district_names().get(activity.target_district, activity.target_district))
    return f"{text} ({', '.join(details)})" if details else text


def campaign_series(activity: Any, *, today: date | None = None) -> tuple[list[date], list[int]]:
    """The monthly counts a campaign is evaluated on (see `history`)."""
    rows = history(activity.target_series, activity.target_category, activity.target_district, today=today)
    return [m for m, _ in rows], [n for _, n in rows]


def evaluate(activity: Any, *, today: date | None = None) -> impact.Result:
    """The campaign's interrupted time series; NotEvaluable naming the problem otherwise."""
    if not activity.is_campaign or not activity.target_series:
        raise impact.NotEvaluable("Only a campaign with a target measure can be evaluated")
    months, counts = campaign_series(activity, today=today)
    if not months:
        raise impact.NotEvaluable(
            f"{series_title(activity.target_series)} has no complete months of data for this campaign's "
            "target (series, category and district)"
        )
    return impact.interrupted_time_series(months, counts, activity.starts_on, subject=subject(activity))


def campaign_for(user: Any, activity_id: Any) -> Any:
    """The user's force's campaign, or 404 (another force's activity, or not a campaign)."""
    activity = activity_selectors.activity_for(user, activity_id)
    if not activity.is_campaign:
        raise Http404("No such campaign")
    return activity


def may_read(user: Any) -> bool:
    """Whoever may read the activity register (partnership manager, analysts, commissioner...)."""
    return activity_services.may_read(user)
