"""A meeting's agenda and action log, and the MARAC data return, as files to download.

Builders take objects the caller has already loaded through `safehub.meetings.access` (the
meeting, and its cases from `cases_for_meeting`, which checks the confidentiality statement and
audits the listing) and return plain data (`Agenda`, `ActionLog`); writers turn that into bytes:

- PDF: WeasyPrint from a print template (`meetings/exports/*.html`; A4, Arial, page numbers by
  CSS @page counters, "OFFICIAL-SENSITIVE" in every page's header and footer). The HTML is
  rendered by its own function so it can be tested (WeasyPrint compresses the PDF's text).
- XLSX: openpyxl, one header row in bold with frozen panes and column widths, dates as real
  dates, the marking in the print header and footer.
- CSV (the return only).

Every text cell of an XLSX or CSV goes through `safehub.core.csv_safety.safe_cell`, so a value
typed by anyone that starts with = + - @ cannot run as a formula. File names carry the district,
the kind of meeting and the date, never personal data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from safehub.core.csv_safety import safe_cell, write_csv
from safehub.meetings.models import Action, ActionStatus, ListedBy, Meeting, MeetingCase, Research, RiskLevel
from safehub.meetings.returns import MaracReturn

# The Government Security Classifications marking for partnership documents about people at risk.
MARKING = "OFFICIAL-SENSITIVE"
DATE_FORMAT = "DD/MM/YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
# The fields an agenda file holds, named in its export audit event (names only, never values).
AGENDA_FIELDS = ("person", "date_of_birth", "rules_fired", "manual_reason", "risk_level_before", "research")
ACTION_FIELDS = ("description", "owner_agency", "owner", "due_on", "status")


def _day_text(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _when(meeting: Meeting) -> datetime:
    return timezone.localtime(meeting.starts_at)


def meeting_title(meeting: Meeting) -> str:
    """"Leeds MARAC, 23 November 2026" (the series' name and the day)."""
    return f"{meeting.series.name}, {_day_text(_when(meeting).date())}"


def filename(meeting: Meeting, what: str, extension: str) -> str:
    """leeds-marac-2026-11-23-agenda.pdf: district, kind, date, what; no personal data."""
    series = meeting.series
    return f"{series.district.code}-{series.kind}-{_when(meeting):%Y-%m-%d}-{what}.{extension}"


# --- agenda ------------------------------------------------------------------------------------


@dataclass
class AgendaCase:
    number: int
    name: str
    date_of_birth: date | None
    why: list[str]
    risk_before: str
    research: list[str]
    awaiting: list[str]


@dataclass
class Agenda:
    title: str
    series: str
    day: date
    time: str
    location: str
    statement: str
    cases: list[AgendaCase] = field(default_factory=list)
    marking: str = MARKING
    produced: str = ""

    @property
    def day_text(self) -> str:
        return _day_text(self.day)


def why_listed(case: MeetingCase) -> list[str]:
    """Why the case is on the agenda, one line each: fired rules (title and reason), the
    coordinator's reason, the review it continues or the transfer."""
    lines = [f"{fired.get('title', '')}: {fired.get('reason', '')}" for fired in case.rules_fired or []]
    if case.listed_by == ListedBy.MANUAL:
        lines.append(f"Added by the coordinator: {case.manual_reason}".rstrip(": "))
    elif case.listed_by == ListedBy.REVIEW:
        earlier = case.review_of.meeting if case.review_of_id and case.review_of else None
        heard = f" heard on {_day_text(_when(earlier).date())}" if earlier else ""
        lines.append(f"Ongoing risk review of the case{heard}")
    elif case.listed_by == ListedBy.TRANSFER:
        lines.append("Transferred in from another area")
    return lines or [case.get_listed_by_display()]


def _member_agencies(meeting: Meeting) -> list[Any]:
    series = meeting.series
    agencies = {a.pk: a for a in series.member_agencies.all()}
    agencies[series.coordinating_agency_id] = series.coordinating_agency
    return sorted(agencies.values(), key=lambda a: a.name)


def _risk_label(level: str) -> str:
    return RiskLevel(level).label if level else "Not recorded"


def agenda_for(meeting: Meeting, cases: list[MeetingCase]) -> Agenda:
    """The agenda of `meeting` with `cases` (from `access.cases_for_meeting`), in order."""
    research: dict[Any, list[tuple[Any, str, bool]]] = {}
    rows = Research.objects.filter(case__in=[c.pk for c in cases]).order_by("agency__name", "created_at")
    for case_id, agency_id, agency_name, nothing in rows.values_list(
        "case_id", "agency_id", "agency__name", "nothing_known"
    ):
        research.setdefault(case_id, []).append((agency_id, agency_name, nothing))
    members = _member_agencies(meeting)
    when = _when(meeting)
    agenda = Agenda(
        title=meeting_title(meeting),
        series=meeting.series.name,
        day=when.date(),
        time=f"{when:%H:%M}",
        location=meeting.location,
        statement=meeting.confidentiality_statement,
        produced=f"Produced {timezone.localtime():%d/%m/%Y %H:%M}",
    )
    for number, case in enumerate(cases, start=1):
        got = research.get(case.pk, [])
        answered = {agency_id for agency_id, _, _ in got}
        agenda.cases.append(
            AgendaCase(
                number=number,
                name=case.person.full_name,
                date_of_birth=case.person.date_of_birth,
                why=why_listed(case),
                risk_before=_risk_label(case.risk_level_before),
                research=[f"{name}: {'nothing known' if no else 'research added'}" for _, name, no in got],
                awaiting=[a.name for a in members if a.pk not in answered],
            )
        )
    return agenda


def agenda_html(agenda: Agenda) -> str:
    context = {"agenda": agenda, "marking": agenda.marking, "produced": agenda.produced}
    return render_to_string("meetings/exports/agenda.html", context)


def agenda_xlsx(agenda: Agenda) -> bytes:
    header = [
        "No.", "Name", "Date of birth", "Why listed", "Risk before", "Research received", "Research awaited"
    ]
    rows = [
        [
            case.number,
            case.name,
            case.date_of_birth,
            "\n".join(case.why),
            case.risk_before,
            "\n".join(case.research) or "None yet",
            ", ".join(case.awaiting),
        ]
        for case in agenda.cases
    ]
    about = [
        ("Meeting", agenda.title),
        ("Date", agenda.day),
        ("Time", agenda.time),
        ("Location", agenda.location),
        ("Confidentiality statement", agenda.statement),
        ("Marking", agenda.marking),
    ]
    return _workbook(
        [
            _Sheet("Agenda", header, rows, [6, 28, 14, 60, 14, 45, 45]),
            _Sheet("Meeting", ["Item", "Detail"], [list(pair) for pair in about], [28, 90]),
        ]
    )


# --- action log --------------------------------------------------------------------------------


@dataclass
class ActionRow:
    case_number: int | None
    description: str
    owner_agency: str
    owner: str
    due_on: date
    status: str
    overdue: bool


@dataclass
class ActionLog:
    title: str
    day: date
    today: date
    actions: list[ActionRow] = field(default_factory=list)
    marking: str = MARKING
    produced: str = ""

    @property
    def day_text(self) -> str:
        return _day_text(self.day)

    @property
    def overdue_count(self) -> int:
        return sum(1 for action in self.actions if action.overdue)


def action_log_for(meeting: Meeting, cases: list[MeetingCase], *, today: date | None = None) -> ActionLog:
    """The actions agreed for `cases` (the meeting's agenda, from `access.cases_for_meeting`)."""
    today = today or timezone.localdate()
    numbers = {case.pk: number for number, case in enumerate(cases, start=1)}
    actions = (
        Action.objects.filter(case__in=list(numbers))
        .select_related("owner", "owner_agency")
        .order_by("case__position", "case__created_at", "due_on", "created_at")
    )
    log = ActionLog(
        title=meeting_title(meeting),
        day=_when(meeting).date(),
        today=today,
        produced=f"Produced {timezone.localtime():%d/%m/%Y %H:%M}",
    )
    for action in actions:
        log.actions.append(
            ActionRow(
                case_number=numbers.get(action.case_id),
                description=action.description,
                owner_agency=action.owner_agency.name,
                owner=str(action.owner),
                due_on=action.due_on,
                status=ActionStatus(action.status).label,
                overdue=action.status == ActionStatus.OPEN and action.due_on < today,
            )
        )
    return log


def action_log_html(log: ActionLog) -> str:
    context = {"log": log, "marking": log.marking, "produced": log.produced}
    return render_to_string("meetings/exports/actions.html", context)


def action_log_xlsx(log: ActionLog) -> bytes:
    header = ["Case", "Action", "Owner agency", "Owner", "Due", "Status", "Overdue"]
    rows = [
        [a.case_number, a.description, a.owner_agency, a.owner, a.due_on, a.status, a.overdue]
        for a in log.actions
    ]
    about = [("Meeting", log.title), ("Date", log.day), ("As at", log.today), ("Marking", log.marking)]
    return _workbook(
        [
            _Sheet("Actions", header, rows, [8, 60, 32, 24, 13, 12, 10]),
            _Sheet("Meeting", ["Item", "Detail"], [list(pair) for pair in about], [16, 60]),
        ]
    )


# --- the MARAC data return ---------------------------------------------------------------------

RETURN_HEADER = ["Section", "Measure", "Count", "Percent of cases discussed", "Not recorded"]


def return_rows(result: MaracReturn) -> list[list[Any]]:
    return [
        [section, figure.label, figure.count, "" if figure.percent is None else figure.percent,
         "" if figure.not_recorded is None else figure.not_recorded]
        for section, figure in result.figures
    ]


def return_csv(result: MaracReturn) -> str:
    """One line per figure, each naming the quarter and the districts (a file that stands alone)."""
    stream = io.StringIO()
    where = ", ".join(result.districts)
    rows = [[result.quarter.label, where, *row] for row in return_rows(result)]
    write_csv(rows, ["Quarter", "Districts", *RETURN_HEADER], stream)
    return stream.getvalue()


def return_xlsx(result: MaracReturn) -> bytes:
    about = [
        ("Quarter", result.quarter.label),
        ("From", result.quarter.start),
        ("To", result.quarter.last_day),
        ("Districts", ", ".join(result.districts)),
        ("Small numbers", "Counts from 1 to 4 shown as 'fewer than 5'" if result.suppressed else "Exact"),
    ]
    return _workbook(
        [
            _Sheet("Return", RETURN_HEADER, return_rows(result), [22, 34, 14, 28, 14], marking=""),
            _Sheet("About", ["Item", "Detail"], [list(pair) for pair in about], [16, 60], marking=""),
        ]
    )


def return_filename(result: MaracReturn, district_codes: list[str] | None, extension: str) -> str:
    where = "-".join(district_codes) if district_codes else "all-districts"
    return f"marac-return-{result.quarter.code.replace('/', '-').lower()}-{where}.{extension}"


# --- writers -----------------------------------------------------------------------------------


def pdf_from_html(html: str) -> bytes:
    """The PDF WeasyPrint makes of `html` (imported here: it is slow to import)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


@dataclass
class _Sheet:
    title: str
    header: list[str]
    rows: list[list[Any]]
    widths: list[int]
    marking: str = MARKING


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or isinstance(value, (int, float, date)):
        return value
    return safe_cell(value)


def _workbook(sheets: list[_Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "Safehub"
    for spec in sheets:
        sheet = book.create_sheet(spec.title)
        sheet.append([safe_cell(name) for name in spec.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append([_cell(value) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if spec.marking:
            sheet.oddHeader.center.text = spec.marking
            sheet.oddFooter.center.text = spec.marking
        sheet.oddFooter.right.text = "Page &P of &N"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
