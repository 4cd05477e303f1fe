"""The meetings demo: a MARAC and a MACE in every district with held meetings, cases and actions,
Leeds' next meetings with an agenda started; idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from safehub.core.models import AuditAction, AuditEvent, User
from safehub.meetings import access, demo, returns
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
)
from safehub.people.models import ChronologyEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    return out.getvalue()


def test_every_district_has_a_marac_and_a_mace_with_held_meetings_cases_and_actions(demo_world):
    assert "Loading meetings demo data..." in demo_world
    series = MeetingSeries.objects.select_related("district", "coordinating_agency")
    assert series.count() == 10
    assert {(s.district.code, s.kind) for s in series} == {
        (d, k) for d in ("bradford", "calderdale", "kirklees", "leeds", "wakefield") for k in Kind.values
    }
    for one in series:
        held = Meeting.objects.filter(series=one, status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
        assert held.count() >= 5, one
        assert MeetingCase.objects.filter(meeting__in=held).exists(), one
        assert Action.objects.filter(case__meeting__in=held).exists(), one
        assert one.member_agencies.count() >= 4
        upcoming = Meeting.objects.filter(series=one, status="planned", starts_at__gt=timezone.now())
        assert upcoming.exists()
    assert {s.coordinating_agency.code for s in series if s.kind == Kind.MARAC} == {"west-yorkshire-idva"}
    assert {s.coordinating_agency.code for s in series if s.kind == Kind.MACE} == {"west-yorkshire-police"}
    future = Meeting.objects.filter(starts_at__gt=timezone.now())
    assert not future.exclude(status=MeetingStatus.PLANNED).exists()


def test_leeds_coordinators_see_their_next_agenda_and_overdue_actions(demo_world):
    idva, missing = User.objects.get(username="idva"), User.objects.get(username="missing")
    leeds_marac = MeetingSeries.objects.get(district__code="leeds", kind=Kind.MARAC)
    leeds_mace = MeetingSeries.objects.get(district__code="leeds", kind=Kind.MACE)
    assert access.is_coordinator(idva, leeds_marac) and access.is_coordinator(missing, leeds_mace)
    for series in (leeds_marac, leeds_mace):
        upcoming = Meeting.objects.get(series=series, status=MeetingStatus.PLANNED)
        assert upcoming.cases.exists()
        invited = Attendance.objects.filter(meeting=upcoming)
        assert invited.exists() and not invited.filter(confidentiality_accepted_at__isnull=False).exists()
    today = timezone.localdate()
    overdue = Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today, case__district__code="leeds")
    assert overdue.exists()
    assert access.actions_visible_to(idva).filter(pk__in=overdue).exists()


def test_cases_are_realistic(demo_world):
    cases = MeetingCase.objects.select_related("meeting__series", "person")
    listed = Counter(c.listed_by for c in cases)
    assert listed[ListedBy.RULE] >= 1 and listed[ListedBy.MANUAL] and listed[ListedBy.REVIEW]
    for case in cases.filter(listed_by=ListedBy.RULE):
        assert case.rules_fired and case.rules_fired[0]["title"] and case.ruleset_version
    decisions = Counter(
        (c.meeting.series.kind, c.decision) for c in cases if c.meeting.status != MeetingStatus.PLANNED
    )
    assert decisions[(Kind.MARAC, "close")] > decisions[(Kind.MARAC, "keep_reviewing")]
    assert decisions[(Kind.MACE, "keep_reviewing")] > 0
    assert cases.filter(is_repeat=True).exists()
    for case in cases.filter(meeting__series__kind=Kind.MACE):
        assert case.person.age is None or case.person.age < 19
    held_cases = cases.exclude(meeting__status=MeetingStatus.PLANNED)
    assert all(c.minutes and c.risk_level_after for c in held_cases)
    heard = ChronologyEvent.objects.filter(summary__startswith="Heard at", source_type="meetings.meetingcase")
    assert heard.count() == held_cases.count()
    attended = Attendance.objects.filter(
        meeting__status=MeetingStatus.CLOSED, meeting__series__district__code="leeds"
    )
    assert attended.exists() and not attended.filter(confidentiality_accepted_at__isnull=True).exists()


def test_the_return_has_figures_for_the_demo(demo_world):
    quarter = returns.quarter_of(timezone.localdate()).previous()
    result = returns.return_for(quarter=quarter, district_codes=None, district_names=["All"])
    assert result.cases.count > 0 and result.referrals


def test_demo_is_idempotent(demo_world):
    created = AuditEvent.objects.filter(
        actor_label="job:demo", action=AuditAction.CREATE, object_type="meetings.meeting"
    )
    assert created.count() == Meeting.objects.count()
    models = (Meeting, MeetingCase, Action, AuditEvent)
    before = [model.objects.count() for model in models]
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    assert "meetings: already loaded, nothing added" in out.getvalue()
    assert [model.objects.count() for model in models] == before


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="size must be one of small, full"):
        demo.load(size="huge", progress=lambda *args: None)
