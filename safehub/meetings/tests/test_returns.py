"""The MARAC data return: quarters, the pure aggregation (table-driven at its boundaries), small
number suppression, the selector, the page (who may see it, downloads) and the command."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from safehub.core.models import AuditAction, AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.meetings import returns
from safehub.meetings.models import Kind, ListedBy, Meeting, MeetingCase, MeetingSeries, MeetingStatus
from safehub.meetings.returns import CaseRow, Quarter, QuarterError
from safehub.meetings.tests.test_exports import STATEMENT, build_world
from safehub.people.models import Ethnicity
from safehub.people.tests.factories import PersonFactory

Q3 = Quarter(2026, 3)  # 1 October to 31 December 2026


# --- quarters (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 3, 31), "2025/26 Q4"),
        (date(2026, 4, 1), "2026/27 Q1"),
        (date(2026, 6, 30), "2026/27 Q1"),
        (date(2026, 7, 1), "2026/27 Q2"),
        (date(2026, 9, 30), "2026/27 Q2"),
        (date(2026, 10, 1), "2026/27 Q3"),
        (date(2026, 12, 31), "2026/27 Q3"),
        (date(2027, 1, 1), "2026/27 Q4"),
    ],
)
def test_financial_quarter_of_a_day(day, label):
    assert returns.quarter_of(day).label == label


@pytest.mark.parametrize(
    ("text", "start", "last_day"),
    [
        ("2026/27-Q3", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026/27 Q4", date(2027, 1, 1), date(2027, 3, 31)),
        ("2026/27-q1", date(2026, 4, 1), date(2026, 6, 30)),
        ("1999/00-Q2", date(1999, 7, 1), date(1999, 9, 30)),
    ],
)
def test_quarter_parses(text, start, last_day):
    quarter = returns.parse_quarter(text)
    assert (quarter.start, quarter.last_day) == (start, last_day)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-Q3", "like 2026/27-Q3"),
        ("2026/27-Q5", "like 2026/27-Q3"),
        ("", "like 2026/27-Q3"),
        ("2026/28-Q1", "should be 2026/27"),
    ],
)
def test_malformed_quarter_names_the_problem(text, message):
    with pytest.raises(QuarterError, match=message):
        returns.parse_quarter(text)


def test_a_quarter_that_has_not_started_is_refused():
    assert returns.parse_quarter("2026/27-Q3", today=date(2026, 10, 1)) == Q3
    with pytest.raises(QuarterError, match="has not started yet"):
        returns.parse_quarter("2026/27-Q3", today=date(2026, 9, 30))


# --- the aggregation (pure) --------------------------------------------------------------------


def row(day=date(2026, 11, 10), **fields) -> CaseRow:
    return CaseRow(meeting_day=day, district="leeds", **fields)


def figure(result, key):
    return {f.key: f for _, f in result.figures}[key]


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (date(2026, 9, 30), False),
        (date(2026, 10, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_cases_count_only_inside_the_quarter(day, counted):
    result = returns.marac_return([row(day)], quarter=Q3, districts=["Leeds"])
    assert result.cases.count == (1 if counted else 0)


@pytest.mark.parametrize(
    ("date_of_birth", "counted"),
    [
        (date(2010, 11, 11), False),  # 15 on the day (16 the day after)
        (date(2010, 11, 10), True),  # 16 on the day of the meeting
        (date(2009, 11, 11), True),  # 17, the day before turning 18
        (date(2008, 11, 10), False),  # 18 on the day
        (None, False),
    ],
)
def test_16_and_17_year_olds_by_age_on_the_meeting_day(date_of_birth, counted):
    result = returns.marac_return([row(date_of_birth=date_of_birth)], quarter=Q3, districts=["Leeds"])
    assert figure(result, "age_16_17").count == (1 if counted else 0)
    assert figure(result, "age_16_17").not_recorded == (1 if date_of_birth is None else 0)


def test_repeat_rate_children_and_referrals_by_agency():
    rows = [
        row(is_repeat=True, children_in_household=2, referring_agency_kind="police"),
        row(is_repeat=False, children_in_household=0, referring_agency_kind="police"),
        row(is_repeat=True, children_in_household=None, referring_agency_kind="idva_service"),
        row(is_repeat=False, children_in_household=3, referring_agency_kind=""),
    ]
    result = returns.marac_return(rows, quarter=Q3, districts=["Leeds"])
    assert result.cases.count == 4
    assert (result.repeats.count, result.repeats.percent) == (2, 50.0)
    assert (result.children.count, result.children.not_recorded) == (5, 1)
    assert [(f.label, f.count, f.percent) for f in result.referrals] == [
        ("Police", 2, 50.0),
        ("IDVA service", 1, 25.0),
        ("Not recorded", 1, 25.0),
    ]


@pytest.mark.parametrize(
    ("ethnicity", "bame", "unknown"),
    [
        (Ethnicity.WHITE_BRITISH, 0, 0),
        (Ethnicity.WHITE_IRISH, 0, 0),
        (Ethnicity.WHITE_GYPSY_TRAVELLER, 0, 0),
        (Ethnicity.WHITE_ROMA, 0, 0),
        (Ethnicity.WHITE_OTHER, 0, 0),
        (Ethnicity.MIXED_WHITE_ASIAN, 1, 0),
        (Ethnicity.BLACK_CARIBBEAN, 1, 0),
        (Ethnicity.ASIAN_PAKISTANI, 1, 0),
        (Ethnicity.OTHER_ARAB, 1, 0),
        (Ethnicity.NOT_STATED, 0, 1),
    ],
)
def test_bame_is_every_group_outside_white(ethnicity, bame, unknown):
    result = returns.marac_return([row(ethnicity=ethnicity)], quarter=Q3, districts=["Leeds"])
    assert (figure(result, "bame").count, figure(result, "bame").not_recorded) == (bame, unknown)


def test_equality_counts_and_percentages():
    rows = [
        row(lgbt="yes", disability="yes", sex="male"),
        row(lgbt="no", disability="no", sex="female"),
        row(lgbt="not_known", disability="not_known", sex="not_known"),
        row(lgbt="no", disability="yes", sex="female"),
    ]
    result = returns.marac_return(rows, quarter=Q3, districts=["Leeds"])
    lgbt = figure(result, "lgbt")
    assert (lgbt.count, lgbt.percent, lgbt.not_recorded) == (1, 25.0, 1)
    assert (figure(result, "disabled").count, figure(result, "disabled").percent) == (2, 50.0)
    assert (figure(result, "male").count, figure(result, "male").not_recorded) == (1, 1)


def test_an_empty_quarter_has_zeros_and_no_percentages():
    result = returns.marac_return([row(date(2026, 5, 1))], quarter=Q3, districts=["Leeds"])
    assert result.cases.count == 0 and result.cases.percent is None
    assert result.repeats.count == 0 and result.repeats.percent is None
    assert result.referrals == []
    assert all(f.count == 0 and f.percent is None for f in result.equality)


def test_suppression_hides_counts_from_1_to_4_only():
    rows = [row(is_repeat=True, sex="male") for _ in range(4)] + [row(referring_agency_kind="police")] * 5
    result = returns.suppress(returns.marac_return(rows, quarter=Q3, districts=["Leeds"]))
    assert result.suppressed
    assert result.cases.count == 9
    assert (result.repeats.count, result.repeats.percent) == ("fewer than 5", None)
    assert figure(result, "male").count == "fewer than 5"
    assert figure(result, "lgbt").count == 0  # zero is not hidden
    police = figure(result, "referrals.police")
    assert (police.count, police.percent) == (5, 55.6)


# --- the selector, the page and the command (database) -----------------------------------------


@pytest.fixture
def heard(districts, agencies):
    """A Leeds MARAC held in Q3 2026/27 with two cases (one repeat, a male 17-year-old), plus cases that
    must not count: at a planned meeting, at a MACE, and at a Bradford MARAC (for the district filter)."""
    world = build_world(districts, agencies, starts_at=timezone.make_aware(datetime(2026, 11, 23, 10, 0)))
    MeetingCase.objects.filter(pk=world.cases[0].pk).update(is_repeat=True, children_in_household=2)
    young = world.cases[1].person
    young.date_of_birth, young.sex = date(2009, 1, 1), "male"
    young.save()
    leeds = districts["leeds"]
    planned = Meeting.objects.create(
        series=world.series,
        starts_at=timezone.make_aware(datetime(2026, 12, 7, 10, 0)),
        status=MeetingStatus.PLANNED,
        confidentiality_statement=STATEMENT,
    )
    mace = MeetingSeries.objects.create(
        kind=Kind.MACE,
        district=leeds,
        name="Leeds MACE",
        coordinating_agency=agencies["police"],
        confidentiality_statement=STATEMENT,
    )
    mace_meeting = Meeting.objects.create(
        series=mace,
        starts_at=timezone.make_aware(datetime(2026, 11, 24, 10, 0)),
        status=MeetingStatus.HELD,
        confidentiality_statement=STATEMENT,
    )
    bradford = MeetingSeries.objects.create(
        kind=Kind.MARAC,
        district=districts["bradford"],
        name="Bradford MARAC",
        coordinating_agency=agencies["bradford_csc"],
        confidentiality_statement=STATEMENT,
    )
    bradford_meeting = Meeting.objects.create(
        series=bradford,
        starts_at=timezone.make_aware(datetime(2026, 10, 5, 10, 0)),
        status=MeetingStatus.CLOSED,
        confidentiality_statement=STATEMENT,
    )
    for meeting, agency, district in (
        (planned, world.series.coordinating_agency, leeds),
        (mace_meeting, agencies["police"], leeds),
        (bradford_meeting, agencies["bradford_csc"], districts["bradford"]),
    ):
        person = PersonFactory(owning_agency=agencies["police"], district=district)
        MeetingCase.objects.create(
            meeting=meeting,
            person=person,
            listed_by=ListedBy.MANUAL,
            manual_reason="Test",
            owning_agency=agency,
            district=district,
            added_by=world.coordinator,
        )
    return world


def test_selector_counts_held_marac_meetings_of_the_quarter_only(heard):
    rows = returns.case_rows(quarter=Q3)
    assert sorted(r.district for r in rows) == ["bradford", "leeds", "leeds"]
    leeds = returns.case_rows(quarter=Q3, district_codes=["leeds"])
    result = returns.marac_return(leeds, quarter=Q3, districts=["Leeds"])
    assert result.cases.count == 2 and result.repeats.count == 1 and result.children.count == 2
    assert figure(result, "age_16_17").count == 1 and figure(result, "male").count == 1
    assert returns.case_rows(quarter=Q3.previous()) == []


def return_url(**query) -> str:
    from urllib.parse import urlencode

    return reverse("meetings:marac_return") + ("?" + urlencode(query, doseq=True) if query else "")


@pytest.fixture
def frozen_today(monkeypatch):
    """The page offers the last eight quarters up to today: fix today in Q4 2026/27."""
    moment = timezone.make_aware(datetime(2027, 2, 1, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_coordinator_sees_exact_counts_and_downloads(client, heard, frozen_today):
    client.force_login(heard.coordinator)
    page = client.get(return_url(quarter="2026/27-Q3", district=["leeds"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026/27 Q3: Leeds" in html and "fewer than 5" not in html
    assert "Cases discussed" in html and "Victims aged 16 or 17" in html
    csv = client.get(return_url(quarter="2026/27-Q3", district=["leeds"], download="csv"))
    assert csv["Content-Disposition"] == 'attachment; filename="marac-return-2026-27-q3-leeds.csv"'
    assert csv["Cache-Control"] == "no-store"
    text = csv.content.decode()
    assert "2026/27 Q3,Leeds,Cases,Cases discussed,2,100.0," in text
    assert "Repeat cases,1,50.0" in text
    xlsx = client.get(return_url(quarter="2026/27-Q3", download="xlsx"))
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content))["Return"].iter_rows(values_only=True))
    assert ("Cases", "Cases discussed", 3, 100, None) in rows
    exports_done = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="meetings.maracreturn")
    assert exports_done.count() == 2


def test_analyst_and_commissioner_see_small_numbers_suppressed(
    client, heard, analyst, commissioner, frozen_today
):
    for user in (analyst, commissioner):
        client.force_login(user)
        html = client.get(return_url(quarter="2026/27-Q3")).content.decode()
        assert "fewer than 5" in html
        assert "Vera" not in html and "Victimson" not in html


def test_default_is_the_last_complete_quarter(client, heard, analyst, frozen_today):
    client.force_login(analyst)
    html = client.get(return_url()).content.decode()
    assert "2026/27 Q3: Leeds, Bradford" in html or "2026/27 Q3: Bradford, Leeds" in html


def test_practitioners_who_do_not_coordinate_a_marac_get_403(client, heard, partner, outsider):
    for user in (partner, outsider, heard.member):
        client.force_login(user)
        assert client.get(return_url()).status_code == 403


def test_mace_coordinator_is_not_a_marac_coordinator(client, heard, districts, agencies):
    mace = MeetingSeries.objects.get(kind=Kind.MACE)
    coordinator = UserFactory(
        username="macecoord", agency=agencies["police"], district=districts["leeds"], roles=[Role.OFFICER]
    )
    mace.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert client.get(return_url()).status_code == 403


def test_bad_choices_get_a_400_with_the_problem(client, heard, analyst, frozen_today):
    client.force_login(analyst)
    response = client.get(return_url(quarter="2031/32-Q1", district=["york"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a quarter from the list" in html and "Select districts from the list" in html
    assert "govuk-error-summary" in html


def test_command_prints_the_return_as_csv_and_json(heard, frozen_today):
    out = io.StringIO()
    call_command("marac_return", "--quarter", "2026/27-Q3", "--district", "leeds", stdout=out)
    assert "2026/27 Q3,Leeds,Cases,Cases discussed,2,100.0," in out.getvalue()
    out = io.StringIO()
    call_command("marac_return", "--quarter", "2026/27-Q3", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["cases_discussed"]["count"] == 3 and data["to"] == "2026-12-31"
    out = io.StringIO()
    call_command("marac_return", "--quarter", "2026/27-Q3", "--district", "leeds", "--suppress", stdout=out)
    assert "Repeat cases,fewer than 5" in out.getvalue()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_label="job:marac_return").count() == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--quarter", "2026-Q3"], "like 2026/27-Q3"),
        (["--quarter", "2027/28-Q1"], "has not started yet"),
        (["--quarter", "2026/27-Q3", "--district", "york"], "Unknown district york"),
    ],
)
def test_command_refuses_bad_input_clearly(heard, frozen_today, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("marac_return", *arguments, stdout=io.StringIO())


def test_a_future_quarter_relative_to_real_today_is_refused():
    future = returns.quarter_of(date.today() + timedelta(days=120)).code
    with pytest.raises(QuarterError):
        returns.parse_quarter(future, today=date.today())
