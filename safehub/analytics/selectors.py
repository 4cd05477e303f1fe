"""Reads of the analytics store: aggregate only. Every dashboard, API and report figure comes
from here. Queries use index monthlycount_series_month (series, month range) and group in SQL.

A series holds counts at the grains its source gives: cells (district and category), district
rows (category blank), category rows (district blank) or month totals (both blank).
`_rows_for` picks the grain that answers a question without counting anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from safehub.analytics import rules
from safehub.analytics.models import (
    UNKNOWN_DISTRICT,
    DataImport,
    DistrictPopulation,
    Forecast,
    MeasureSnapshot,
    MonthlyCount,
    PopulationGroup,
)
from safehub.core.models import District

BY = ("month", "district", "category")


class Unavailable(Exception):
    """The series has no figures at the grain asked for (e.g. categories within one district)."""


@dataclass(frozen=True)
class Query:
    series: str
    start: date  # first month, inclusive
    end: date  # month after the last, exclusive
    district: str = ""
    by: str = "month"

    def year_before(self) -> Query:
        return Query(
            self.series,
            self.start - relativedelta(years=1),
            self.end - relativedelta(years=1),
            self.district,
            self.by,
        )


def _grains(series: str) -> set[str]:
    rows = MonthlyCount.objects.filter(series=series)
    grains = set()
    if rows.exclude(district="").exclude(category="").exists():
        grains.add("cell")
    if rows.filter(category="").exclude(district="").exists():
        grains.add("district")
    if rows.filter(district="").exclude(category="").exists():
        grains.add("category")
    if rows.filter(district="", category="").exists():
        grains.add("total")
    return grains


def _rows_for(query: Query, grains: set[str]):
    rows = MonthlyCount.objects.filter(series=query.series, month__gte=query.start, month__lt=query.end)
    cells = rows.exclude(district="").exclude(category="")
    if query.district:
        if "cell" in grains:
            return cells.filter(district=query.district)
        if query.by == "category":
            raise Unavailable("This source gives categories for the whole area only, not within a district.")
        if "district" in grains:
            return rows.filter(district=query.district, category="")
        raise Unavailable("This source has no district breakdown (force-wide figures only).")
    if "cell" in grains:
        return cells
    if query.by == "district":
        if "district" not in grains:
            raise Unavailable("This source has no district breakdown (force-wide figures only).")
        return rows.filter(category="").exclude(district="")
    if query.by == "category":
        if "category" not in grains:
            raise Unavailable("This source has no category breakdown.")
        return rows.filter(district="").exclude(category="")
    for grain, condition in (
        ("total", Q(district="", category="")),
        ("district", Q(category="") & ~Q(district="")),
        ("category", Q(district="") & ~Q(category="")),
    ):
        if grain in grains:
            return rows.filter(condition)
    return rows.none()


def values(query: Query, grains: set[str] | None = None) -> dict[str, int]:
    """{key: count} for the query's breakdown (month keys are 'YYYY-MM')."""
    grains = _grains(query.series) if grains is None else grains
    rows = _rows_for(query, grains)
    field = query.by
    result: dict[str, int] = {}
    for key, total in (
        rows.values_list(field).annotate(total=Sum("count")).order_by(field).values_list(field, "total")
    ):
        label = key.strftime("%Y-%m") if isinstance(key, date) else key
        result[label] = result.get(label, 0) + total
    return result


def total(query: Query, grains: set[str] | None = None) -> int:
    grains = _grains(query.series) if grains is None else grains
    as_month = Query(query.series, query.start, query.end, query.district, "month")
    return _rows_for(as_month, grains).aggregate(total=Sum("count"))["total"] or 0


def months_with_data(series: str, start: date, end: date) -> list[date]:
    return list(
        MonthlyCount.objects.filter(series=series, month__gte=start, month__lt=end)
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )


def data_range(series: str) -> tuple[date | None, date | None]:
    span = MonthlyCount.objects.filter(series=series).aggregate(first=Min("month"), last=Max("month"))
    return span["first"], span["last"]


def last_complete_month(series: str, today: date) -> date | None:
    """The series' latest month with data, but never the month still in progress."""
    _, last = data_range(series)
    if last is None:
        return None
    return min(last, date(today.year, today.month, 1) - relativedelta(months=1))


def default_period(series: str, today: date) -> tuple[date, date]:
    """The 12 months up to the series' latest complete month with data (or to last month)."""
    last = last_complete_month(series, today) or (date(today.year, today.month, 1) - relativedelta(months=1))
    end = last + relativedelta(months=1)
    return end - relativedelta(months=12), end


@dataclass(frozen=True)
class Comparison:
    key: str
    current: int
    previous: int | None
    change: rules.Change
    population: int | None = None

    @property
    def rate(self) -> float | None:
        return rules.rate_per_thousand(self.current, self.population)


def compare(query: Query) -> list[Comparison]:
    """The breakdown for the period beside the same period a year before (None when the year
    before has no data at all in this series)."""
    grains = _grains(query.series)
    current = values(query, grains)
    earlier = query.year_before()
    has_earlier = bool(months_with_data(query.series, earlier.start, earlier.end))
    previous = values(earlier, grains) if has_earlier else {}
    populations = district_populations() if query.by == "district" else {}
    if query.by == "month":
        keys = sorted(set(current) | {_shift(k, 1) for k in previous})
    else:
        keys = sorted(set(current) | set(previous))
    earlier_months = {m.strftime("%Y-%m") for m in months_with_data(query.series, earlier.start, earlier.end)}
    rows = []
    for key in keys:
        before_key = _shift(key, -1) if query.by == "month" else key
        now = current.get(key, 0)
        before = previous.get(before_key, 0) if has_earlier else None
        if query.by == "month" and before_key not in earlier_months:
            before = None  # that month is not in the data at all: no comparison, not a zero
        rows.append(Comparison(key, now, before, rules.year_on_year(now, before), populations.get(key)))
    return rows


def _shift(month_key: str, years: int) -> str:
    year, month = month_key.split("-")
    return f"{int(year) + years:04d}-{month}"


def rolling_twelve(series: str, district: str = "") -> rules.Change | None:
    """The 12 months to the latest complete month with data against the 12 months before."""
    last = last_complete_month(series, timezone.localdate())
    if last is None:
        return None
    end = last + relativedelta(months=1)
    grains = _grains(series)
    try:
        now = total(Query(series, end - relativedelta(months=12), end, district), grains)
        earlier_start, earlier_end = end - relativedelta(months=24), end - relativedelta(months=12)
        has_earlier = bool(months_with_data(series, earlier_start, earlier_end))
        before = total(Query(series, earlier_start, earlier_end, district), grains) if has_earlier else None
    except Unavailable:
        return None
    return rules.year_on_year(now, before)


def district_populations() -> dict[str, int]:
    return dict(DistrictPopulation.objects.values_list("district", "population"))


def population_source() -> str:
    row = DistrictPopulation.objects.order_by("district").first()
    return row.source if row else ""


def district_names() -> dict[str, str]:
    names = dict(District.objects.values_list("code", "name"))
    names[UNKNOWN_DISTRICT] = "Unknown district"
    return names


def series_with_data() -> list[str]:
    return list(MonthlyCount.objects.values_list("series", flat=True).distinct().order_by("series"))


def snapshots(period: str) -> dict[str, MeasureSnapshot]:
    return {s.measure: s for s in MeasureSnapshot.objects.filter(period=period)}


def snapshot_periods() -> list[str]:
    return list(MeasureSnapshot.objects.values_list("period", flat=True).distinct().order_by("period"))


def population_groups(dimension: str) -> dict[str, int]:
    rows = PopulationGroup.objects.filter(dimension=dimension, district="")
    return dict(rows.values_list("group", "population"))


def forecast_for(series: str, district: str = "", category: str = "") -> Forecast | None:
    return Forecast.objects.filter(series=series, district=district, category=category).first()


def forecasts(series: str | None = None):
    rows = Forecast.objects.all()
    return rows.filter(series=series) if series else rows


def imports():
    return DataImport.objects.all()


def fingerprint() -> str:
    """A hash of everything the figures are built from (rollup counts, snapshots, populations,
    forecasts): the data snapshot in the report's reproducibility stamp."""
    import hashlib

    digest = hashlib.sha256()
    for row in (
        MonthlyCount.objects.order_by("series", "month", "district", "category")
        .values_list("series", "month", "district", "category", "count")
        .iterator(chunk_size=5000)
    ):
        digest.update(repr(row).encode())
    for row in DistrictPopulation.objects.order_by("district").values_list("district", "population"):
        digest.update(repr(row).encode())
    for row in MeasureSnapshot.objects.order_by("measure", "period").values_list(
        "measure", "period", "result"
    ):
        digest.update(repr(row).encode())
    for row in Forecast.objects.order_by("series", "district", "category").values_list(
        "series", "model", "points"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()
