"""Dashboard figures as tables and charts, ready for a template, a CSV download or the report.

Every chart is a `Chart`: the same rows make the SVG, the table view and the CSV, so the three
never disagree. `suppress=True` (commissioners, the scrutiny report) turns counts of 1 to 4 into
"[c]" and hides the changes, rates and ratios built on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from safehub.analytics import catalogue, charts, non_recent, registry, rules, selectors
from safehub.analytics.models import UNKNOWN_DISTRICT
from safehub.core.clocks import CLOCKS

# Clocks whose timeliness a module's measure reports (a module can also declare `clock` on its
# measure). A measure that is not installed is skipped.
CLOCK_MEASURES = {
    "mash-red": ("referrals.timeliness_by_rag",),
    "mash-amber": ("referrals.timeliness_by_rag",),
    "mash-green": ("referrals.timeliness_by_rag",),
    "rhi": ("missing.missing_rhi_within_72_hours",),
    "encompass": ("contacts.encompass_timeliness",),
    "dvpo-hearing": ("protection.protection_heard_within_window",),
    "dapo-hearing": ("protection.protection_heard_within_window",),
    "dvds": ("protection.dvds_within_28_days",),
    "cspr-notification": ("reviews.timeliness_by_district",),
    "rapid-review": ("reviews.timeliness_by_district",),
    "lcspr-publication": ("reviews.publications",),
}
NOT_COUNTS = ("percent", "average", "median", "hours", "days", "rate", "ratio", "mae", "mape")
SNAPSHOT_PERIOD = "last-12-months"


@dataclass
class Chart:
    id: str
    title: str
    columns: list[str]
    rows: list[list]
    svg: str = ""
    caveats: list[str] = field(default_factory=list)
    unavailable: str = ""

    @property
    def csv_name(self) -> str:
        return f"{self.id}.csv"


def category_label(key: str) -> str:
    """Stored codes ("concern_for_welfare") read as words; labels from open data stay as they are."""
    return key.replace("_", " ").capitalize() if key == key.lower() else key


def _month_label(key: str) -> str:
    return rules.parse_month(key).strftime("%b %Y")


def _pct(change: rules.Change) -> str:
    if change.percent is None:
        return "n/a"
    return f"{change.percent:+.1f}%"


def _count(value, suppress: bool):
    return rules.suppress(value, enabled=suppress)


def _hidden(suppress: bool, *values) -> bool:
    return suppress and any(rules.is_small(v) for v in values)


def demand_charts(query: selectors.Query, *, suppress: bool) -> list[Chart]:
    """By month, by district (with rates per 1,000) and by category, each beside the year before."""
    definition = catalogue.get(query.series)
    title = definition.title if definition else query.series
    names = selectors.district_names()
    result = []
    for by in ("month", "district", "category"):
        chart_id = f"{query.series.replace('.', '-')}-by-{by}"
        heading = f"{title} by {by}"
        if query.district:
            heading += f" ({names.get(query.district, query.district)})"
        columns = [
            "Month" if by == "month" else by.capitalize(),
            "This period",
            "Year before",
            "Change",
            "Change (%)",
        ]
        if by == "district":
            columns += ["Population", "Rate per 1,000"]
        try:
            comparisons = selectors.compare(
                selectors.Query(query.series, query.start, query.end, query.district, by)
            )
        except selectors.Unavailable as exc:
            result.append(Chart(chart_id, heading, columns, [], unavailable=str(exc)))
            continue
        rows, bars = [], []
        for item in comparisons:
            if by == "month":
                label = _month_label(item.key)
            elif by == "district":
                label = names.get(item.key, item.key)
            else:
                label = category_label(item.key)
            hide = _hidden(suppress, item.current, item.previous)
            current, previous = _count(item.current, suppress), _count(item.previous, suppress)
            row = [
                label,
                current,
                "n/a" if previous is None else previous,
                "n/a" if hide or item.change.difference is None else item.change.difference,
                "n/a" if hide else _pct(item.change),
            ]
            if by == "district":
                rate = None if hide or rules.is_small(item.current) and suppress else item.rate
                row += [
                    f"{item.population:,}" if item.population else "not loaded",
                    "n/a" if rate is None else rate,
                ]
            rows.append(row)
            bars.append(
                (
                    label,
                    current if isinstance(current, int) else None,
                    previous if isinstance(previous, int) else None,
                )
            )
        if by == "month":
            svg = charts.line_chart(
                chart_id,
                heading,
                [label for label, _, _ in bars],
                [
                    ("This period", [b[1] for b in bars], charts.BLUE),
                    ("Year before", [b[2] for b in bars], charts.GREY),
                ],
            )
        else:
            svg = charts.bar_chart(chart_id, heading, bars)
        chart = Chart(chart_id, heading, columns, rows, svg)
        if by == "district" and not selectors.district_populations():
            chart.caveats.append(
                "No population is loaded, so rates per 1,000 are not shown: run `safehub import census`."
            )
        if by == "district" and any(item.key == UNKNOWN_DISTRICT for item in comparisons):
            chart.caveats.append(
                "Unknown district: rows with no location, or located outside the five districts."
            )
        result.append(chart)
    return result


def coverage_caveat(query: selectors.Query) -> str:
    """Say when the data holds only some of the period's months (police.uk files are monthly)."""
    wanted = len(rules.months_between(query.start, query.end))
    held = len(selectors.months_with_data(query.series, query.start, query.end))
    earlier = query.year_before()
    held_before = len(selectors.months_with_data(query.series, earlier.start, earlier.end))
    if held == wanted and held_before in (0, wanted):
        return ""
    return (
        f"The data holds {held} of the {wanted} months in this period and {held_before} of the {wanted} "
        "months a year before: the totals and the change cover those months only."
    )


def rolling_summary(series: str, district: str, *, suppress: bool) -> dict | None:
    change = selectors.rolling_twelve(series, district)
    if change is None:
        return None
    hide = _hidden(suppress, change.current, change.previous)

    def shown(value):
        value = _count(value, suppress)
        return f"{value:,}" if isinstance(value, int) else value

    return {
        "current": shown(change.current),
        "previous": "n/a" if change.previous is None else shown(change.previous),
        "percent": "n/a" if hide else _pct(change),
    }


def result_table(result, *, suppress: bool) -> tuple[list[str], list[list]]:
    """Any measure's plain result as a table: a list of rows, a flat or nested mapping, a value."""
    if non_recent.matches(result):  # contacts.non_recent_by_group: group x district with totals
        return non_recent.table(result, suppress=suppress)
    if isinstance(result, list):
        columns: list[str] = []
        for row in result:
            for key in row if isinstance(row, dict) else {}:
                if key not in columns:
                    columns.append(key)
        rows = [_row_cells(columns, row, suppress) for row in result if isinstance(row, dict)]
        return [_heading(c) for c in columns], rows
    if isinstance(result, dict):
        # The mapping's own figures are one group, each nested mapping another: in either, a
        # suppressed count suppresses the percentages and rates beside it (as in a row).
        scalars = {key: value for key, value in result.items() if not isinstance(value, dict)}
        shown = dict(zip(scalars, _row_cells(list(scalars), scalars, suppress), strict=True))
        rows = []
        for key, value in result.items():
            if isinstance(value, dict):
                cells = _row_cells(list(value), value, suppress)
                rows.extend(
                    [f"{_heading(key)}: {_heading(k).lower()}", cell]
                    for k, cell in zip(value, cells, strict=True)
                )
            else:
                rows.append([_heading(key), shown[key]])
        return ["Figure", "Value"], rows
    return ["Value"], [[result]]


def _row_cells(columns: list, row: dict, suppress: bool) -> list:
    """One row's cells. When a count in the row is suppressed, so is every figure derived from the
    row's counts (a percentage, rate or average of 1 of 3 would give the count away)."""
    cells = [_cell(key, row.get(key), suppress) for key in columns]
    if suppress and rules.SUPPRESSED in cells:
        cells = [
            rules.SUPPRESSED if _derived(key) and row.get(key) is not None else cell
            for key, cell in zip(columns, cells, strict=True)
        ]
    return cells


def _derived(key: str) -> bool:
    return any(word in str(key) for word in NOT_COUNTS)


def _heading(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _cell(key: str, value, suppress: bool):
    if value is None:
        return "n/a"
    if _derived(key):
        return value
    return _count(value, suppress)


def measure_groups(*, suppress: bool, period: str = SNAPSHOT_PERIOD) -> list[dict]:
    """Every app's measures (as of the last refresh), grouped by app, each as a table."""
    snaps = selectors.snapshots(period)
    groups: dict[str, dict] = {}
    for measure in registry.all_measures():
        group = groups.setdefault(measure.app_label, {"app": measure.app_name, "measures": []})
        snap = snaps.get(measure.id)
        columns, rows = result_table(snap.result, suppress=suppress) if snap else ([], [])
        group["measures"].append(
            {
                "id": measure.id,
                "title": measure.title,
                "definition": measure.definition,
                "chart": Chart(f"measure-{measure.id.replace('.', '-')}", measure.title, columns, rows),
                "computed_at": snap.computed_at if snap else None,
            }
        )
    return list(groups.values())


def timeliness(*, suppress: bool, period: str = SNAPSHOT_PERIOD) -> list[dict]:
    """Every statutory clock Safehub counts, with the measures that report against it (or a note)."""
    by_clock: dict[str, list] = {clock_id: list(ids) for clock_id, ids in CLOCK_MEASURES.items()}
    for measure in registry.all_measures():
        for clock_id in measure.clocks:
            by_clock.setdefault(clock_id, [])
            if measure.id not in by_clock[clock_id]:
                by_clock[clock_id].append(measure.id)
    snaps = selectors.snapshots(period)
    rows = []
    for clock in CLOCKS.values():
        reports = []
        for measure_id in by_clock.get(clock.id, []):
            measure = registry.get(measure_id)
            if measure is None:
                continue
            snap = snaps.get(measure_id)
            columns, table = result_table(snap.result, suppress=suppress) if snap else ([], [])
            reports.append(
                Chart(f"clock-{clock.id}-{measure_id.replace('.', '-')}", measure.title, columns, table)
            )
        rows.append({"clock": clock, "reports": reports})
    return rows


def equality(*, suppress: bool, period: str = SNAPSHOT_PERIOD) -> list[Chart]:
    """People in contact by ethnicity, sex and age band: shares, rate per 1,000 and ratio."""
    snaps = selectors.snapshots(period)
    result = []
    for dimension, title in (("ethnicity", "ethnic group"), ("sex", "sex"), ("age_band", "age band")):
        snap = snaps.get(f"people.equality_{dimension}")
        chart_id = f"equality-{dimension.replace('_', '-')}"
        heading = f"People in contact by {title}"
        columns = [
            "Group",
            "People in contact",
            "Share (%)",
            "Reference",
            "Reference share (%)",
            "Rate per 1,000",
            "Ratio",
        ]
        if snap is None:
            result.append(
                Chart(
                    chart_id,
                    heading,
                    columns,
                    [],
                    unavailable="Not computed yet: run `safehub analytics refresh`.",
                )
            )
            continue
        population = selectors.population_groups(dimension)
        reference_name = "population" if population else "person index"
        rows_in = snap.result
        total_in = sum(r["people_in_period"] for r in rows_in)
        reference = population or {r["group"]: r["people_on_index"] for r in rows_in}
        total_ref = sum(reference.values())
        rows, bars = [], []
        for r in rows_in:
            count, ref = r["people_in_period"], reference.get(r["group"], 0)
            hide = _hidden(suppress, count)
            ratio = None if hide else rules.disproportionality(count, total_in, ref, total_ref)
            share = round(100 * count / total_in, 1) if total_in and not hide else None
            ref_share = round(100 * ref / total_ref, 1) if total_ref else None
            rate = rules.rate_per_thousand(count, ref) if population and not hide else None
            rows.append(
                [
                    r["label"],
                    _count(count, suppress),
                    "n/a" if share is None else share,
                    ref,
                    "n/a" if ref_share is None else ref_share,
                    "n/a" if rate is None else rate,
                    "n/a" if ratio is None else ratio,
                ]
            )
            bars.append((r["label"], share, ref_share))
        chart = Chart(
            chart_id,
            heading,
            [c.replace("Reference", f"{reference_name.capitalize()}") for c in columns],
            rows,
            charts.bar_chart(
                chart_id,
                f"{heading}: share against the {reference_name}",
                bars,
                legend=("Share in contact (%)", f"Share of {reference_name} (%)"),
            ),
        )
        if not population:
            chart.caveats.append(
                "No population breakdown is loaded (`safehub import population FILE`): the reference is "
                "everyone on the person index, so a ratio compares this period's contacts with everyone "
                "Safehub knows, not with residents. Rates per 1,000 need the population."
            )
        result.append(chart)
    return result


def data_quality(*, suppress: bool, period: str = SNAPSHOT_PERIOD) -> Chart:
    snap = selectors.snapshots(period).get("people.data_quality")
    rows = []
    if snap:
        r = snap.result
        for key, label in (
            ("ethnicity_not_stated", "Ethnicity not recorded"),
            ("no_date_of_birth", "No date of birth"),
            ("unlinked", "Unlinked (no NHS number or other identifier)"),
        ):
            hide = _hidden(suppress, r.get(key))
            rows.append(
                [
                    label,
                    _count(r.get(key), suppress),
                    r.get("people"),
                    "n/a" if hide or r.get(f"{key}_percent") is None else r[f"{key}_percent"],
                ]
            )
    for item in selectors.imports().filter(rows_unknown_district__gt=0)[:10]:
        rows.append(
            [
                f"Open data counted under unknown district ({item.file_name})",
                item.rows_unknown_district,
                item.rows_read,
                round(100 * item.rows_unknown_district / item.rows_read, 1) if item.rows_read else "n/a",
            ]
        )
    return Chart(
        "data-quality", "Data-quality indicators", ["Indicator", "Records", "Out of", "Percent"], rows
    )


def forecast_chart(series: str, district: str = "", category: str = "", *, suppress: bool) -> Chart | None:
    forecast = selectors.forecast_for(series, district, category)
    if forecast is None:
        return None
    history = forecast.history[-24:]
    labels = [m for m, _ in history] + [p["month"] for p in forecast.points]
    actual = [n for _, n in history] + [None] * len(forecast.points)
    pad = [None] * len(history)
    mean = (
        pad[:-1] + [history[-1][1]] + [p["mean"] for p in forecast.points]
        if history
        else [p["mean"] for p in forecast.points]
    )
    chart_id = f"forecast-{series.replace('.', '-')}"
    svg = charts.line_chart(
        chart_id,
        f"Forecast: {forecast.sentence}",
        [rules.parse_month(m).strftime("%b %y") for m in labels],
        [("Actual", actual, charts.DARK), ("Forecast", mean, charts.BLUE)],
        bands=[
            (
                pad + [p["lo95"] for p in forecast.points],
                pad + [p["hi95"] for p in forecast.points],
                charts.PALE_BLUE,
            ),
            (
                pad + [p["lo80"] for p in forecast.points],
                pad + [p["hi80"] for p in forecast.points],
                charts.LIGHT_BLUE,
            ),
        ],
    )
    rows = [
        [rules.parse_month(m).strftime("%b %Y"), _count(n, suppress), "", "", "", "", ""] for m, n in history
    ]
    rows += [
        [
            rules.parse_month(p["month"]).strftime("%b %Y"),
            "",
            p["mean"],
            p["lo80"],
            p["hi80"],
            p["lo95"],
            p["hi95"],
        ]
        for p in forecast.points
    ]
    chart = Chart(
        chart_id,
        "Forecast, 48 months, with 80% and 95% intervals",
        ["Month", "Actual", "Forecast", "80% low", "80% high", "95% low", "95% high"],
        rows,
        svg,
    )
    chart.caveats.append(
        "Intervals: the darker band is 80%, the lighter 95%. " + catalogue.get("derived.forecast").caveats[0]
    )
    return chart


def backtest_rows(forecast) -> list[list]:
    return [
        [
            name + (" (chosen)" if name == forecast.model else ""),
            score["mae"],
            "n/a" if score["mape"] is None else score["mape"],
            score["forecasts"],
        ]
        for name, score in sorted(forecast.backtest.items(), key=lambda item: item[1]["mae"])
    ]


def period_label(start: date, end: date) -> str:
    last = end - relativedelta(months=1)
    if start == last:
        return start.strftime("%B %Y")
    return f"{start:%B %Y} to {last:%B %Y}"
