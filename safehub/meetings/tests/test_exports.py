"""Agenda and action log downloads: content (HTML for the PDF, rows of the XLSX), formula
injection neutralised, and access (member without acceptance 403, outsider 404, audited)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.core.models import AgencyKind, AuditAction, AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.meetings import exports
from safehub.meetings.models import (
    Action,
    ActionStatus,
    Attendance,
    Kind,
    ListedBy,
    Meeting,
    MeetingCase,
    MeetingSeries,
    MeetingStatus,
    Research,
)
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STATEMENT = "Information shared here is confidential and used only to keep victims safe."
FORMULA = '=HYPERLINK("http://attacker.example","click")'


@dataclass
class World:
    series: MeetingSeries
    meeting: Meeting
    coordinator: Any
    member: Any
    victim: Any
    cases: list[MeetingCase]
    overdue: Action
    done: Action


def build_world(
    districts, agencies, *, starts_at: datetime | None = None, status=MeetingStatus.HELD
) -> World:
    """A Leeds MARAC meeting with two cases, research and two actions; the coordinator has accepted
    the statement, a police member is invited and has not."""
    leeds = districts["leeds"]
    idva_agency = AgencyFactory(
        code="out-idva", name="Outputs IDVA Service", kind=AgencyKind.IDVA_SERVICE, districts=[leeds]
    )
    coordinator = UserFactory(username="outcoord", agency=idva_agency, district=leeds, roles=[Role.IDVA])
    member = UserFactory(
        username="outmember", agency=agencies["police"], district=leeds, roles=[Role.OFFICER]
    )
    series = MeetingSeries.objects.create(
        kind=Kind.MARAC,
        district=leeds,
        name="Leeds MARAC",
        coordinating_agency=idva_agency,
        confidentiality_statement=STATEMENT,
    )
    series.coordinators.add(coordinator)
    series.member_agencies.add(agencies["police"], agencies["leeds_csc"])
    starts_at = starts_at or timezone.make_aware(datetime(2026, 11, 23, 10, 0))
    meeting = Meeting.objects.create(
        series=series,
        starts_at=starts_at,
        location="Civic Hall, Room 3",
        status=status,
        confidentiality_statement=STATEMENT,
    )
    Attendance.objects.create(
        meeting=meeting, user=coordinator, agency=idva_agency, confidentiality_accepted_at=timezone.now()
    )
    Attendance.objects.create(meeting=meeting, user=member, agency=agencies["police"])
    victim = PersonFactory(
        owning_agency=agencies["police"],
        district=leeds,
        given_name="Vera",
        family_name="Victimson",
        date_of_birth=date(1990, 4, 2),
    )
    other = PersonFactory(
        owning_agency=agencies["police"], district=leeds, given_name=FORMULA, family_name="Injector"
    )
    common = {"meeting": meeting, "owning_agency": idva_agency, "district": leeds, "added_by": coordinator}
    first = MeetingCase.objects.create(
        person=victim,
        position=1,
        listed_by=ListedBy.RULE,
        rules_fired=[
            {
                "rule": "visible_high_risk",
                "title": "Visible high risk",
                "reason": "The latest DASH has 15 yes answers",
                "evidence": [],
            }
        ],
        risk_level_before="high",
        referring_agency=agencies["police"],
        **common,
    )
    second = MeetingCase.objects.create(
        person=other, position=2, listed_by=ListedBy.MANUAL, manual_reason="-1+2 escalating abuse", **common
    )
    Research.objects.create(case=first, agency=agencies["police"], author=member, summary="Three incidents")
    today = timezone.localdate()
    overdue = Action.objects.create(
        case=first,
        description="Place a marker on the address",
        owner_agency=agencies["police"],
        owner=member,
        due_on=today - timedelta(days=3),
        created_by=coordinator,
    )
    done = Action.objects.create(
        case=second,
        description="@SUM(A1) safety plan review",
        owner_agency=idva_agency,
        owner=coordinator,
        due_on=today - timedelta(days=10),
        status=ActionStatus.DONE,
        completed_at=timezone.now() - timedelta(days=12),
        created_by=coordinator,
    )
    return World(series, meeting, coordinator, member, victim, [first, second], overdue, done)


@pytest.fixture
def world(districts, agencies):
    return build_world(districts, agencies)


def url(name: str, world: World) -> str:
    return reverse(f"meetings:{name}", args=[world.meeting.pk])


def test_agenda_html_names_the_meeting_statement_cases_and_marking(world):
    html = exports.agenda_html(exports.agenda_for(world.meeting, world.cases))
    assert "Agenda: Leeds MARAC, 23 November 2026" in html
    assert "Civic Hall, Room 3" in html
    assert STATEMENT in html
    assert "OFFICIAL-SENSITIVE" in html and "counter(pages)" in html
    assert "Case 1: Vera Victimson" in html and "2 April 1990" in html
    assert "Visible high risk: The latest DASH has 15 yes answers" in html
    assert "Added by the coordinator: -1+2 escalating abuse" in html
    assert "West Yorkshire Police: research added" in html
    assert "Awaited from: Leeds Children&#x27;s Social Care" in html
    assert html.index("Vera Victimson") < html.index("Injector")


def test_action_log_html_lists_actions_with_overdue_flag(world):
    log = exports.action_log_for(world.meeting, world.cases)
    assert [a.case_number for a in log.actions] == [1, 2]
    assert [a.overdue for a in log.actions] == [True, False]
    html = exports.action_log_html(log)
    assert "Action log: Leeds MARAC, 23 November 2026" in html
    assert "Place a marker on the address" in html and "(1 overdue)" in html
    assert "OFFICIAL-SENSITIVE" in html


def test_coordinator_downloads_the_agenda_pdf_and_it_is_audited(client, world):
    client.force_login(world.coordinator)
    response = client.get(url("agenda_pdf", world))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="leeds-marac-2026-11-23-agenda.pdf"'
    assert response["Cache-Control"] == "no-store"
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.object_type == "meetings.meeting" and export.object_id == str(world.meeting.pk)
    assert export.actor == world.coordinator and "PDF" in export.reason and "2 cases" in export.reason
    assert "date_of_birth" in export.fields
    listed = AuditEvent.objects.filter(action=AuditAction.LISTED, object_type="meetings.meetingcase")
    assert {e.object_id for e in listed} == {str(c.pk) for c in world.cases}
    assert world.victim.pk in {e.person_id for e in listed}


def _sheet_rows(content: bytes, title: str) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return list(book[title].iter_rows(values_only=True)), book[title]


def test_agenda_xlsx_has_a_row_per_case_real_dates_and_no_formulas(client, world):
    client.force_login(world.coordinator)
    response = client.get(url("agenda_xlsx", world))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="leeds-marac-2026-11-23-agenda.xlsx"'
    assert response["Cache-Control"] == "no-store"
    rows, sheet = _sheet_rows(response.content, "Agenda")
    assert rows[0][:3] == ("No.", "Name", "Date of birth")
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert rows[1][1] == "Vera Victimson"
    assert rows[1][2] == datetime(1990, 4, 2)  # a real date, not text
    # Values typed by anyone that a spreadsheet would run are quoted.
    assert rows[2][1] == "'" + FORMULA + " Injector"
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for row in rows for v in row)
    assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    meeting_rows, _ = _sheet_rows(response.content, "Meeting")
    assert ("Confidentiality statement", STATEMENT) in meeting_rows
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, reason__contains="XLSX").count() == 1


def test_action_log_xlsx_has_the_actions(client, world):
    client.force_login(world.coordinator)
    response = client.get(url("actions_xlsx", world))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="leeds-marac-2026-11-23-actions.xlsx"'
    rows, _ = _sheet_rows(response.content, "Actions")
    assert rows[0] == ("Case", "Action", "Owner agency", "Owner", "Due", "Status", "Overdue")
    assert rows[1][0] == 1 and rows[1][1] == "Place a marker on the address"
    assert rows[1][4] == datetime.combine(world.overdue.due_on, datetime.min.time())
    assert rows[1][5:] == ("Open", "Yes")
    assert rows[2][1] == "'@SUM(A1) safety plan review" and rows[2][5:] == ("Done", "No")


def test_action_log_pdf_downloads(client, world):
    client.force_login(world.coordinator)
    response = client.get(url("actions_pdf", world))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="leeds-marac-2026-11-23-actions.pdf"'


@pytest.mark.parametrize("name", ["agenda_pdf", "agenda_xlsx", "actions_pdf", "actions_xlsx"])
def test_member_who_has_not_accepted_the_statement_gets_403(client, world, name):
    client.force_login(world.member)
    assert client.get(url(name, world)).status_code == 403
    assert not AuditEvent.objects.filter(action__in=[AuditAction.EXPORT, AuditAction.LISTED]).exists()


def test_member_who_has_accepted_downloads(client, world):
    Attendance.objects.filter(user=world.member).update(confidentiality_accepted_at=timezone.now())
    client.force_login(world.member)
    assert client.get(url("agenda_xlsx", world)).status_code == 200


@pytest.mark.parametrize("name", ["agenda_pdf", "agenda_xlsx", "actions_pdf", "actions_xlsx"])
def test_outsider_and_aggregate_roles_get_404(client, world, outsider, analyst, commissioner, name):
    for user in (outsider, analyst, commissioner):
        client.force_login(user)
        assert client.get(url(name, world)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_unknown_meeting_is_404_and_anonymous_is_sent_to_sign_in(client, world):
    client.force_login(world.coordinator)
    missing = reverse("meetings:agenda_pdf", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404
    client.logout()
    response = client.get(url("agenda_pdf", world))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_filenames_carry_no_personal_data(world):
    name = exports.filename(world.meeting, "agenda", "pdf")
    assert name == "leeds-marac-2026-11-23-agenda.pdf"
    assert "vera" not in name.lower() and "1990" not in name
