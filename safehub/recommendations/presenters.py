"""Display strings for the recommendations tracker (templates hold no logic)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from safehub.recommendations import rules, sources
from safehub.recommendations.models import Recommendation, Status

STATUS_TAGS = {
    Status.OPEN: "govuk-tag--blue",
    Status.IN_PROGRESS: "govuk-tag--yellow",
    Status.COMPLETED: "govuk-tag--green",
    Status.NOT_ACCEPTED: "govuk-tag--grey",
}


def day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def row(item: Recommendation, today: date | None = None, *, user: Any = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    late = rules.days_overdue(status=item.status, due_on=item.due_on, today=today)
    link = sources.link_for(item.source_type, item.source_id, user)
    return {
        "id": item.pk,
        "source_kind": item.get_source_kind_display(),
        "source_reference": item.source_reference,
        "finding": item.get_finding_display(),
        "source_link": {"label": link[0], "url": link[1]} if link else None,
        "text": item.text,
        "short_text": item.text if len(item.text) <= 140 else item.text[:137].rstrip() + "…",
        "owner": str(item.owner),
        "owning_agency": item.owning_agency.name,
        "district": item.district.name if item.district_id else "Whole partnership",
        "due": day(item.due_on),
        "overdue": late > 0,
        "overdue_text": f"{late} day{'s' if late != 1 else ''} overdue" if late else "",
        "status": item.get_status_display(),
        "status_tag": STATUS_TAGS.get(item.status, "govuk-tag--grey"),
        "is_open": item.is_open,
    }


def note_row(note) -> dict[str, Any]:
    local = timezone.localtime(note.at)
    return {
        "at": f"{local.day} {local:%B %Y} at {local:%H:%M}",
        "author": f"{note.author}, {note.author_agency.name}",
        "text": note.text,
        "status": note.get_status_display(),
    }
