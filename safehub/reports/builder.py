"""The scrutiny report's content: the Community Outcomes Meeting report in the seeds' shape.

Sections (as the Chief Constable's and the Mayor's safeguarding reports are laid out): purpose,
recommendation, key information, work and developments, figures with year-on-year change,
forecasts, timeliness, equality, partnership contribution, the metric definitions as an appendix
and a reproducibility stamp. Every sentence is generated from the analytics store with its
caveats; small numbers are suppressed throughout (the report is published).

Everything is read through `safehub.analytics` (selectors, presenters, catalogue, rollups).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from safehub.analytics import catalogue, governance, presenters, rollups, rules, selectors

SUPPRESS = True


class NoData(Exception):
    pass


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[presenters.Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    meeting: str
    subject: str
    period_label: str
    fy_start: int
    sections: list[Section]
    definitions: list[catalogue.MetricDefinition]
    stamp: dict


def safehub_version() -> str:
    try:
        return importlib.metadata.version("safehub")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_period(today: date | None = None) -> int:
    """The latest complete financial year that has data in any series."""
    today = today or timezone.localdate()
    lasts = [selectors.data_range(series)[1] for series in selectors.series_with_data()]
    lasts = [last for last in lasts if last]
    if not lasts:
        raise NoData(
            "There is no data in the analytics store: import open data or run `safehub analytics refresh`"
        )
    return rules.latest_complete_financial_year(max(lasts), today)


def parse_period(text: str | None, today: date | None = None) -> int:
    if not text:
        return default_period(today)
    year = rules.parse_financial_year(text)
    today = today or timezone.localdate()
    if rules.financial_year_bounds(year)[0] > today:
        raise ValueError(f"financial year {text} has not started")
    return year


def _series_section(fy: int) -> tuple[list[str], list[presenters.Chart], list[str]]:
    start, end = rules.financial_year_bounds(fy)
    period, before = rules.financial_year_label(fy), rules.financial_year_label(fy - 1)
    key, charts, notes = [], [], []
    for definition in catalogue.series_definitions():
        if not selectors.months_with_data(definition.id, start, end):
            continue
        query = selectors.Query(definition.id, start, end)
        grains = selectors._grains(definition.id)
        now = selectors.total(query, grains)
        earlier = query.year_before()
        has_before = bool(selectors.months_with_data(definition.id, earlier.start, earlier.end))
        previous = selectors.total(earlier, grains) if has_before else None
        change = rules.year_on_year(now, previous)
        subject = definition.subject or definition.title
        if rules.is_small(now) or rules.is_small(previous):
            key.append(f"{subject}: fewer than 5 in {period} (suppressed).")
        else:
            key.append(rules.change_sentence(subject, change, period, before))
        coverage = presenters.coverage_caveat(query)
        if coverage:
            notes.append(f"{definition.title}: {coverage}")
        charts.extend(presenters.demand_charts(query, suppress=SUPPRESS))
    return key, charts, notes


# The stages `build` reports to its `progress` callback, in order.
STAGES = (
    "Taking every measure over the year",
    "Key information and the figures",
    "Forecasts, developments and recommendations",
    "Timeliness, equality and each partner's contribution",
)


def build(
    fy: int, *, generated_at: datetime | None = None, progress: Callable[[int, int, str], None] | None = None
) -> Report:
    """The scrutiny report for financial year `fy`. `progress(done, total, stage)` is told as each
    of the STAGES starts (a command prints it; a build takes a few seconds)."""

    def stage(index: int) -> None:
        if progress:
            progress(index, len(STAGES), STAGES[index])

    generated_at = generated_at or timezone.now()
    start, end = rules.financial_year_bounds(fy)
    label = rules.financial_year_label(fy)
    # Every app's measures over exactly this financial year (stored, so the stamp covers them).
    stage(0)
    rollups.snapshot(periods={label: (start, end)})
    stage(1)
    key, charts, notes = _series_section(fy)
    if not key:
        raise NoData(f"No figures for {label}: choose a year with data")

    sections = [
        Section(
            "Purpose of the report",
            [
                f"This report sets out the partnership's safeguarding performance for {label} "
                f"(1 April {fy} to 31 March {fy + 1}): demand, timeliness against the statutory clocks, "
                "forecast demand, equality monitoring and each partner module's contribution."
            ],
        ),
        Section(
            "Recommendation",
            [
                "That the Mayor / Deputy Mayor for Policing and Crime uses this report to scrutinise the "
                "partnership's performance in respect of safeguarding."
            ],
        ),
        Section(
            "Key information",
            key
            + governance.non_recent_sentences(label, suppress=SUPPRESS)
            + governance.activity_sentences(start, end)
            + [f"Note: {note}" for note in notes],
        ),
    ]
    stage(2)
    forecast_lines, forecast_charts = [], []
    for forecast in selectors.forecasts().filter(district="", category=""):
        chosen = forecast.backtest.get(forecast.model, {})
        mape = f", mean absolute percentage error {chosen['mape']}%" if chosen.get("mape") is not None else ""
        forecast_lines.append(
            f"{forecast.sentence} (model {forecast.model}, chosen by rolling-origin backtest: mean absolute "
            f"error {chosen.get('mae')} a month{mape}.)"
        )
        chart = presenters.forecast_chart(forecast.series, suppress=SUPPRESS)
        if chart:
            forecast_charts.append(chart)
    sections.append(
        Section(
            "Ongoing work and developments",
            _developments(label),
        )
    )
    sections.append(
        Section(
            "Recommendations and areas for improvement",
            governance.recommendation_sentences(label, suppress=SUPPRESS),
        )
    )
    sections.append(Section("Figures, with the change on the year before", [], charts))
    sections.append(
        Section(
            "Forecast demand",
            forecast_lines or ["No series has the 24 months of history a forecast needs."],
            forecast_charts,
        )
    )
    sections.append(
        Section(
            "Demand against capacity",
            governance.capacity_sentences(start, end)
            or ["No team has recorded its establishment: workload per full-time equivalent cannot be shown."],
        )
    )
    stage(3)
    timeliness = presenters.timeliness(suppress=SUPPRESS, period=label)
    sections.append(
        Section(
            "Timeliness against the statutory clocks",
            [
                f"{item['clock'].title} ({item['clock'].amount_and_unit}): "
                + ("reported below." if item["reports"] else "no module reports against this clock yet.")
                for item in timeliness
            ],
            [chart for item in timeliness for chart in item["reports"]],
        )
    )
    sections.append(
        Section(
            "Equality",
            [
                "Rates and disproportionality ratios by ethnic group, sex and age band of the people in "
                "contact with the partnership in the year."
            ],
            presenters.equality(suppress=SUPPRESS, period=label)
            + [presenters.data_quality(suppress=SUPPRESS, period=label)],
        )
    )
    contribution = presenters.measure_groups(suppress=SUPPRESS, period=label)
    sections.append(
        Section(
            "Partnership contribution",
            [f"{group['app']}: {len(group['measures'])} measures." for group in contribution],
            [item["chart"] for group in contribution for item in group["measures"]],
        )
    )
    stamp = {
        "data_snapshot_sha256": selectors.fingerprint(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "safehub_version": safehub_version(),
        "period": label,
        "command": f"safehub report scrutiny --period {label}",
    }
    return Report(
        title="Safeguarding",
        meeting="Community Outcomes Meeting",
        subject="Safeguarding: partnership performance",
        period_label=label,
        fy_start=fy,
        sections=sections,
        definitions=catalogue.definitions(),
        stamp=stamp,
    )


def _developments(label: str) -> list[str]:
    """One line per module measure that is a plain count, generated from the year's snapshot."""
    lines = []
    snaps = selectors.snapshots(label)
    for group in presenters.measure_groups(suppress=SUPPRESS, period=label):
        for item in group["measures"]:
            snap = snaps.get(item["id"])
            if snap and isinstance(snap.result, dict):
                plain = {
                    k: v
                    for k, v in snap.result.items()
                    if isinstance(v, int | float) and not isinstance(v, bool)
                }
                # result_table suppresses small counts and any rate beside them, never a rate itself.
                _, rows = presenters.result_table(plain, suppress=SUPPRESS) if plain else ([], [])
                figures = ", ".join(f"{label.lower()} {value}" for label, value in rows)
                if figures:
                    lines.append(f"{item['title']} ({group['app']}): {figures}.")
    return lines or ["No module measures were available for the year."]
