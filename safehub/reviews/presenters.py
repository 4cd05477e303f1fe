"""Display strings for practice reviews (templates hold no logic)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from safehub.core import clocks
from safehub.reviews import rules, services
from safehub.reviews.models import LearningTheme, PracticeReview, Stage

STAGE_TAGS = {
    "notification": "govuk-tag--orange",
    "rapid_review": "govuk-tag--orange",
    "decision": "govuk-tag--yellow",
    "lcspr": "govuk-tag--blue",
    "published": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


def day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    local = clocks.to_london(value)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def deadline_row(deadline: rules.Deadline | None, now: datetime | None = None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    now = now or timezone.now()
    days = (clocks.to_london(deadline.due_at).date() - timezone.localdate(now)).days
    if deadline.overdue:
        when = f"{-days} day{'s' if -days != 1 else ''} overdue" if days < 0 else "overdue"
    else:
        when = "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"
    return {
        "label": deadline.label,
        "due": moment(deadline.due_at),
        "overdue": deadline.overdue,
        "when": when,
    }


def review_row(review: PracticeReview, now: datetime | None = None) -> dict[str, Any]:
    facts = services.facts_of(review)
    current = rules.stage(facts)
    return {
        "id": review.pk,
        "reference": review.reference,
        "child": review.person.full_name,
        "district": review.district.name,
        "incident": review.get_incident_kind_display(),
        "learned": moment(review.learned_at),
        "stage": Stage(current).label,
        "stage_tag": STAGE_TAGS[current],
        "deadline": deadline_row(rules.next_deadline(facts, now or timezone.now()), now),
    }


def _step(
    label: str, due_at: datetime | None, done: datetime | date | None, done_text: str
) -> dict[str, Any]:
    if done is not None and due_at is not None:
        state = "On time" if rules.on_time(done, due_at) else "Late"
    elif done is not None:
        state = "Done"
    elif due_at is not None:
        state = "Overdue" if timezone.now() > due_at else "Due"
    else:
        state = "Not started"
    tag = {
        "On time": "govuk-tag--green",
        "Done": "govuk-tag--green",
        "Late": "govuk-tag--orange",
        "Overdue": "govuk-tag--red",
        "Due": "govuk-tag--blue",
    }.get(state, "govuk-tag--grey")
    return {"label": label, "due": moment(due_at), "done": done_text, "state": state, "tag": tag}


def steps(review: PracticeReview) -> list[dict[str, Any]]:
    rows = [
        _step(
            "Notification to the national panel (5 working days)",
            review.notification_due_at,
            review.notified_at,
            moment(review.notified_at),
        ),
        _step(
            "Rapid review (15 working days from the notification)",
            review.rapid_review_due_at,
            review.rapid_review_on,
            day(review.rapid_review_on),
        ),
    ]
    if review.decision == "local_review" or review.decision == "":
        rows.append(
            _step(
                "Publication of the local review (6 months from its start)",
                review.publication_due_at,
                review.published_on,
                day(review.published_on),
            )
        )
    return rows


def themes(review: PracticeReview) -> list[str]:
    labels = dict(LearningTheme.choices)
    return [labels[code] for code in review.learning_themes if code in labels]
