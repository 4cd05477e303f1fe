"""The meetings measures on a small fixture: cases heard by district and month, repeat rate, MACE
cases, actions overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safehub.meetings import measures
from safehub.meetings.models import (
    Action,
    ActionStatus,
    Kind,
    ListedBy,
    Meeting,
    MeetingCase,
    MeetingSeries,
    MeetingStatus,
)
from safehub.meetings.tests.test_exports import STATEMENT, build_world
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def world(districts, agencies):
    """Leeds MARAC held 23 Nov 2026 (2 cases, one repeat); a planned MARAC that must not count; a
    Leeds MACE held in October with one case."""
    world = build_world(districts, agencies, starts_at=datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    MeetingCase.objects.filter(pk=world.cases[0].pk).update(is_repeat=True)
    planned = Meeting.objects.create(
        series=world.series,
        starts_at=datetime(2026, 11, 30, 10, 0, tzinfo=LONDON),
        status=MeetingStatus.PLANNED,
        confidentiality_statement=STATEMENT,
    )
    mace = MeetingSeries.objects.create(
        kind=Kind.MACE,
        district=districts["leeds"],
        name="Leeds MACE",
        coordinating_agency=agencies["police"],
        confidentiality_statement=STATEMENT,
    )
    held = Meeting.objects.create(
        series=mace,
        starts_at=datetime(2026, 10, 8, 10, 0, tzinfo=LONDON),
        status=MeetingStatus.CLOSED,
        confidentiality_statement=STATEMENT,
    )
    for meeting, agency in ((planned, world.series.coordinating_agency), (held, agencies["police"])):
        MeetingCase.objects.create(
            meeting=meeting,
            person=PersonFactory(owning_agency=agencies["police"], district=districts["leeds"]),
            listed_by=ListedBy.MANUAL,
            manual_reason="Test",
            owning_agency=agency,
            district=districts["leeds"],
            added_by=world.coordinator,
        )
    return world


START, END = datetime(2026, 4, 1, tzinfo=LONDON), datetime(2027, 4, 1, tzinfo=LONDON)


def test_cases_heard_by_district_and_month(world):
    assert measures.marac_cases_by_district_month(START, END) == [
        {"month": date(2026, 11, 1), "district": "leeds", "count": 2}
    ]
    assert measures.mace_cases_by_district_month(START, END) == [
        {"month": date(2026, 10, 1), "district": "leeds", "count": 1}
    ]
    assert measures.marac_cases_by_district_month(START, datetime(2026, 11, 1, tzinfo=LONDON)) == []


def test_repeat_marac_rate(world):
    assert measures.repeat_marac_rate(START, END) == [
        {"district": "leeds", "cases": 2, "repeats": 1, "percent": 50.0}
    ]


def test_actions_overdue_share_and_average_days(world):
    today = timezone.localdate()
    # build_world: one open action 3 days overdue, one done 2 days before its due date.
    late_done = Action.objects.create(
        case=world.cases[1],
        description="Done a week late",
        owner_agency=world.overdue.owner_agency,
        owner=world.member,
        due_on=today - timedelta(days=20),
        status=ActionStatus.DONE,
        completed_at=timezone.localtime() - timedelta(days=13),  # 13 days ago on the local calendar
        created_by=world.coordinator,
    )
    Action.objects.create(
        case=world.cases[1],
        description="Cancelled",
        owner_agency=world.overdue.owner_agency,
        owner=world.member,
        due_on=today - timedelta(days=5),
        status=ActionStatus.CANCELLED,
        created_by=world.coordinator,
    )
    Action.objects.create(
        case=world.cases[1],
        description="Not due yet",
        owner_agency=world.overdue.owner_agency,
        owner=world.member,
        due_on=today + timedelta(days=5),
        created_by=world.coordinator,
    )
    start = datetime.combine(today - timedelta(days=60), datetime.min.time(), tzinfo=LONDON)
    end = datetime.combine(today + timedelta(days=30), datetime.min.time(), tzinfo=LONDON)
    rows = {row["kind"]: row for row in measures.actions_overdue(start, end)}
    assert late_done.pk
    assert rows["marac"] == {
        "kind": "marac",
        "due": 3,
        "overdue": 2,
        "percent": 66.7,
        "average_days_overdue": 5.0,  # (3 + 7) / 2
    }
    assert rows["mace"]["due"] == 0 and rows["mace"]["percent"] is None


def test_measures_are_declared_and_return_rows(world):
    ids = {m.id for m in measures.MEASURES}
    assert ids == {
        "meetings.marac_cases_by_district_month",
        "meetings.repeat_marac_rate",
        "meetings.mace_cases_by_district_month",
        "meetings.actions_overdue",
    }
    for measure in measures.MEASURES:
        assert measure.title and measure.definition
        assert isinstance(measure.query(START, END), list)
