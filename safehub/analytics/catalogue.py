"""The metric catalogue: every figure the dashboard, the API and the scrutiny report show has a
governed definition here (id, title, description, source records, numerator, denominator, filters,
caveats, owner, version). Change a definition's meaning and its version goes up.

Three kinds of entry:
- demand series (`SERIES`): monthly counts in the rollup, by district and category where the
  source has them; built from open data or from apps' measures (`measures` names them).
- derived figures (`DERIVED`): year-on-year change, rates per 1,000, disproportionality,
  suppression, forecasts: how every series is turned into the figures people read.
- every app measure (`registry`): its own declaration, with the catalogue's defaults for the
  governance fields the app did not declare. An app measure whose rows are monthly counts
  (`month` and `count`) also becomes a demand series of its own after `safehub analytics refresh`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from safehub.analytics import registry

OWNER_ANALYSIS = "Partnership performance analyst (OPCC)"


@dataclass(frozen=True)
class MetricDefinition:
    id: str
    title: str
    description: str
    source_records: str
    numerator: str
    denominator: str = "None (a count)"
    filters: str = "Period (by month), district, category"
    caveats: tuple[str, ...] = ()
    owner: str = OWNER_ANALYSIS
    version: str = "1"
    kind: str = "series"  # series | derived | measure
    breakdowns: tuple[str, ...] = ("month", "district", "category")
    measures: tuple[str, ...] = field(default=(), compare=False)
    subject: str = ""  # plural noun for generated sentences ("Recorded crimes")

    def as_dict(self) -> dict:
        data = asdict(self)
        data["caveats"] = list(self.caveats)
        data["breakdowns"] = list(self.breakdowns)
        data["measures"] = list(self.measures)
        return data


_SMALL = "Counts of 1 to 4 are shown as [c] to commissioners (and in the scrutiny report)."

SERIES: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        id="policeuk.street",
        title="Crimes and anti-social behaviour recorded (police.uk)",
        description="Street-level crimes and anti-social behaviour incidents published on police.uk for "
        "the force, by month, district and police.uk crime type.",
        source_records="police.uk street-level crime CSVs imported with `safehub import policeuk`",
        numerator="Rows of the police.uk files (one per crime or ASB incident)",
        caveats=(
            "Locations are snapped to anonymised points; a few rows fall in neighbouring local authorities "
            "and count under 'unknown district', with rows police.uk could not locate.",
            "Districts come from the ONS 2011 LSOA lookup (LSOA → local authority).",
            "police.uk publishes crimes as recorded at the time; later reclassifications are not reflected.",
            _SMALL,
        ),
        subject="Recorded crimes and ASB incidents",
    ),
    MetricDefinition(
        id="homeoffice.recorded_crime",
        title="Police recorded crime (Home Office)",
        description="Offences recorded by the force in each financial quarter, by Home Office offence group.",
        source_records="Home Office police recorded crime open data table (`safehub import homeoffice`)",
        numerator="Number_of_Offences for the force, summed by offence group and quarter",
        filters="Period (by quarter, stored at the quarter's first month), offence group; force-wide only",
        caveats=(
            "Force-wide: the table has no district breakdown.",
            "No domestic-abuse flag: the Home Office publishes domestic-abuse-related crime separately.",
            "Counted under the Home Office Counting Rules at the time of publication.",
        ),
        breakdowns=("month", "category"),
        subject="Recorded offences",
    ),
    MetricDefinition(
        id="homeoffice.safeguarding_offences",
        title="Safeguarding offences recorded (Home Office)",
        description="Modern slavery, child sexual exploitation, exploitation of prostitution and "
        "trafficking for sexual exploitation offences, by quarter.",
        source_records="Home Office police recorded crime open data table (offence codes 106, 71, 72, 24)",
        numerator="Number_of_Offences for those offence codes",
        filters="Period (by quarter), offence; force-wide only",
        caveats=("Force-wide only.", _SMALL),
        breakdowns=("month", "category"),
        subject="Safeguarding offences",
    ),
    MetricDefinition(
        id="contacts.demand",
        title="Contacts received",
        description="Calls and reports received by the force and partners, by opening incident category "
        "(NSIR style), district and month.",
        source_records="Contacts (contacts app), through its measures",
        numerator="Contacts received in the month",
        filters="Period, district and category",
        caveats=(
            "By opening category: a contact re-categorised later still counts under its first category.",
            "Rolled up nightly by `safehub analytics refresh`: figures are as of the last refresh.",
            _SMALL,
        ),
        measures=("contacts.by_month_district",),
        subject="Contacts received",
    ),
    MetricDefinition(
        id="referrals.demand",
        title="MASH referrals received",
        description="Referrals received by the MASH, by concern, district and month.",
        source_records="MASH referrals (referrals app), through its measures",
        numerator="Referrals received in the month (by concern: once under each concern)",
        caveats=(
            "A referral with two concerns counts once under each concern, so the categories add up to "
            "more than the total.",
            "As of the last `safehub analytics refresh`.",
            _SMALL,
        ),
        measures=(
            "referrals.referrals_by_month",
            "referrals.referrals_by_district",
            "referrals.referrals_by_category",
        ),
        subject="MASH referrals",
    ),
    MetricDefinition(
        id="missing.episodes",
        title="Missing person episodes reported",
        description="Missing episodes reported, by district and month.",
        source_records="Missing episodes (missing app), through its measures",
        numerator="Episodes reported in the month",
        filters="Period, district",
        caveats=("Each episode counts once, however many times the person went missing.", _SMALL),
        breakdowns=("month", "district"),
        measures=("missing.missing_by_month",),
        subject="Missing person episodes",
    ),
    MetricDefinition(
        id="meetings.marac_cases",
        title="Cases heard at MARAC",
        description="Cases on the agenda of MARAC meetings held, by district and month of the meeting.",
        source_records="MARAC meetings and cases (meetings app), through its measures",
        numerator="Cases heard (a case heard again at review counts again)",
        filters="Period, district",
        caveats=(_SMALL,),
        breakdowns=("month", "district"),
        measures=("meetings.marac_cases_by_district_month",),
        subject="Cases heard at MARAC",
    ),
    MetricDefinition(
        id="meetings.mace_cases",
        title="Cases heard at MACE",
        description="Cases on the agenda of MACE meetings held, by district and month of the meeting.",
        source_records="MACE meetings and cases (meetings app), through its measures",
        numerator="Cases heard (a case kept on review counts at each meeting)",
        filters="Period, district",
        caveats=(_SMALL,),
        breakdowns=("month", "district"),
        measures=("meetings.mace_cases_by_district_month",),
        subject="Cases heard at MACE",
    ),
)

DERIVED: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        id="derived.year_on_year",
        title="Year-on-year change",
        description="The count for a period against the same period a year earlier (same months), and "
        "the rolling 12 months to the latest month against the 12 months before.",
        source_records="Any demand series",
        numerator="Count in the period minus count in the same period a year before",
        denominator="Count in the same period a year before",
        filters="As the series",
        caveats=("No percentage when the earlier period is empty or missing from the data.",),
        kind="derived",
    ),
    MetricDefinition(
        id="derived.rate_per_1000",
        title="Rate per 1,000 population",
        description="A district's count per 1,000 usual residents.",
        source_records="Any demand series; district population (2011 Census, `safehub import census`)",
        numerator="Count in the district in the period",
        denominator="Usual residents of the district / 1,000",
        filters="As the series",
        caveats=(
            "Population is the 2011 Census (the lookup shipped with the data); rates are not shown when no "
            "population is loaded.",
            "Not annualised: a rate over three months is a third of a year's rate.",
        ),
        kind="derived",
    ),
    MetricDefinition(
        id="derived.disproportionality",
        title="Disproportionality ratio",
        description="A group's share of the people in contact with the partnership over its share of the "
        "reference population; 1.0 is proportionate, 2.0 twice the expected share.",
        source_records="People measures (ethnicity, sex, age band); population breakdown when loaded",
        numerator="Group's share of people in contact in the period",
        denominator="Group's share of the population (`safehub import population`), or of everyone on "
        "the person index when no population breakdown is loaded",
        filters="Period",
        caveats=(
            "Against the person index, the ratio says who is over-represented among those in contact this "
            "period compared with everyone Safehub knows, not compared with residents.",
            _SMALL,
        ),
        kind="derived",
    ),
    MetricDefinition(
        id="derived.small_number_suppression",
        title="Small-number suppression",
        description="Counts of 1 to 4 are replaced by [c] in anything a commissioner sees (dashboard, CSV, "
        "API, scrutiny report), and rates and ratios built on them are not shown.",
        source_records="Every count",
        numerator="n/a",
        denominator="n/a",
        filters="Commissioner role and the scrutiny report",
        caveats=("Primary suppression only: a suppressed cell may sometimes be worked out from a total.",),
        kind="derived",
    ),
    MetricDefinition(
        id="derived.forecast",
        title="Demand forecast",
        description="Monthly forecasts 48 months ahead with 80% and 95% intervals. For each series the "
        "model (seasonal naive, drift, Holt damped trend, Holt-Winters, ARIMA) is chosen by rolling-origin "
        "backtest: refit at each of the last 6 origins, forecast 3 months ahead, lowest mean absolute "
        "error wins.",
        source_records="Any demand series with at least 24 months of history",
        numerator="Forecast monthly count",
        denominator="For the sentence: the last 12 months' actual count",
        filters="Series, district, category",
        caveats=(
            "A forecast extends the past: it cannot see a new policy, a recording change or a campaign.",
            "Intervals show the model's uncertainty, not every source of error; the backtest error is "
            "shown beside each forecast.",
        ),
        kind="derived",
        version="1",
    ),
    MetricDefinition(
        id="derived.campaign_impact",
        title="Campaign impact (interrupted time series)",
        description="The change in a campaign's target series associated with its start: segmented "
        "regression of the monthly counts on time, a level change and a trend change at the start, with "
        "seasonality (a sine and cosine pair below 36 months of data, calendar-month terms from 36), "
        "ordinary least squares with Newey-West standard errors (never below the ordinary ones). The "
        "average monthly change after the start is observed minus the counterfactual the months before "
        "predict, with its 95% confidence interval, also as a percentage of the counterfactual.",
        source_records="A campaign in the activity register and its target demand series",
        numerator="Observed minus counterfactual monthly count, averaged over the months after the start",
        denominator="For the percentage: the mean counterfactual over those months",
        filters="The campaign's target series, category and district",
        caveats=(
            "Association, not proof: anything else that changed at the same time (recording practice, other "
            "campaigns, a new policy) is counted as the campaign's effect.",
            "Needs 12 complete months before the start and 3 after; a month the campaign started part-way "
            "through is shown but left out of the fit.",
            _SMALL,
        ),
        kind="derived",
        version="1",
    ),
    MetricDefinition(
        id="derived.workload_per_fte",
        title="Demand against capacity (workload per full-time equivalent)",
        description="For each team with a recorded establishment: new work a month from the demand series "
        "its kind of work maps to (its district's, or the force's for a force-wide team) over the full-time "
        "equivalents in post; open cases at the end of the period per FTE where an open-caseload measure "
        "exists; vacancy rate (establishment minus in post, over establishment); and the forecast new work "
        "per FTE at current staffing.",
        source_records="Team establishment records (activities app) and the demand series and forecasts",
        numerator="New work in the month (or open cases at the end of the period)",
        denominator="Full-time equivalents in post",
        filters="District, period",
        caveats=(
            "Where two teams share a district's workload, each team's row divides the whole district's work "
            "by its own staff: the district total is the fair figure.",
            "A month with no demand figure is unknown, not zero.",
            _SMALL,
        ),
        kind="derived",
        version="1",
    ),
)


def measure_definition(measure: registry.ModuleMeasure) -> MetricDefinition:
    return MetricDefinition(
        id=measure.id,
        title=measure.title,
        description=measure.definition,
        source_records=f"{measure.app_name} module's records, through {measure.app_label}/measures.py",
        numerator=measure.numerator or "As the definition says",
        denominator=measure.denominator or "As the definition says (None for a count)",
        filters="Period"
        + (f"; timeliness against the {', '.join(measure.clocks)} clock" if measure.clocks else ""),
        caveats=((measure.caveats,) if measure.caveats else ()) + (_SMALL,),
        owner=measure.owner,
        version=measure.version,
        kind="measure",
        breakdowns=(),
        measures=(measure.id,),
        subject=measure.title,
    )


def series_for_measure(measure: registry.ModuleMeasure) -> MetricDefinition:
    """A monthly-count measure not used by a built-in series becomes a demand series of its own."""
    base = measure_definition(measure)
    return MetricDefinition(
        **{
            **base.as_dict(),
            "caveats": base.caveats,
            "measures": (measure.id,),
            "kind": "series",
            "breakdowns": ("month", "district", "category"),
            "filters": "Period, and district or category where the measure gives them",
        }
    )


def used_measures() -> set[str]:
    return {measure for series in SERIES for measure in series.measures}


def definitions(*, include_auto: bool = True) -> list[MetricDefinition]:
    """Every governed definition: series, derived figures, every app's measures (and the automatic
    series built from apps' monthly measures that the rollup holds)."""
    items = list(SERIES)
    if include_auto:
        items.extend(auto_series())
    items.extend(DERIVED)
    items.extend(measure_definition(m) for m in registry.all_measures())
    return items


def auto_series() -> list[MetricDefinition]:
    from safehub.analytics.models import MonthlyCount

    built_in = {series.id for series in SERIES}
    stored = set(MonthlyCount.objects.values_list("series", flat=True).distinct())
    result = []
    for measure in registry.all_measures():
        if measure.id in stored and measure.id not in built_in and measure.id not in used_measures():
            result.append(series_for_measure(measure))
    return result


def get(metric_id: str) -> MetricDefinition | None:
    return next((d for d in definitions() if d.id == metric_id), None)


def series_definitions() -> list[MetricDefinition]:
    return [d for d in definitions() if d.kind == "series"]
