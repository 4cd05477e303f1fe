"""Writes for MARAC and MACE. Each takes keyword arguments and an actor, runs atomically, checks
before writing (ValidationError naming the field, nothing saved), audits, and writes the person's
chronology where their timeline changes.

Who may: coordinators of the series build the agenda, minute, decide, record actions and mark the
meeting held; members (after accepting the statement) add research for their own agency; the
owner of an action (or their agency, or a coordinator) updates it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from safehub.core import audit, histories, notify
from safehub.core.models import Agency, AuditAction, District, User
from safehub.meetings import access, selectors
from safehub.meetings import rules as meeting_rules
from safehub.meetings.models import (
    RISK_LEVELS_FOR_KIND,
    Action,
    ActionStatus,
    Attendance,
    CaseTransfer,
    Decision,
    Kind,
    ListedBy,
    Meeting,
    MeetingCase,
    MeetingReferral,
    MeetingSeries,
    MeetingStatus,
    Research,
)
from safehub.people import chronology
from safehub.people.models import Person

OVERDUE_JOB = "job:meeting_actions_overdue"
# Local default, not a national figure: an overdue-action notice nobody acknowledges is passed to
# the coordinating agency after this long.
OVERDUE_ESCALATE_AFTER = timedelta(days=2)
OPEN_FOR_MINUTES = (MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD)


def _require_coordinator(actor: Any, series: MeetingSeries) -> None:
    if not access.is_coordinator(actor, series):
        raise PermissionDenied("Only the coordinators of this meeting series can do this")


def _require_not_closed(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError({"meeting": "This meeting is closed: its minutes are approved"})


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def meeting_path(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


# --- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    series: MeetingSeries,
    starts_at: datetime,
    location: str = "",
    research_due_at: datetime | None = None,
) -> Meeting:
    """A new sitting of the series, with a copy of the series' confidentiality statement."""
    _require_coordinator(actor, series)
    if not series.active:
        raise ValidationError({"series": "This meeting series is no longer active"})
    if research_due_at is not None and research_due_at > starts_at:
        raise ValidationError({"research_due_at": "Research must be due before the meeting starts"})
    meeting = Meeting(
        series=series,
        starts_at=starts_at,
        location=(location or "").strip(),
        research_due_at=research_due_at,
        confidentiality_statement=series.confidentiality_statement,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(actor, AuditAction.CREATE, meeting, fields=["starts_at", "location", "research_due_at"])
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.cases.aggregate(n=Max("position"))["n"] or 0) + 1


def _children_in_household(person: Person, on: date) -> int:
    rows = person.relationships.values_list("kind", "related_person__date_of_birth", "to_date")
    return meeting_rules.children_in_household(rows, on)


def _new_case(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    listed_by: str,
    history: list | None = None,
    **fields: Any,
) -> MeetingCase:
    series = meeting.series
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CLOSED):
        raise ValidationError({"meeting": "This meeting has been held: add the case to a later meeting"})
    if meeting.cases.filter(person=person).exists():
        raise ValidationError({"person": "This person is already on the agenda"})
    heard = selectors.heard_at([person.pk], series.kind, meeting.starts_at).get(person.pk, [])
    levels = [str(level) for level in RISK_LEVELS_FOR_KIND[series.kind]]
    case = MeetingCase(
        meeting=meeting,
        person=person,
        owning_agency=series.coordinating_agency,
        district=series.district,
        position=_next_position(meeting),
        listed_by=listed_by,
        added_by=actor,
        is_repeat=meeting_rules.is_repeat(heard, meeting.starts_at),
        children_in_household=_children_in_household(person, _day(meeting.starts_at)),
        risk_level_before=meeting_rules.risk_before(series.kind, history or [], levels),
        **fields,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_add_listed(
    *, actor: Any, meeting: Meeting, person: Person, as_of: datetime | None = None
) -> MeetingCase:
    """Add a listing candidate: the rules are evaluated again now, and kept with their version."""
    series = meeting.series
    _require_coordinator(actor, series)
    if person.district_id != series.district_id:
        raise ValidationError({"person": f"This person does not live in {series.district.name}"})
    as_of = as_of or timezone.now()
    if not meeting_rules.in_scope_for_kind(series.kind, person.date_of_birth, _day(as_of)):
        raise ValidationError({"person": "MACE hears children: this person is 18 or over"})
    ruleset, fired, history = selectors.evaluate_person(series, person, as_of)
    if not fired:
        raise ValidationError(
            {"person": "No listing rule fires for this person: add them by hand with a reason instead"}
        )
    agency_id = selectors.evidence_agency_id(fired)
    case = _new_case(
        actor=actor,
        meeting=meeting,
        person=person,
        listed_by=ListedBy.RULE,
        history=history,
        rules_fired=meeting_rules.fired_as_data(fired),
        ruleset_version=ruleset.version,
        referring_agency_id=agency_id,
    )
    audit.record(actor, AuditAction.CREATE, case, fields=["listed_by", "rules_fired", "ruleset_version"])
    return case


@transaction.atomic
def case_add_manual(*, actor: Any, meeting: Meeting, person: Person, reason: str) -> MeetingCase:
    """Add a person the coordinator can see, by hand, with the reason."""
    _require_coordinator(actor, meeting.series)
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Select a person you can see"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are adding this person to the agenda"})
    wanted = (meeting_rules.RISK_BEFORE_EVENT[meeting.series.kind],)
    history = histories.for_people([person.pk], until=timezone.now(), types=wanted).get(person.pk, [])
    case = _new_case(
        actor=actor,
        meeting=meeting,
        person=person,
        history=history,
        listed_by=ListedBy.MANUAL,
        manual_reason=reason,
        referring_agency=actor.agency,
    )
    audit.record(actor, AuditAction.CREATE, case, fields=["listed_by", "manual_reason"], reason=reason)
    return case


@transaction.atomic
def cases_carry_forward(*, actor: Any, meeting: Meeting) -> list[MeetingCase]:
    """List the previous meeting's cases kept on review, and cases transferred in, not yet on the
    agenda. Returns the cases added (none twice)."""
    series = meeting.series
    _require_coordinator(actor, series)
    added = []
    previous = selectors.previous_meeting(meeting)
    if previous is not None:
        for earlier in previous.cases.filter(decision=Decision.KEEP_REVIEWING).select_related("person"):
            if meeting.cases.filter(person=earlier.person).exists():
                continue
            case = _new_case(
                actor=actor,
                meeting=meeting,
                person=earlier.person,
                listed_by=ListedBy.REVIEW,
                review_of=earlier,
                referring_agency_id=earlier.referring_agency_id,
            )
            audit.record(actor, AuditAction.CREATE, case, fields=["listed_by", "review_of"])
            added.append(case)
    for transfer in _pending_transfers(series):
        if meeting.cases.filter(person=transfer.case.person).exists():
            continue
        added.append(_list_transfer(actor, meeting, transfer))
    return added


def _pending_transfers(series: MeetingSeries) -> list[CaseTransfer]:
    transfers = CaseTransfer.objects.filter(to_series=series).select_related("case__person")
    return [
        t
        for t in transfers
        if not MeetingCase.objects.filter(meeting__series=series, review_of=t.case).exists()
    ]


def _list_transfer(actor: Any, meeting: Meeting, transfer: CaseTransfer) -> MeetingCase:
    case = _new_case(
        actor=actor,
        meeting=meeting,
        person=transfer.case.person,
        listed_by=ListedBy.TRANSFER,
        review_of=transfer.case,
        referring_agency_id=transfer.case.owning_agency_id,
    )
    audit.record(actor, AuditAction.CREATE, case, fields=["listed_by", "review_of"], reason="Transferred in")
    return case


@transaction.atomic
def case_move(*, actor: Any, case: MeetingCase, up: bool) -> MeetingCase:
    """Swap the case with the one above (or below) it on the agenda."""
    _require_coordinator(actor, case.meeting.series)
    _require_not_closed(case.meeting)
    cases = list(case.meeting.cases.order_by("position", "created_at"))
    index = next(i for i, c in enumerate(cases) if c.pk == case.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(cases):
        cases[index], cases[other] = cases[other], cases[index]
    for position, row in enumerate(cases, start=1):
        if row.position != position:
            MeetingCase.objects.filter(pk=row.pk).update(position=position)
    audit.record(actor, AuditAction.UPDATE, case, fields=["position"])
    case.refresh_from_db()
    return case


@transaction.atomic
def case_remove(*, actor: Any, case: MeetingCase, reason: str) -> None:
    """Take a case off the agenda before it is published (with the reason, audited)."""
    _require_coordinator(actor, case.meeting.series)
    reason = (reason or "").strip()
    if case.meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"reason": "The agenda is published: a case can only be removed before that"})
    if not reason:
        raise ValidationError({"reason": "Enter why the case is removed from the agenda"})
    if case.actions.exists() or case.reviews.exists():
        raise ValidationError({"reason": "This case has actions or later reviews: it cannot be removed"})
    audit.record(actor, AuditAction.DELETE, case, fields=["meeting", "person"], reason=reason)
    case.research.all().delete()
    case.delete()


@transaction.atomic
def agenda_publish(*, actor: Any, meeting: Meeting) -> Meeting:
    """Publish the agenda: member agencies are told (no personal data in the notice)."""
    series = meeting.series
    _require_coordinator(actor, series)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"meeting": "The agenda has already been published"})
    if not meeting.cases.exists():
        raise ValidationError({"meeting": "Add at least one case to the agenda before publishing it"})
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.save(update_fields=["status"])
    audit.record(actor, AuditAction.UPDATE, meeting, fields=["status"])
    when = timezone.localtime(meeting.starts_at)
    count = meeting.cases.count()
    for agency in selectors.member_agencies(series):
        notify.send(
            agency,
            meeting,
            title=f"{series.name}: agenda published for {when.day} {when:%b %Y}",
            body=f"{count} case(s) are listed. Accept the confidentiality statement in Safehub, then add "
            "your agency's research before the meeting.",
            url=meeting_path(meeting),
            ack_required=False,
            kind="agenda_published",
            actor=actor,
        )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting) -> Meeting:
    """The meeting took place: each case's chronology records the hearing (no minutes in it)."""
    series = meeting.series
    _require_coordinator(actor, series)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED):
        raise ValidationError({"meeting": "This meeting is already marked as held"})
    if not meeting.cases.exists():
        raise ValidationError({"meeting": "A meeting with no cases on its agenda cannot be held"})
    meeting.status = MeetingStatus.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    audit.record(actor, AuditAction.UPDATE, meeting, fields=["status", "held_at"])
    for case in meeting.cases.select_related("person"):
        chronology.add(
            case.person,
            series.kind,
            meeting.starts_at,
            case,
            f"Heard at {series.name}",
            agency=series.coordinating_agency,
        )
    return meeting


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    """Minutes approved: every case needs its decision first."""
    _require_coordinator(actor, meeting.series)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError({"meeting": "Mark the meeting as held before approving its minutes"})
    undecided = meeting.cases.filter(decision="").count()
    if undecided:
        raise ValidationError({"meeting": f"Record a decision for every case first: {undecided} without one"})
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])
    audit.record(actor, AuditAction.UPDATE, meeting, fields=["status"])
    return meeting


# --- attendance and confidentiality ------------------------------------------------------------


def _may_attend(user: Any, series: MeetingSeries) -> bool:
    return access.is_coordinator(user, series) or selectors.member_users(series).filter(pk=user.pk).exists()


@transaction.atomic
def attendee_invite(*, actor: Any, meeting: Meeting, user: Any, is_chair: bool = False) -> Attendance:
    """A coordinator invites a user of a member agency (or joins themselves)."""
    series = meeting.series
    if user != actor:
        _require_coordinator(actor, series)
    _require_not_closed(meeting)
    if not isinstance(user, User) or not _may_attend(user, series):
        raise ValidationError({"user": "Select a person from one of the series' member agencies"})
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"agency": user.agency, "is_chair": is_chair}
    )
    if created:
        audit.record(actor, AuditAction.CREATE, attendance, fields=["user", "agency", "is_chair"])
    return attendance


@transaction.atomic
def confidentiality_accept(*, actor: Any, meeting: Meeting) -> Attendance:
    """The actor accepts the meeting's statement (joining the meeting if not yet invited)."""
    if not _may_attend(actor, meeting.series):
        raise PermissionDenied("Only members of this meeting series can accept its statement")
    attendance = attendee_invite(actor=actor, meeting=meeting, user=actor)
    if attendance.confidentiality_accepted_at is None:
        attendance.confidentiality_accepted_at = timezone.now()
        attendance.save(update_fields=["confidentiality_accepted_at"])
        audit.record(
            actor,
            AuditAction.UPDATE,
            attendance,
            fields=["confidentiality_accepted_at"],
            reason="Accepted the confidentiality statement",
        )
    return attendance


@transaction.atomic
def attendance_record(*, actor: Any, meeting: Meeting, attended_ids: list[Any]) -> list[Attendance]:
    """Mark who attended (the rest of the invited did not)."""
    _require_coordinator(actor, meeting.series)
    _require_not_closed(meeting)
    wanted = {str(pk) for pk in attended_ids}
    known = {str(pk) for pk in meeting.attendances.values_list("pk", flat=True)}
    if wanted - known:
        raise ValidationError({"attended": "Select people invited to this meeting"})
    rows = list(meeting.attendances.all())
    for row in rows:
        row.attended = str(row.pk) in wanted
        row.save(update_fields=["attended"])
    audit.record(actor, AuditAction.UPDATE, meeting, fields=["attendances"])
    return rows


# --- research ----------------------------------------------------------------------------------


@transaction.atomic
def research_add(
    *, actor: Any, case: MeetingCase, summary: str, risks: str = "", nothing_known: bool = False
) -> Research:
    """What the actor's agency knows about the case (or that it holds nothing)."""
    series = case.meeting.series
    access.require_accepted(actor, case.meeting)
    if actor.agency_id not in {a.pk for a in selectors.member_agencies(series)}:
        raise PermissionDenied("Only member agencies of this meeting series add research")
    _require_not_closed(case.meeting)
    summary = (summary or "").strip()
    if nothing_known and not summary:
        summary = "Nothing known to this agency."
    if not summary:
        raise ValidationError({"summary": "Enter what your agency knows, or select 'nothing known'"})
    research = Research(
        case=case,
        agency=actor.agency,
        author=actor,
        summary=summary,
        risks=(risks or "").strip(),
        nothing_known=nothing_known,
    )
    research.full_clean()
    research.save()
    audit.record(actor, AuditAction.CREATE, research, fields=["summary", "risks", "nothing_known"])
    return research


# --- minutes and decisions ---------------------------------------------------------------------


@transaction.atomic
def case_minutes_record(
    *,
    actor: Any,
    meeting: Meeting,
    case: MeetingCase,
    minutes: str = "",
    risk_level_after: str = "",
    decision: str = "",
    decision_reason: str = "",
    transfer_to_series: MeetingSeries | None = None,
    transfer_to_area: str = "",
) -> MeetingCase:
    """Minutes, risk after discussion and the decision for a case on this meeting's agenda."""
    series = meeting.series
    _require_coordinator(actor, series)
    if case.meeting_id != meeting.pk:
        raise ValidationError(
            {"case": "This person is not on this meeting's agenda: minute them at their own meeting"}
        )
    if meeting.status not in OPEN_FOR_MINUTES:
        raise ValidationError(
            {"minutes": "Minutes are recorded once the agenda is published and until they are approved"}
        )
    if decision and decision not in Decision.values:
        raise ValidationError({"decision": "Select keep on review, close or transfer"})
    transfer_to_area = (transfer_to_area or "").strip()
    if transfer_to_series is not None and transfer_to_area:
        raise ValidationError(
            {"transfer_to_area": "Give a MARAC in the partnership or an area outside, not both"}
        )
    if transfer_to_series is not None and (
        transfer_to_series.kind != Kind.MARAC or transfer_to_series.pk == series.pk
    ):
        raise ValidationError({"transfer_to_series": "Select another district's MARAC"})
    levels = [str(level) for level in RISK_LEVELS_FOR_KIND[series.kind]]
    problems = meeting_rules.decision_problems(
        kind=series.kind,
        decision=decision,
        reason=decision_reason,
        risk_after=risk_level_after,
        levels=levels,
        transfer=bool(transfer_to_series or transfer_to_area),
    )
    if problems:
        raise ValidationError(problems)
    if decision == Decision.TRANSFER and hasattr(case, "transfer"):
        raise ValidationError({"decision": "This case has already been transferred"})
    case.minutes = (minutes or "").strip()
    case.risk_level_after = risk_level_after
    case.decision = decision
    case.decision_reason = (decision_reason or "").strip()
    case.discussed_at = timezone.now()
    case.minuted_by = actor
    case.full_clean()
    case.save()
    audit.record(
        actor, AuditAction.UPDATE, case, fields=["minutes", "risk_level_after", "decision", "decision_reason"]
    )
    if decision == Decision.TRANSFER:
        _transfer(actor, case, transfer_to_series, transfer_to_area)
    return case


def _transfer(actor: Any, case: MeetingCase, to_series: MeetingSeries | None, to_area: str) -> CaseTransfer:
    transfer = CaseTransfer(
        case=case, to_series=to_series, to_area=to_area, reason=case.decision_reason, sent_by=actor
    )
    transfer.full_clean()
    transfer.save()
    audit.record(actor, AuditAction.CREATE, transfer, fields=["to_series", "to_area", "reason"])
    where = to_series.name if to_series else to_area
    chronology.add(
        case.person,
        case.meeting.series.kind,
        timezone.now(),
        transfer,
        f"MARAC case transferred to {where}",
        agency=case.owning_agency,
    )
    if to_series is not None:
        upcoming = (
            Meeting.objects.filter(
                series=to_series, status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None and not upcoming.cases.filter(person=case.person).exists():
            _list_transfer(actor, upcoming, transfer)
    return transfer


# --- actions -----------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    actor: Any,
    case: MeetingCase,
    description: str,
    owner_agency: Agency | None,
    owner: Any,
    due_on: date | None,
) -> Action:
    """An action agreed for a case: an owning agency (member or coordinating), a person of that
    agency, and a due date on or after the meeting."""
    meeting = case.meeting
    _require_coordinator(actor, meeting.series)
    _require_not_closed(meeting)
    problems = meeting_rules.action_problems(
        description=description,
        has_owner_agency=owner_agency is not None,
        has_owner=owner is not None,
        due_on=due_on,
        meeting_day=_day(meeting.starts_at),
    )
    members = {a.pk for a in selectors.member_agencies(meeting.series)}
    if owner_agency is not None and owner_agency.pk not in members:
        problems.setdefault("owner_agency", "Select a member agency of this meeting series")
    if (
        owner is not None
        and owner_agency is not None
        and (owner.agency_id != owner_agency.pk or not owner.is_active)
    ):
        problems.setdefault("owner", f"Select a person who works for {owner_agency.name}")
    if problems:
        raise ValidationError(problems)
    action = Action(
        case=case,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    audit.record(actor, AuditAction.CREATE, action, fields=["description", "owner_agency", "owner", "due_on"])
    return action


def may_update_action(user: Any, action: Action) -> bool:
    return (
        action.owner_id == user.pk
        or action.owner_agency_id == user.agency_id
        or access.is_coordinator(user, action.case.meeting.series)
    )


@transaction.atomic
def action_update(*, actor: Any, action: Action, status: str, update: str = "") -> Action:
    """Record progress, or close the action as done or cancelled (cancelling needs a reason)."""
    if not may_update_action(actor, action):
        raise PermissionDenied("Only the action's owner, their agency or a coordinator can update it")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Select open, done or cancelled"})
    update = (update or "").strip()
    if status == ActionStatus.CANCELLED and not update:
        raise ValidationError({"update": "Enter why the action is cancelled"})
    if status == ActionStatus.OPEN and not update and action.status == ActionStatus.OPEN:
        raise ValidationError({"update": "Enter the progress made"})
    action.status = status
    action.update = update or action.update
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.full_clean()
    action.save()
    audit.record(actor, AuditAction.UPDATE, action, fields=["status", "update", "completed_at"])
    return action


def overdue_actions(today: date | None = None):
    """Open actions past their due date whose owner has not been told yet (index action_agency_due)."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today, overdue_notified_at__isnull=True)
        .select_related("case__meeting__series__coordinating_agency", "owner")
        .order_by("due_on", "created_at")
    )


@transaction.atomic
def action_overdue_notify(*, actor: Any = OVERDUE_JOB, action: Action) -> bool:
    """Tell the owner their action is overdue (acknowledge; escalates to the coordinating agency).
    Idempotent: False when the owner was already told."""
    locked = Action.objects.select_for_update().filter(pk=action.pk, overdue_notified_at__isnull=True).first()
    if locked is None:
        return False
    series = action.case.meeting.series
    notify.send(
        action.owner,
        action,
        title=f"{series.get_kind_display()} action overdue",
        body=f"An action you own from {series.name} was due on {action.due_on.day} {action.due_on:%b %Y}. "
        "Open it, update its status and acknowledge this notification.",
        url=reverse("meetings:action", args=[action.pk]),
        ack_required=True,
        escalate_after=OVERDUE_ESCALATE_AFTER,
        escalate_to=series.coordinating_agency,
        kind="meeting_action_overdue",
        actor=actor if isinstance(actor, User) else None,
    )
    locked.overdue_notified_at = timezone.now()
    locked.save(update_fields=["overdue_notified_at"])
    audit.record(actor, AuditAction.UPDATE, locked, fields=["overdue_notified_at"])
    action.overdue_notified_at = locked.overdue_notified_at
    return True


# --- practitioner referral ---------------------------------------------------------------------


@transaction.atomic
def meeting_referral_create(
    *, actor: Any, person: Person, kind: str, district: District, reasons: str
) -> MeetingReferral:
    """Refer a person the actor can see to MARAC or MACE on professional judgement, with reasons."""
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see this person's record")
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select MARAC or MACE"})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "Enter the concerns and why they meet the threshold"})
    if not isinstance(district, District):
        raise ValidationError({"district": "Select the district whose meeting should hear the case"})
    if not MeetingSeries.objects.filter(kind=kind, district=district, active=True).exists():
        raise ValidationError(
            {"district": f"{district.name} has no {kind.upper()} in Safehub: select another district"}
        )
    if not actor.agency.districts.filter(pk=district.pk).exists():
        raise ValidationError({"district": "Select a district your agency serves"})
    referral = MeetingReferral(
        kind=kind,
        person=person,
        referrer=actor,
        reasons=reasons,
        owning_agency=actor.agency,
        district=district,
    )
    referral.full_clean()
    referral.save()
    audit.record(actor, AuditAction.CREATE, referral, fields=["kind", "district", "reasons"])
    chronology.add(
        person,
        kind,
        referral.referred_at,
        referral,
        f"Referred to {kind.upper()} ({district.name})",
        agency=actor.agency,
    )
    return referral
