"""Turn contacts into what the pages show, so templates hold no logic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safehub.contacts import rules, selectors, services
from safehub.contacts.models import Category, Contact, EncompassNotification, Role
from safehub.core.access import access_route
from safehub.core.presenters import ACCESS_ROUTE_LABELS
from safehub.people.models import Person
from safehub.people.presenters import date_of_birth_text

DASH_INSTRUMENT = "dash"
STATUS_TAGS = {
    "acknowledged": ("Acknowledged", "govuk-tag--green"),
    "escalated": ("Overdue: escalated", "govuk-tag--red"),
    "overdue": ("Overdue", "govuk-tag--red"),
    "due": ("Waiting", "govuk-tag--yellow"),
}
RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def apply_service_errors(form, action: Callable[[], Any], aliases: dict[str, str] | None = None) -> Any:
    """Run a service; put each ValidationError on the form field it names (or its alias)."""
    aliases = aliases or getattr(form, "ERROR_FIELDS", {})
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                name = aliases.get(field, field)
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def contact_row(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "reference": contact.reference,
        "received": when(contact.received_at),
        "category": contact.get_category_display(),
        "channel": contact.get_channel_display(),
        "district": contact.district.name,
        "grade": contact.grade.name if contact.grade else "Not graded",
    }


def _dash_url(person: Person, contact: Contact) -> str:
    path = reverse("instruments:assess", args=[DASH_INSTRUMENT, person.pk])
    return f"{path}?{urlencode({'context': f'contacts.contact:{contact.pk}'})}"


def people_rows(contact: Contact, user: Any) -> list[dict[str, Any]]:
    """The people on a contact, for whoever sees the contact.

    Who was involved, in what role, is part of the contact (its recorder could see each person when
    adding them), so names and dates of birth show with it; the person's file is linked only where
    the reader may open it in the person index.
    """
    links = list(contact.people.select_related("person"))
    visible = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[link.person_id for link in links])
        .values_list("pk", flat=True)
    )
    ppn_people = set(contact.ppns.values_list("person_id", flat=True))
    rows = []
    for link in links:
        person = link.person
        rows.append(
            {
                "person_id": person.pk,
                "name": person.full_name,
                "visible": person.pk in visible,
                "dob": date_of_birth_text(person),
                "role": link.get_role_display(),
                "dash_url": _dash_url(person, contact)
                if person.pk in visible and contact.category == Category.DOMESTIC and link.role == Role.VICTIM
                else "",
                "has_ppn": person.pk in ppn_people,
            }
        )
    return rows


def grading_rows(contact: Contact) -> list[dict[str, Any]]:
    rows = []
    for grading in contact.gradings.select_related("grade", "suggested_grade", "graded_by").order_by(
        "-sequence"
    ):
        rows.append(
            {
                "sequence": grading.sequence,
                "when": when(grading.graded_at),
                "by": str(grading.graded_by),
                "grade": grading.grade.name,
                "suggested": grading.suggested_grade.name,
                "overridden": grading.grade_id != grading.suggested_grade_id,
                "override_reason": grading.override_reason,
                "regrade_reason": grading.regrade_reason,
                "rcrp": grading.get_rcrp_outcome_display() if grading.rcrp_outcome else "",
                "elements": [
                    {
                        "label": rules.ELEMENT_LABELS[name],
                        "level": getattr(grading, f"get_{name}_level_display")(),
                        "rationale": getattr(grading, f"{name}_rationale"),
                    }
                    for name in rules.ELEMENTS
                ],
            }
        )
    return rows


def attendance_text(contact: Contact) -> str:
    grade = contact.grade
    if grade is None:
        return "Not graded yet"
    if not grade.attendance:
        return "No attendance at this grade"
    if contact.arrived_at is None:
        due = contact.attend_by
        return f"Waiting for officers: attend by {when(due)}" if due else "Waiting for an appointment"
    taken = int((contact.arrived_at - contact.received_at).total_seconds() // 60)
    within = contact.attended_within_target
    if within is None:
        return f"Officers arrived {when(contact.arrived_at)}, {taken} minutes after the call"
    verdict = "within" if within else "outside"
    return (
        f"Officers arrived {when(contact.arrived_at)}, {taken} minutes after the call: "
        f"{verdict} the {grade.target_minutes}-minute target"
    )


def flag_rows(contact: Contact, user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": "Repeat victim" if flag.kind == "repeat_victim" else "Repeat location",
            "subject": flag.subject,
            "title": flag.fired.title,
            "reason": flag.fired.reason,
            "earlier": [
                {
                    "id": row.id,
                    "when": when(row.at),
                    "category": row.category,
                    "visible": row.visible,
                    "current": row.current,
                }
                for row in flag.earlier
            ],
        }
        for flag in selectors.contact_flags(contact, user)
    ]


def encompass_row(row: EncompassNotification, *, for_school: bool) -> dict[str, Any]:
    status = selectors.encompass_status(row)
    label, tag = STATUS_TAGS[status]
    result = {
        "id": row.pk,
        "school": row.school.name,
        "reference": row.police_reference,
        "incident": when(row.incident_at),
        "due": when(row.due_at),
        "status": label,
        "tag": tag,
        "open": status != "acknowledged",
        "acknowledged": when(row.notification.acknowledged_at) if row.notification else "",
    }
    if for_school:
        result.update(
            {
                "child_name": row.child_name,
                "child_dob": f"{row.child_date_of_birth.day} {row.child_date_of_birth:%B %Y}",
                "present": "Yes" if row.child_present else "No",
            }
        )
    else:
        result["contact_id"] = row.contact_id
    return result


NON_RECENT_TAG = "Non-recent"


def summary_rows(contact: Contact) -> list[tuple[str, str, str]]:
    """(label, value, tag) for the contact's summary list; the tag is "" or a word to show as a tag."""
    return [
        ("Reference", contact.reference, ""),
        ("Received", when(contact.received_at), ""),
        (
            "Happened",
            when(contact.offence_at) or "At the time of the call",
            NON_RECENT_TAG if contact.is_non_recent else "",
        ),
        ("Kind of offence", contact.get_offence_group_display() or "Not recorded", ""),
        ("Channel", contact.get_channel_display(), ""),
        ("Category", contact.get_category_display(), ""),
        ("District", contact.district.name, ""),
        ("Location", contact.location_text or "Not recorded", ""),
        ("Postcode", contact.postcode or "Not recorded", ""),
        ("LSOA", contact.lsoa_code or "Not recorded", ""),
        ("Serious harm", "Yes" if contact.serious_harm else "No", ""),
        ("Recorded by", f"{contact.recorded_by} ({contact.owning_agency.name})", ""),
    ]


def contact_page(contact: Contact, user: Any) -> dict[str, Any]:
    route = access_route(user, contact)
    editable = route in ("owner", "district") and services.can_record(user)
    ppns = list(contact.ppns.select_related("person"))
    return {
        "contact": contact,
        "access_label": ACCESS_ROUTE_LABELS.get(route, ""),
        "can_edit": editable,
        "summary_rows": summary_rows(contact),
        "people": people_rows(contact, user),
        "gradings": grading_rows(contact),
        "grade": contact.grade,
        "attendance": attendance_text(contact),
        "rcrp": contact.get_rcrp_outcome_display() if contact.rcrp_outcome else "",
        "flags": flag_rows(contact, user),
        "ppns": [
            {
                "person": ppn.person.full_name,
                "rag": ppn.get_rag_display(),
                "rag_tag": RAG_TAGS[ppn.rag],
                "concern": ppn.get_concern_type_display(),
                "status": ppn.get_status_display(),
                "raised": when(ppn.raised_at),
                "summary": ppn.summary,
            }
            for ppn in ppns
        ],
        "encompass": [
            encompass_row(row, for_school=False)
            for row in contact.encompass_notifications.select_related("school", "notification")
        ],
        "is_domestic": contact.category == Category.DOMESTIC,
        "assessments": assessment_rows(contact, user),
    }


def assessment_rows(contact: Contact, user: Any) -> list[dict[str, Any]]:
    """Risk assessments (DASH...) this contact prompted, that the user may see."""
    from safehub.instruments.selectors import assessment_list_for

    rows = (
        assessment_list_for(user)
        .filter(context_type="contacts.contact", context_id=str(contact.pk))
        .select_related("person")
    )
    return [
        {
            "instrument": assessment.instrument_version.parsed.short_title,
            "person": assessment.person.full_name,
            "level": assessment.level,
            "score": assessment.score,
            "when": when(assessment.assessed_at),
        }
        for assessment in rows
    ]
