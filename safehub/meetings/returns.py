"""The MARAC data return in the SafeLives style: one financial quarter, one district or several.

`marac_return(rows, quarter=...)` is pure: it aggregates plain `CaseRow`s (no ORM) into a
`MaracReturn`. `case_rows(quarter=..., district_codes=...)` is the selector that builds the rows
from the database: every case on the agenda of a MARAC meeting **held** (held, or minutes
approved) whose start falls in the quarter (Europe/London dates). Rows carry no names, only what
the counts need.

What is counted (each with its percentage of cases discussed):

- cases discussed; repeat cases (`is_repeat`: heard at MARAC in the 12 months before, SafeLives'
  repeat MARAC definition [V] http://safelives.org.uk/definition-repeat-marac) and the repeat rate;
- children in the households (the sum of `children_in_household`; cases where it was not
  recorded are counted separately, never guessed);
- referrals by referring agency type (the agency's kind; "Not recorded" when there is none);
- equality: BAME, LGBT (`lgbt` yes), disabled (the person's disability yes), male victims (sex
  male), and 16–17 year olds (age on the day of the meeting). Each has a "not recorded" count so
  the reader can see how complete the figure is.

**BAME.** [U] SafeLives asks MARACs for the number of "BAME" victims; which White sub-groups it
counts as BAME was not verified. Here BAME is every ONS 2021 category outside the "White" group
(Asian, Black, Mixed or Multiple, Other), `BAME_ETHNICITIES`; White Irish, Gypsy or Irish Traveller,
Roma and Other White are not counted, and "Not stated" is "not recorded". Change the constant (and
its test) if the partnership's SafeLives contact says otherwise.

**No national comparison.** SafeLives publishes national MARAC figures, but no source for them is
held here, so the return shows the partnership's own figures only: no benchmark is invented.

**Small numbers.** The figures go to SafeLives and within the MARAC partnership unsuppressed, so
MARAC coordinators (who submit the return) and the management command see exact counts. Analysts and
the commissioner (aggregate roles, whose figures travel into published reports) see any count from 1
to 4 as "fewer than 5" with no percentage (`suppress`); 0 is shown as 0. There is no secondary
suppression: where one agency type is hidden, it could be worked out from the total and the others;
the equality counts, the ones about who a victim is, are each a separate share of the total, so a
hidden one cannot be recovered that way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from safehub.core.models import AgencyKind
from safehub.people.models import Disability, Ethnicity, Sex
from safehub.people.rules import age_on

LONDON = ZoneInfo("Europe/London")

# ONS 2021 categories counted as BAME: every group outside "White" (see the module docstring, [U]).
BAME_ETHNICITIES = frozenset(
    {
        Ethnicity.ASIAN_BANGLADESHI,
        Ethnicity.ASIAN_CHINESE,
        Ethnicity.ASIAN_INDIAN,
        Ethnicity.ASIAN_PAKISTANI,
        Ethnicity.ASIAN_OTHER,
        Ethnicity.BLACK_AFRICAN,
        Ethnicity.BLACK_CARIBBEAN,
        Ethnicity.BLACK_OTHER,
        Ethnicity.MIXED_WHITE_ASIAN,
        Ethnicity.MIXED_WHITE_BLACK_AFRICAN,
        Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN,
        Ethnicity.MIXED_OTHER,
        Ethnicity.OTHER_ARAB,
        Ethnicity.OTHER_ANY,
    }
)
SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"
NOT_RECORDED = "Not recorded"
# Financial quarters: Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.
QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}
_QUARTER = re.compile(r"^\s*(\d{4})/(\d{2})[\s-]*[Qq]([1-4])\s*$")


class QuarterError(ValueError):
    """A quarter that cannot be read, or one that has not started."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: `year` is the year the financial year starts (2026 for 2026/27)."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number}"

    @property
    def code(self) -> str:
        """The form the command and the page's query string use: 2026/27-Q3."""
        return self.label.replace(" ", "-")

    @property
    def start(self) -> date:
        month = QUARTER_START_MONTH[self.number]
        return date(self.year + (1 if self.number == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter."""
        return self.next().start

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: midnight (Europe/London) on the first day, and on the day after the end."""
        return (
            datetime.combine(self.start, time.min, tzinfo=LONDON),
            datetime.combine(self.end, time.min, tzinfo=LONDON),
        )


def quarter_of(day: date) -> Quarter:
    if day.month >= 4:
        return Quarter(day.year, (day.month - 4) // 3 + 1)
    return Quarter(day.year - 1, 4)


def parse_quarter(text: str, *, today: date | None = None) -> Quarter:
    """"2026/27-Q3" or "2026/27 Q3" as a Quarter; QuarterError naming the problem otherwise.

    With `today`, a quarter that has not started yet is refused (it has no meetings to count).
    """
    found = _QUARTER.match(text or "")
    if not found:
        raise QuarterError(
            f"Enter the quarter as a financial year and quarter, like 2026/27-Q3, not {text!r}"
        )
    year, short, number = int(found[1]), int(found[2]), int(found[3])
    if short != (year + 1) % 100:
        raise QuarterError(
            f"{found[1]}/{found[2]} is not a financial year: it should be {year}/{(year + 1) % 100:02d}"
        )
    quarter = Quarter(year, number)
    if today is not None and quarter.start > today:
        starts = f"{quarter.start.day} {quarter.start:%B %Y}"
        raise QuarterError(f"{quarter.label} has not started yet (it starts on {starts})")
    return quarter


def recent_quarters(today: date, count: int = 8) -> list[Quarter]:
    """The current quarter and the `count - 1` before it, newest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


@dataclass(frozen=True)
class CaseRow:
    """One case heard at a MARAC, with only what the return counts."""

    meeting_day: date
    district: str
    is_repeat: bool = False
    children_in_household: int | None = None
    referring_agency_kind: str = ""
    lgbt: str = "not_known"
    ethnicity: str = Ethnicity.NOT_STATED
    disability: str = Disability.NOT_KNOWN
    sex: str = Sex.NOT_KNOWN
    date_of_birth: date | None = None


@dataclass(frozen=True)
class Figure:
    """One line of the return: a count, its share of cases discussed and how many are not recorded."""

    key: str
    label: str
    count: int | str
    percent: float | None = None
    not_recorded: int | str | None = None


@dataclass
class MaracReturn:
    quarter: Quarter
    districts: list[str]
    cases: Figure
    repeats: Figure
    children: Figure
    referrals: list[Figure] = field(default_factory=list)
    equality: list[Figure] = field(default_factory=list)
    suppressed: bool = False

    @property
    def cases_lines(self) -> list[Figure]:
        return [self.cases, self.repeats, self.children]

    @property
    def figures(self) -> list[tuple[str, Figure]]:
        """Every figure with its section, in the order the page and the files show them."""
        lines = [("Cases", self.cases), ("Cases", self.repeats), ("Cases", self.children)]
        lines += [("Referrals by agency", f) for f in self.referrals]
        lines += [("Equality", f) for f in self.equality]
        return lines

    def as_dict(self) -> dict[str, Any]:
        def one(figure: Figure) -> dict[str, Any]:
            return {
                "key": figure.key,
                "label": figure.label,
                "count": figure.count,
                "percent": figure.percent,
                "not_recorded": figure.not_recorded,
            }

        return {
            "quarter": self.quarter.label,
            "from": self.quarter.start.isoformat(),
            "to": self.quarter.last_day.isoformat(),
            "districts": self.districts,
            "suppressed": self.suppressed,
            "cases_discussed": one(self.cases),
            "repeat_cases": one(self.repeats),
            "children_in_households": one(self.children),
            "referrals_by_agency": [one(f) for f in self.referrals],
            "equality": [one(f) for f in self.equality],
        }


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def is_bame(ethnicity: str) -> bool:
    return ethnicity in BAME_ETHNICITIES


def is_16_or_17(row: CaseRow) -> bool:
    return age_on(row.date_of_birth, row.meeting_day) in (16, 17)


def _kind_label(kind: str) -> str:
    return dict(AgencyKind.choices).get(kind, kind) if kind else NOT_RECORDED


# (key, label, counted, not recorded) for each equality line.
EQUALITY: tuple[tuple[str, str, Callable[[CaseRow], bool], Callable[[CaseRow], bool]], ...] = (
    ("bame", "BAME victims", lambda r: is_bame(r.ethnicity), lambda r: r.ethnicity in ("", "not_stated")),
    ("lgbt", "LGBT+ victims", lambda r: r.lgbt == "yes", lambda r: r.lgbt not in ("yes", "no")),
    (
        "disabled",
        "Disabled victims",
        lambda r: r.disability == Disability.YES,
        lambda r: r.disability not in (Disability.YES, Disability.NO),
    ),
    ("male", "Male victims", lambda r: r.sex == Sex.MALE, lambda r: r.sex not in (Sex.MALE, Sex.FEMALE)),
    ("age_16_17", "Victims aged 16 or 17", is_16_or_17, lambda r: r.date_of_birth is None),
)


def marac_return(rows: list[CaseRow], *, quarter: Quarter, districts: list[str]) -> MaracReturn:
    """Aggregate the rows of `quarter` (rows outside it are ignored) into the return."""
    cases = [row for row in rows if quarter.contains(row.meeting_day)]
    total = len(cases)
    repeats = sum(1 for row in cases if row.is_repeat)
    children = sum(row.children_in_household or 0 for row in cases)
    children_unknown = sum(1 for row in cases if row.children_in_household is None)
    kinds = Counter(row.referring_agency_kind or "" for row in cases)
    referrals = [
        Figure(f"referrals.{kind or 'not_recorded'}", _kind_label(kind), count, _percent(count, total))
        for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0] == "", item[0]))
    ]
    equalities = []
    for key, label, counted, unknown in EQUALITY:
        count = sum(1 for row in cases if counted(row))
        missing = sum(1 for row in cases if unknown(row))
        equalities.append(Figure(key, label, count, _percent(count, total), missing))
    return MaracReturn(
        quarter=quarter,
        districts=districts,
        cases=Figure("cases", "Cases discussed", total, 100.0 if total else None),
        repeats=Figure("repeats", "Repeat cases", repeats, _percent(repeats, total)),
        children=Figure("children", "Children in the households", children, None, children_unknown),
        referrals=referrals,
        equality=equalities,
    )


def _hide(value: int | str | None) -> int | str | None:
    if isinstance(value, int) and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def suppress(result: MaracReturn) -> MaracReturn:
    """The return with every count from 1 to 4 shown as "fewer than 5" and its percentage hidden."""

    def hide(figure: Figure) -> Figure:
        count = _hide(figure.count)
        percent = None if count == SUPPRESSED else figure.percent
        return Figure(figure.key, figure.label, count, percent, _hide(figure.not_recorded))

    return MaracReturn(
        quarter=result.quarter,
        districts=result.districts,
        cases=hide(result.cases),
        repeats=hide(result.repeats),
        children=hide(result.children),
        referrals=[hide(f) for f in result.referrals],
        equality=[hide(f) for f in result.equality],
        suppressed=True,
    )


# --- who may read it, and the selector --------------------------------------------------------


def sees_exact_figures(user: Any) -> bool:
    """MARAC coordinators (who submit the return) see exact counts."""
    from safehub.meetings.models import Kind

    if not (getattr(user, "is_authenticated", False) and user.has_person_level_access):
        return False
    return user.coordinated_series.filter(kind=Kind.MARAC).exists()


def may_read_return(user: Any) -> bool:
    """Aggregate roles (analyst, commissioner) and MARAC coordinators: counts only."""
    from safehub.core.roles import AGGREGATE_ROLES

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_role(*AGGREGATE_ROLES) or sees_exact_figures(user)


def case_rows(*, quarter: Quarter, district_codes: list[str] | None = None) -> list[CaseRow]:
    """The cases of MARAC meetings held in `quarter` (all districts when `district_codes` is None).

    Uses index meeting_series_starts (a series' meetings by date); no names leave the query.
    """
    from safehub.meetings.models import Kind, MeetingCase, MeetingStatus

    start, end = quarter.bounds()
    cases = MeetingCase.objects.filter(
        meeting__series__kind=Kind.MARAC,
        meeting__status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    )
    if district_codes is not None:
        cases = cases.filter(meeting__series__district__code__in=district_codes)
    values = cases.values_list(
        "meeting__starts_at",
        "meeting__series__district__code",
        "is_repeat",
        "children_in_household",
        "referring_agency__kind",
        "lgbt",
        "person__ethnicity",
        "person__disability",
        "person__sex",
        "person__date_of_birth",
    )
    return [
        CaseRow(
            meeting_day=starts_at.astimezone(LONDON).date(),
            district=district,
            is_repeat=repeat,
            children_in_household=children,
            referring_agency_kind=kind or "",
            lgbt=lgbt,
            ethnicity=ethnicity,
            disability=disability,
            sex=sex,
            date_of_birth=dob,
        )
        for starts_at, district, repeat, children, kind, lgbt, ethnicity, disability, sex, dob in values
    ]


def return_for(
    *, quarter: Quarter, district_codes: list[str] | None, district_names: list[str]
) -> MaracReturn:
    """The return built from the database (exact figures)."""
    rows = case_rows(quarter=quarter, district_codes=district_codes)
    return marac_return(rows, quarter=quarter, districts=district_names)
