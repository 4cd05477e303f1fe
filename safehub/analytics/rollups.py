"""Rollups: apps' measures summed into `MonthlyCount` and `MeasureSnapshot`, so dashboard pages read a
small table whatever the number of records (`safehub analytics refresh`, run nightly from cron and
after the demo loads).

Each month is recomputed whole and replaced in one transaction, so a refresh is idempotent and a
record changed after the event (a contact recategorised, a late episode) is picked up by the next
refresh of its month. Rows from a measure are read by shape: a `count` with any of `month`,
`district`, `category`; the month defaults to the window's month.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from safehub.analytics import catalogue, registry, rules
from safehub.analytics.models import MeasureSnapshot, MonthlyCount

Progress = Callable[[str, int, int], None]
DEFAULT_MONTHS = 60


def month_window(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(month, time.min).replace(tzinfo=tz)
    return start, datetime.combine(month + relativedelta(months=1), time.min).replace(tzinfo=tz)


def _as_month(value, default: date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    if isinstance(value, str) and len(value) >= 7:
        return rules.parse_month(value[:7])
    return default


def count_rows(result, window_month: date) -> Counter[tuple[date, str, str]] | None:
    """Cells (month, district, category) → count from a measure's rows; None when not count rows."""
    if not isinstance(result, list | tuple) or not all(isinstance(r, dict) and "count" in r for r in result):
        return None
    cells: Counter[tuple[date, str, str]] = Counter()
    for row in result:
        count = row["count"]
        if not isinstance(count, int) or count < 0:
            return None
        month = _as_month(row.get("month"), window_month)
        cells[(month, str(row.get("district") or ""), str(row.get("category") or "")[:120])] += count
    return cells


def _months(last: date, count: int) -> list[date]:
    return [last - relativedelta(months=i) for i in range(count - 1, -1, -1)]


def refresh(
    *, months: int = DEFAULT_MONTHS, today: date | None = None, progress: Progress | None = None
) -> dict:
    """Recompute the last `months` months (to the current month) of every measure-built series."""
    today = today or timezone.localdate()
    current = date(today.year, today.month, 1)
    window = _months(current, months)
    plans: dict[str, tuple[str, ...]] = {s.id: s.measures for s in catalogue.SERIES if s.measures}
    used = catalogue.used_measures()
    for measure in registry.all_measures():
        if measure.id not in used:
            plans[measure.id] = (measure.id,)  # tried: kept only when its rows are monthly counts
    written: dict[str, int] = {}
    built_in = {s.id for s in catalogue.SERIES}
    for number, (series, measure_ids) in enumerate(sorted(plans.items()), start=1):
        if series not in built_in and not _is_monthly(registry.get(series)):
            continue
        cells: Counter[tuple[date, str, str]] = Counter()
        countable = True
        for measure_id in measure_ids:
            measure = registry.get(measure_id)
            if measure is None:
                continue
            whole = _whole_window(measure, window)
            if whole is not None:  # rows that name their month: one query for the whole window
                cells.update(whole)
                continue
            for month in window:
                rows = count_rows(measure.query(*month_window(month)), month)
                if rows is None:
                    countable = False
                    break
                cells.update(rows)
            if not countable:
                break
        if not countable:
            continue
        with transaction.atomic():
            MonthlyCount.objects.filter(series=series, month__gte=window[0], month__lte=window[-1]).delete()
            MonthlyCount.objects.bulk_create(
                MonthlyCount(series=series, month=m, district=d, category=c, count=n)
                for (m, d, c), n in sorted(cells.items())
                if n and window[0] <= m <= window[-1]
            )
        written[series] = sum(cells.values())
        if progress:
            progress(series, number, len(plans))
    return written


def _whole_window(measure: registry.ModuleMeasure, window: list[date]) -> Counter | None:
    """Cells for the whole window from one call, when the measure's rows carry their month."""
    start, _ = month_window(window[0])
    _, end = month_window(window[-1])
    result = measure.query(start, end)
    monthly = (
        isinstance(result, list) and result and all(isinstance(r, dict) and "month" in r for r in result)
    )
    if not monthly:
        return None
    return count_rows(result, window[0])


def _is_monthly(measure: registry.ModuleMeasure | None) -> bool:
    """An app measure becomes a series of its own only when its rows say which month they are."""
    if measure is None:
        return False
    start, end = month_window(date(timezone.localdate().year, 1, 1))
    result = measure.query(start, end + relativedelta(months=11))
    return (
        isinstance(result, list)
        and bool(result)
        and all(isinstance(r, dict) and "month" in r for r in result)
    )


def standard_periods(today: date) -> dict[str, tuple[date, date]]:
    """last-12-months (to the start of this month), this financial year to date, the last full one."""
    current = date(today.year, today.month, 1)
    fy = rules.financial_year_of(today)
    return {
        "last-12-months": (current - relativedelta(months=12), current),
        rules.financial_year_label(fy): (
            date(fy, 4, 1),
            current if current > date(fy, 4, 1) else date(fy, 5, 1),
        ),
        rules.financial_year_label(fy - 1): rules.financial_year_bounds(fy - 1),
    }


def plain(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(*, today: date | None = None, periods: dict[str, tuple[date, date]] | None = None) -> int:
    """Every app measure over the standard periods (or `periods`), stored as plain JSON."""
    today = today or timezone.localdate()
    periods = periods or standard_periods(today)
    now = timezone.now()
    stored = 0
    for measure in registry.all_measures():
        for label, (start, end) in periods.items():
            begin, _ = month_window(start)
            finish, _ = month_window(end)
            result = plain(measure.query(begin, finish))
            MeasureSnapshot.objects.update_or_create(
                measure=measure.id,
                period=label,
                defaults={"period_start": start, "period_end": end, "result": result, "computed_at": now},
            )
            stored += 1
    return stored
