"""Turn meetings, cases, candidates and actions into what templates and the API show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from safehub.core.rules import EVENT_TYPES
from safehub.meetings.models import Action, ActionStatus, ListedBy, Meeting, MeetingCase
from safehub.people.presenters import date_of_birth_text

LISTED_BY_TAGS = {
    ListedBy.RULE: "govuk-tag--red",
    ListedBy.MANUAL: "govuk-tag--purple",
    ListedBy.REVIEW: "govuk-tag--blue",
    ListedBy.TRANSFER: "govuk-tag--orange",
}
STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "agenda_published": "govuk-tag--blue",
    "held": "govuk-tag--green",
    "closed": "",
}
AGE_TEXT = {"child": "", "adult": "", "unknown": "Age not known: no date of birth"}


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%b %Y}"


def event_label(event_type: str) -> str:
    one = EVENT_TYPES.get(event_type, (event_type.replace("_", " "),))[0]
    return one[:1].upper() + one[1:]


def meeting_row(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "series": meeting.series.name,
        "starts": when(meeting.starts_at),
        "location": meeting.location,
        "status": meeting.get_status_display(),
        "status_class": STATUS_TAGS.get(meeting.status, ""),
    }


def evidence_rows(evidence: list[dict[str, Any]], links: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for item in evidence:
        at = item["at"] if isinstance(item["at"], datetime) else parse_datetime(item["at"])
        rows.append(
            {
                "type": event_label(item["type"]),
                "at": day(at),
                "ref": item.get("ref", ""),
                "url": links.get(item.get("ref", ""), ""),
            }
        )
    return rows


def fired_rows(fired: list[dict[str, Any]], links: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"title": f["title"], "reason": f["reason"], "evidence": evidence_rows(f["evidence"], links)}
        for f in fired
    ]


def candidate_row(candidate: Any) -> dict[str, Any]:
    from safehub.meetings.rules import fired_as_data

    person = candidate.person
    return {
        "person_id": person.pk,
        "name": person.full_name,
        "dob": date_of_birth_text(person),
        "age_note": AGE_TEXT[candidate.age_status],
        "rules": fired_rows(fired_as_data(candidate.fired), candidate.evidence_links),
        "listed_at": day(candidate.listed_at),
    }


def listed_tag(case: MeetingCase) -> dict[str, str]:
    return {"text": case.get_listed_by_display(), "class": LISTED_BY_TAGS.get(case.listed_by, "")}


def case_row(case: MeetingCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "position": case.position,
        "name": case.person.full_name,
        "dob": date_of_birth_text(case.person),
        "listed": listed_tag(case),
        "rule_titles": [f["title"] for f in case.rules_fired],
        "manual_reason": case.manual_reason,
        "is_repeat": case.is_repeat,
        "risk_before": case.get_risk_level_before_display() if case.risk_level_before else "",
        "risk_after": case.get_risk_level_after_display() if case.risk_level_after else "",
        "decision": case.get_decision_display() if case.decision else "",
    }


def case_summary(case: MeetingCase) -> list[tuple[str, str]]:
    person = case.person
    rows = [
        ("Name", person.full_name),
        ("Date of birth", date_of_birth_text(person)),
        ("District", case.district.name),
        ("Listed", case.get_listed_by_display()),
        ("Repeat hearing", "Yes: heard in the 12 months before" if case.is_repeat else "No"),
        (
            "Children in the household",
            "Not known" if case.children_in_household is None else str(case.children_in_household),
        ),
        (
            "Risk before the meeting",
            case.get_risk_level_before_display() if case.risk_level_before else "Not known",
        ),
    ]
    if case.ruleset_version:
        rows.append(("Listing rules version", str(case.ruleset_version)))
    if case.referring_agency_id:
        rows.append(("Referring agency", case.referring_agency.name))
    if case.review_of_id:
        rows.append(("Review of", f"the hearing on {day(case.review_of.meeting.starts_at)}"))
    return rows


def action_row(action: Action, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "id": action.pk,
        "description": action.description,
        "owner": str(action.owner),
        "owner_agency": action.owner_agency.name,
        "due": day(action.due_on),
        "status": action.get_status_display(),
        "overdue": action.status == ActionStatus.OPEN and action.due_on < today,
        "update": action.update,
        "series": action.case.meeting.series.name,
        "meeting_day": day(action.case.meeting.starts_at),
    }
