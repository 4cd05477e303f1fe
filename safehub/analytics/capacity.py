"""Demand against capacity: new work and open cases per full-time equivalent (FTE) in post, by team
and district, beside the demand forecast, so the force can see where to move resource.

Everything is read one way (ARCHITECTURE.md): staffing from `activities.selectors.monthly_fte`
(establishment and people in post, as in force on the 1st of each month); new work from the
analytics store (the demand series in `WORKLOAD_SERIES`); open cases from the referrals and missing
apps' open-caseload measures, through `registry` only; forecasts from the stored `Forecast` rows.

Definitions (the page and the API say the same):
- vacancy rate: (establishment - in post) / establishment, in percent (negative: over establishment);
- new work per FTE: new work in the period's months / FTE-months in post in those months (the
  monthly average of new work over the monthly average of people in post); a month the demand
  series does not hold is unknown, not zero, and is left out;
- open cases per FTE: open cases at the end of the period / FTE in post in its last month;
- forecast per FTE: mean forecast new work a month over the next 3 (or 6) months from this month /
  FTE in post this month ("at current staffing").
A team in a district is measured against its district's demand, a team with no district (force-wide)
against the whole force's. The district total for a workload counts the demand once against all its
teams' staff, so where two teams share a workload the total, not the team row, is the fair figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.utils import timezone

from safehub.activities import selectors as activities
from safehub.activities.models import Workload
from safehub.analytics import registry, rules, selectors
from safehub.core.models import Force

FORCE_WIDE = ""
FORECAST_MONTHS = (3, 6)


@dataclass(frozen=True)
class Demand:
    """The demand series that measures a workload's new work (categories summed when given)."""

    series: str
    noun: str  # "referrals": for sentences ("12.5 referrals a month per FTE")
    categories: tuple[str, ...] = ()
    open_measure: str = ""  # a point-in-time open-caseload measure, "<app>.<id>", when one exists
    note: str = ""


WORKLOAD_SERIES: dict[str, Demand] = {
    Workload.MASH: Demand("referrals.demand", "referrals", open_measure="referrals.open_caseload"),
    Workload.DOMESTIC_ABUSE: Demand("contacts.demand", "domestic abuse contacts", ("domestic",)),
    Workload.EXPLOITATION: Demand(
        "referrals.demand",
        "exploitation referrals",
        ("cse", "cce"),
        note="Child exploitation: MASH referrals with a CSE or CCE concern (a referral with both counts "
        "twice). The referrals series gives concerns for the whole force only, so a team in one "
        "district has no figure.",
    ),
    Workload.MISSING: Demand(
        "missing.episodes", "missing episodes", open_measure="missing.missing_open_caseload"
    ),
    Workload.MARAC: Demand("meetings.marac_cases", "MARAC cases"),
    Workload.MACE: Demand("meetings.mace_cases", "MACE cases"),
    Workload.CONTACTS: Demand("contacts.demand", "contacts"),
}
WORKLOAD_LABELS = dict(Workload.choices)
CAVEATS = (
    "New work per FTE divides the work arriving in a team's district (or the whole force, for a team "
    "with no district) by the team's people in post. Where two teams share a workload in a district, "
    "read the district total, which counts the work once against both teams' staff.",
    "Staffing is as in force on the 1st of each month; a month before a team's first establishment "
    "record is unknown and left out.",
    "Open cases are counted at the end of the period: MASH referrals not yet decided, and missing "
    "episodes not yet found plus return home interviews outstanding. Other workloads have no "
    "open-caseload measure yet.",
    "Forecast per FTE: the stored demand forecast's mean for the next 3 and 6 months from this month, "
    "over the people in post this month (at current staffing). A forecast cannot see a policy change.",
    "Figures per FTE compare teams doing the same work; a contact and a MARAC case are not the same "
    "amount of work.",
)


# --- pure computations ---------------------------------------------------------------------------


def vacancy_percent(establishment: float | None, in_post: float | None) -> float | None:
    """(establishment - in post) / establishment in percent; None with no establishment."""
    if establishment is None or in_post is None or establishment <= 0:
        return None
    return round(100 * (establishment - in_post) / establishment, 1)


def per_fte(amount: float | None, fte: float | None) -> float | None:
    """`amount` per FTE in post; None when either is unknown or nobody is in post."""
    if amount is None or fte is None or fte <= 0:
        return None
    return round(amount / fte, 2)


def forecast_average(points: Iterable[dict], from_month: date, months: int) -> float | None:
    """The mean forecast a month over `months` months from `from_month` (points as stored in
    `Forecast.points`); None when the forecast does not cover all of them."""
    wanted = {(from_month + relativedelta(months=i)).strftime("%Y-%m") for i in range(months)}
    means = [float(p["mean"]) for p in points if p.get("month") in wanted]
    if len(means) != months:
        return None
    return round(sum(means) / months, 2)


@dataclass(frozen=True)
class Figure:
    """One area's figures for one workload, the input to the pressure ranking."""

    district: str
    workload: str
    per_fte: float | None
    forecast_per_fte: float | None = None


@dataclass(frozen=True)
class Pressure:
    district: str
    workload: str
    per_fte: float | None
    relative: float | None  # per FTE over the average for the workload across areas (1.0: average)
    forecast_per_fte: float | None
    growth_percent: float | None  # forecast per FTE against the period's per FTE


def pressure_ranking(figures: Iterable[Figure]) -> list[Pressure]:
    """Areas ranked by pressure: new work per FTE against the average for the same workload across
    the areas that do it (different kinds of work are not compared), highest first; areas of a
    workload only one area does come after, by forecast growth."""
    figures = list(figures)
    by_workload: dict[str, list[float]] = defaultdict(list)
    for item in figures:
        if item.per_fte is not None:
            by_workload[item.workload].append(item.per_fte)
    ranked = []
    for item in figures:
        values = by_workload.get(item.workload, [])
        mean = sum(values) / len(values) if len(values) > 1 else None
        relative = round(item.per_fte / mean, 2) if mean and item.per_fte is not None else None
        growth = None
        if item.forecast_per_fte is not None and item.per_fte:
            growth = round(100 * (item.forecast_per_fte - item.per_fte) / item.per_fte, 1)
        ranked.append(
            Pressure(item.district, item.workload, item.per_fte, relative, item.forecast_per_fte, growth)
        )

    def order(p: Pressure):
        return (
            p.relative is None,
            -(p.relative or 0),
            p.growth_percent is None,
            -(p.growth_percent or 0),
            p.district,
            p.workload,
        )

    return sorted(ranked, key=order)


def _number(value: float) -> str:
    return f"{value:,.1f}"


def pressure_sentences(
    ranking: list[Pressure], place_names: dict[str, str], *, horizon: int = FORECAST_MONTHS[-1]
) -> list[str]:
    """Where pressure is highest now, and where it is forecast to grow most (plain sentences)."""

    def where(p: Pressure) -> str:
        label = WORKLOAD_LABELS.get(p.workload, p.workload)
        return f"{label} in {place_names.get(p.district, p.district)}"

    def noun(p: Pressure) -> str:
        demand = WORKLOAD_SERIES.get(p.workload)
        return demand.noun if demand else "items"

    sentences = []
    top = next((p for p in ranking if p.relative is not None and p.relative > 1), None)
    if top is not None:
        areas = sum(1 for p in ranking if p.workload == top.workload and p.per_fte is not None)
        sentences.append(
            f"Pressure is highest in {where(top)}: {_number(top.per_fte or 0)} new {noun(top)} a month "
            f"per FTE in post, {top.relative:.1f} times the average of the {areas} areas doing the same work."
        )
    elif any(p.per_fte is not None for p in ranking):
        sentences.append(
            "No two areas do the same work with figures for the period, so pressure cannot be compared "
            "between areas."
        )
    growing = [p for p in ranking if p.growth_percent is not None]
    if growing:
        most = max(growing, key=lambda p: (p.growth_percent, p.district, p.workload))
        if most.growth_percent and most.growth_percent > 0:
            sentences.append(
                f"Pressure is forecast to grow most in {where(most)}: from {_number(most.per_fte or 0)} to "
                f"{_number(most.forecast_per_fte or 0)} new {noun(most)} a month per FTE over the next "
                f"{horizon} months at current staffing ({most.growth_percent:+.0f}%)."
            )
        else:
            sentences.append(
                f"No area is forecast to get more new work per FTE over the next {horizon} months at "
                "current staffing."
            )
    return sentences


# --- figures from the stores --------------------------------------------------------------------


@dataclass
class MonthFigure:
    month: date
    new_work: int | None  # None: the demand series does not hold this month
    establishment_fte: float | None  # None: no establishment record in force yet
    in_post_fte: float | None

    @property
    def per_fte(self) -> float | None:
        return per_fte(self.new_work, self.in_post_fte)


@dataclass
class Line:
    """One team, or one district's total for one workload (kind "total", team blank)."""

    kind: str  # "team" or "total"
    district: str
    workload: str
    months: list[MonthFigure]
    team_id: Any = None
    team: str = ""
    agency: str = ""
    teams: int = 1
    current_in_post_fte: float | None = None  # this month: "current staffing"
    open_cases: int | None = None
    forecasts: dict[int, float | None] = field(default_factory=dict)  # months ahead → new work a month
    unavailable: str = ""  # why there is no new-work figure

    @property
    def demand(self) -> Demand | None:
        return WORKLOAD_SERIES.get(self.workload)

    @property
    def _last_staffed(self) -> MonthFigure | None:
        return next((m for m in reversed(self.months) if m.in_post_fte is not None), None)

    @property
    def establishment_fte(self) -> float | None:
        last = self._last_staffed
        return last.establishment_fte if last else None

    @property
    def in_post_fte(self) -> float | None:
        last = self._last_staffed
        return last.in_post_fte if last else None

    @property
    def vacancy_percent(self) -> float | None:
        return vacancy_percent(self.establishment_fte, self.in_post_fte)

    @property
    def months_with_work(self) -> list[MonthFigure]:
        return [m for m in self.months if m.new_work is not None]

    @property
    def new_work(self) -> int | None:
        held = self.months_with_work
        return sum(m.new_work or 0 for m in held) if held else None

    @property
    def new_work_per_month(self) -> float | None:
        held = self.months_with_work
        return round(sum(m.new_work or 0 for m in held) / len(held), 1) if held else None

    @property
    def per_fte(self) -> float | None:
        """New work a month per FTE in post, over the months with both figures."""
        both = [m for m in self.months if m.new_work is not None and m.in_post_fte is not None]
        fte_months = sum(m.in_post_fte or 0 for m in both)
        return per_fte(sum(m.new_work or 0 for m in both), fte_months) if both else None

    @property
    def open_per_fte(self) -> float | None:
        return per_fte(self.open_cases, self.in_post_fte)

    def forecast_per_fte(self, months: int) -> float | None:
        return per_fte(self.forecasts.get(months), self.current_in_post_fte)


@dataclass
class Group:
    total: Line
    teams: list[Line]


@dataclass
class Report:
    force_id: Any
    start: date  # first month
    end: date  # the month after the last
    district: str
    this_month: date
    groups: list[Group]
    place_names: dict[str, str]
    notes: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[date]:
        return rules.months_between(self.start, self.end)

    def lines(self) -> list[Line]:
        return [line for group in self.groups for line in (group.total, *group.teams)]

    def place(self, district: str) -> str:
        return self.place_names.get(district, district)


def place_names() -> dict[str, str]:
    return {**selectors.district_names(), FORCE_WIDE: "force-wide"}


def force_id_for(user) -> Any:
    """The caller's partnership; an aggregate user with no agency reads the only force there is."""
    if getattr(user, "agency_id", None):
        return user.agency.force_id
    forces = list(Force.objects.values_list("pk", flat=True)[:2])
    return forces[0] if len(forces) == 1 else None


def monthly_new_work(demand: Demand, district: str, start: date, end: date) -> dict[date, int]:
    """{month: new work} for the months the series holds (0 where it holds the month but not this
    area). Raises `selectors.Unavailable` when the series cannot answer for this district."""
    grains = selectors._grains(demand.series)
    held = selectors.months_with_data(demand.series, start, end)
    if demand.categories:
        rows = selectors._rows_for(selectors.Query(demand.series, start, end, district, "category"), grains)
        series_categories = selectors._rows_for(
            selectors.Query(demand.series, date(1990, 1, 1), date(2999, 1, 1), "", "category"), grains
        )
        if not series_categories.filter(category__in=demand.categories).exists():
            raise selectors.Unavailable(
                f"The {demand.series} series holds no {' or '.join(demand.categories)} category yet."
            )
        rows = rows.filter(category__in=demand.categories)
    else:
        rows = selectors._rows_for(selectors.Query(demand.series, start, end, district, "month"), grains)
    counts = dict(
        rows.order_by("month").values_list("month").annotate(total=Sum("count")).values_list("month", "total")
    )
    return {month: counts.get(month, 0) for month in held}


def open_cases(measure_id: str, end: date) -> dict[str, int] | None:
    """{district: open cases} at the start of `end` (the month after the period), from the app's
    open-caseload measure; None when that measure is not installed."""
    measure = registry.get(measure_id)
    if measure is None:
        return None
    tz = timezone.get_current_timezone()
    moment = datetime.combine(end, time.min, tz)
    totals: dict[str, int] = defaultdict(int)
    for row in measure.query(moment - relativedelta(months=1), moment) or []:
        totals[str(row.get("district") or "")] += int(row["count"])
    return dict(totals)


def forecast_cells() -> dict[str, tuple[str, ...]]:
    """The series and categories a workload counts, for `forecasting.forecast_all(cells=...)`:
    a district team's forecast needs its district's forecast of those categories."""
    cells: dict[str, tuple[str, ...]] = {}
    for demand in WORKLOAD_SERIES.values():
        if demand.categories:
            cells[demand.series] = tuple(dict.fromkeys(cells.get(demand.series, ()) + demand.categories))
    return cells


def forecast_new_work(demand: Demand, district: str, from_month: date, months: int) -> float | None:
    """Mean forecast new work a month over the next `months` months (categories summed); None when
    any forecast it needs is not stored (a series held by category for the whole force only)."""
    keys = [(district, c) for c in demand.categories] or [(district, "")]
    total = 0.0
    for key_district, category in keys:
        forecast = selectors.forecast_for(demand.series, key_district, category)
        average = forecast_average(forecast.points, from_month, months) if forecast else None
        if average is None:
            return None
        total += average
    return round(total, 2)


def build(force_id: Any, start: date, end: date, *, district: str = "", today: date | None = None) -> Report:
    """Every capacity team of the force (and each district's total per workload) over the months
    from `start` up to `end` (exclusive)."""
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    months = rules.months_between(start, end)
    names = place_names()
    report = Report(force_id, start, end, district, this_month, [], names)
    if force_id is None or not months:
        return report
    last = max(months[-1], this_month)
    staffing: dict[Any, dict[date, dict]] = defaultdict(dict)
    teams: dict[Any, dict] = {}
    for row in activities.monthly_fte(force_id, months[0], last):
        if row["workload"] not in WORKLOAD_SERIES or (district and row["district"] != district):
            continue
        staffing[row["team_id"]][row["month"]] = row
        teams.setdefault(row["team_id"], row)
    by_area: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for team in teams.values():
        by_area[(team["district"], team["workload"])].append(team)
    open_by_measure: dict[str, dict[str, int] | None] = {}
    order = list(Workload.values)
    for area_district, workload in sorted(
        by_area, key=lambda key: (key[0] == FORCE_WIDE, names.get(key[0], key[0]), order.index(key[1]))
    ):
        demand = WORKLOAD_SERIES[workload]
        unavailable = ""
        try:
            work = monthly_new_work(demand, area_district, start, end)
        except selectors.Unavailable as exc:
            work, unavailable = {}, str(exc)
        if not unavailable and not work:
            unavailable = f"No {demand.series} figures for these months: run `safehub analytics refresh`."
        opened = None
        if demand.open_measure:
            if demand.open_measure not in open_by_measure:
                open_by_measure[demand.open_measure] = open_cases(demand.open_measure, end)
            found = open_by_measure[demand.open_measure]
            if found is not None:
                opened = sum(found.values()) if area_district == FORCE_WIDE else found.get(area_district, 0)
        forecasts = {h: forecast_new_work(demand, area_district, this_month, h) for h in FORECAST_MONTHS}
        team_lines = []
        for team in sorted(by_area[(area_district, workload)], key=lambda t: (t["team"], t["agency"])):
            rows = staffing[team["team_id"]]
            team_lines.append(
                Line(
                    "team",
                    area_district,
                    workload,
                    [_month(m, work, [rows.get(m)]) for m in months],
                    team_id=team["team_id"],
                    team=team["team"],
                    agency=team["agency"],
                    current_in_post_fte=(rows.get(this_month) or {}).get("in_post_fte"),
                    open_cases=opened,
                    forecasts=forecasts,
                    unavailable=unavailable,
                )
            )
        all_rows = [staffing[t["team_id"]] for t in by_area[(area_district, workload)]]
        current = [r[this_month]["in_post_fte"] for r in all_rows if this_month in r]
        total = Line(
            "total",
            area_district,
            workload,
            [_month(m, work, [r.get(m) for r in all_rows]) for m in months],
            teams=len(team_lines),
            current_in_post_fte=sum(current) if current else None,
            open_cases=opened,
            forecasts=forecasts,
            unavailable=unavailable,
        )
        report.groups.append(Group(total, team_lines))
    report.notes = sorted(
        {
            WORKLOAD_SERIES[g.total.workload].note
            for g in report.groups
            if WORKLOAD_SERIES[g.total.workload].note
        }
    )
    return report


def _month(month: date, work: dict[date, int], rows: list[dict | None]) -> MonthFigure:
    staffed = [r for r in rows if r]
    return MonthFigure(
        month,
        work.get(month),
        sum(r["establishment_fte"] for r in staffed) if staffed else None,
        sum(r["in_post_fte"] for r in staffed) if staffed else None,
    )
