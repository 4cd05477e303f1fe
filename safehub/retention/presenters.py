"""Display strings for reviews (dates in GOV.UK style, tags)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safehub.retention.models import RetentionReview, ReviewStatus

TAGS = {
    ReviewStatus.PENDING: "govuk-tag--yellow",
    ReviewStatus.RETAINED: "govuk-tag--blue",
    ReviewStatus.DISPOSED: "govuk-tag--grey",
}


def _date(value) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def review_row(review: RetentionReview) -> dict[str, Any]:
    person = review.person
    return {
        "id": review.pk,
        "person": str(person),
        "person_id": person.pk,
        "date_of_birth": _date(person.date_of_birth),
        "group": review.group.name,
        "last_activity": _date(review.last_activity_on),
        "due": _date(review.due_on),
        "overdue_days": (timezone.localdate() - review.due_on).days if review.status == "pending" else 0,
        "special": review.special_consideration,
        "status": review.get_status_display(),
        "tag": TAGS.get(review.status, ""),
        "decided_by": str(review.decided_by) if review.decided_by_id else "",
        "decided_at": _date(timezone.localtime(review.decided_at)) if review.decided_at else "",
        "reason": review.reason,
        "next_review": _date(review.next_review_on),
    }
