"""Who may see and do what in a MARAC or MACE: the one place views, the API and exports ask.

- A **coordinator** of a series (named on the series) builds agendas, lists candidates, records
  minutes, decisions and actions for its meetings.
- A **member** is a person-level user of one of the series' member agencies or its coordinating
  agency: they see the series' meetings (dates, status) and, once they have **accepted the
  meeting's confidentiality statement**, its cases, research and actions; they add research for
  their own agency.
- Everyone else gets 404 for a meeting or case id (existence is never leaked). Aggregate roles
  (analyst, commissioner) never see cases; they read the data return.
- The owner of an action (and any person-level user of the owning agency) sees and updates it
  without opening the whole meeting.

Every read of a case (one or a list) is written to the audit trail here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safehub.core import audit
from safehub.core.access import parse_id
from safehub.core.models import AuditAction
from safehub.meetings.models import Action, Attendance, Meeting, MeetingCase, MeetingSeries


class ConfidentialityNotAccepted(PermissionDenied):
    """The user must accept the meeting's confidentiality statement before seeing its cases."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        super().__init__("Accept the meeting's confidentiality statement before you open its cases")


def _person_level(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_person_level_access)


def series_visible_to(user: Any) -> QuerySet[MeetingSeries]:
    """Series the user coordinates or whose member (or coordinating) agency they work for."""
    if not _person_level(user):
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(
        Q(coordinators=user) | Q(member_agencies=user.agency_id) | Q(coordinating_agency=user.agency_id)
    ).distinct()


def series_for(user: Any, series_id: Any) -> MeetingSeries:
    """The series, if the user coordinates or belongs to it; else 404."""
    series = series_visible_to(user).filter(pk=parse_id(series_id)).select_related("district__force").first()
    if series is None:
        raise Http404("No such meeting series")
    return series


def is_coordinator(user: Any, series: MeetingSeries) -> bool:
    return _person_level(user) and series.coordinators.filter(pk=user.pk).exists()


def coordinated_series(user: Any) -> QuerySet[MeetingSeries]:
    if not _person_level(user):
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(coordinators=user)


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__in=series_visible_to(user)).select_related("series__district")


def meeting_for(user: Any, meeting_id: Any) -> Meeting:
    """The meeting, if the user coordinates or belongs to its series; else 404."""
    meeting = meetings_visible_to(user).filter(pk=parse_id(meeting_id)).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def has_accepted(user: Any, meeting: Meeting) -> bool:
    return Attendance.objects.filter(
        meeting=meeting, user=user, confidentiality_accepted_at__isnull=False
    ).exists()


def require_accepted(user: Any, meeting: Meeting) -> None:
    if not has_accepted(user, meeting):
        raise ConfidentialityNotAccepted(meeting)


def require_coordinator(user: Any, meeting: Meeting) -> None:
    if not is_coordinator(user, meeting.series):
        raise PermissionDenied("Only the meeting's coordinators can do this")


def cases_for_meeting(user: Any, meeting: Meeting, *, audit_listed: bool = True) -> QuerySet[MeetingCase]:
    """The meeting's agenda, for a user who may see the meeting and has accepted its statement.

    Writes one `listed` audit event per case shown.
    """
    require_accepted(user, meeting)
    cases = meeting.cases.select_related("person", "referring_agency").order_by("position", "created_at")
    if audit_listed:
        audit.record_listed(user, list(cases))
    return cases


def case_for(user: Any, case_id: Any, *, write: bool = False) -> MeetingCase:
    """One case: 404 unless the user may see its meeting; 403 until they accept the statement;
    with write=True, 403 unless they coordinate the series. Reads are audited."""
    case = (
        MeetingCase.objects.filter(meeting__in=meetings_visible_to(user), pk=parse_id(case_id))
        .select_related("meeting__series", "person")
        .first()
    )
    if case is None:
        raise Http404("No such case")
    require_accepted(user, case.meeting)
    if write:
        require_coordinator(user, case.meeting)
    else:
        audit.record(user, AuditAction.READ, case)
    return case


def actions_visible_to(user: Any) -> QuerySet[Action]:
    """Actions the user owns or their agency owns, plus every action of the meetings they
    coordinate. (Members see a meeting's other actions on its pages, after accepting.)"""
    if not _person_level(user):
        return Action.objects.none()
    return Action.objects.filter(
        Q(owner=user) | Q(owner_agency=user.agency_id) | Q(case__meeting__series__coordinators=user)
    ).distinct()


def action_for(user: Any, action_id: Any, *, write: bool = False) -> Action:
    """One action: 404 outside `actions_visible_to`; a write needs the owner, the owning agency or
    a coordinator (all of whom can already see it). Reads are audited."""
    action = (
        actions_visible_to(user)
        .filter(pk=parse_id(action_id))
        .select_related("case__meeting__series", "case__person", "owner_agency", "owner")
        .first()
    )
    if action is None:
        raise Http404("No such action")
    if not write:
        audit.record(user, AuditAction.READ, action)
    return action
