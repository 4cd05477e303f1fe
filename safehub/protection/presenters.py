"""Display strings for domestic abuse pages, so templates hold no logic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from safehub.protection import rules
from safehub.protection.models import DisclosureApplication, HearingOutcome, ProtectionOrder


def when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%d %b %Y at %H:%M}" if moment else ""


def _remaining(due_at: datetime, now: datetime) -> str:
    seconds = int((due_at - now).total_seconds())
    hours, minutes = abs(seconds) // 3600, (abs(seconds) % 3600) // 60
    days, hours_left = hours // 24, hours % 24
    span = f"{days} days {hours_left} hours" if days else f"{hours} hours {minutes} minutes"
    return f"{span} left" if seconds >= 0 else f"{span} overdue"


def clock(
    due_at: datetime, done_at: datetime | None, *, label: str, now: datetime | None = None
) -> dict[str, str]:
    """A clock's due time and state as text and a GOV.UK tag colour."""
    now = now or timezone.now()
    verdict = rules.within_window(done_at, due_at, now)
    if done_at is not None:
        text, tag = ("Met", "govuk-tag--green") if verdict else ("Missed", "govuk-tag--red")
        detail = f"done {when(done_at)}"
    elif verdict is False:
        text, tag, detail = "Overdue", "govuk-tag--red", _remaining(due_at, now)
    else:
        text, tag, detail = "Running", "govuk-tag--yellow", _remaining(due_at, now)
    return {"label": label, "due": when(due_at), "state": text, "tag": tag, "detail": detail}


def order_row(order: ProtectionOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "reference": order.reference,
        "notice": order.notice_name,
        "victim": order.victim.full_name,
        "subject": order.subject.full_name,
        "district": order.district.name,
        "served": when(order.served_at),
        "clock": clock(order.hearing_due_at, order.hearing_at, label="Hearing"),
        "outcome": order.get_outcome_display(),
        "expires": f"{order.expires_on:%d %b %Y}" if order.expires_on else "",
    }


def order_summary(order: ProtectionOrder) -> list[tuple[str, str]]:
    rows = [
        ("Scheme", order.get_scheme_display()),
        ("Person protected", order.victim.full_name),
        (f"Given the {order.notice_name}", order.subject.full_name),
        (
            "Authorised",
            f"{when(order.authorised_at)} by {order.get_authorised_by_rank_display().lower()} "
            f"{order.authorised_by_name}",
        ),
        ("Served", when(order.served_at)),
        ("Grounds", order.grounds),
        ("Conditions of the notice", order.notice_conditions),
        (
            "Application",
            f"{when(order.application_made_at)}, {order.court}"
            if order.application_made_at
            else "Not yet made",
        ),
        ("Hearing", when(order.hearing_at) or "Not yet heard"),
        ("Outcome", order.get_outcome_display()),
    ]
    if order.outcome == HearingOutcome.GRANTED:
        rows += [
            ("Conditions of the order", order.order_conditions),
            ("Duration", f"{order.duration_days} days, in force until {order.expires_on:%d %b %Y}"),
        ]
    if order.outcome_reason:
        rows.append(("Reason given", order.outcome_reason))
    if order.contact_id:
        rows.append(("Contact", order.contact.reference))
    return rows


def disclosure_row(application: DisclosureApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "reference": application.reference,
        "route": application.get_route_display(),
        "person_at_risk": application.person_at_risk.full_name,
        "subject": application.subject.full_name,
        "district": application.district.name,
        "received": when(application.received_at),
        "stage": application.get_stage_display(),
        "clock": clock(application.due_at, application.completed_at, label="28-day clock"),
    }


def disclosure_stages(application: DisclosureApplication) -> list[tuple[str, str]]:
    return [
        ("Application received", when(application.received_at)),
        ("Initial contact", when(application.initial_contact_at) or "Not yet"),
        ("Checks completed", when(application.checks_completed_at) or "Not yet"),
        ("Face-to-face meeting", when(application.face_to_face_at) or "Not yet"),
        ("Multi-agency decision", when(application.decision_at) or "Not yet"),
        ("Disclosure or no disclosure", when(application.completed_at) or "Not yet"),
    ]


def percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def difference(diff) -> dict[str, str]:
    """The evaluation's difference and interval in percentage points."""
    if diff.difference is None:
        return {
            "rate_with": percent(diff.rate_with),
            "rate_without": percent(diff.rate_without),
            "difference": "Not enough cases",
            "ci": "",
            "significant": "",
        }
    significant = "Yes" if diff.significant else "No"
    return {
        "rate_with": percent(diff.rate_with),
        "rate_without": percent(diff.rate_without),
        "difference": f"{100 * diff.difference:+.1f} points",
        "ci": f"{100 * diff.low:+.1f} to {100 * diff.high:+.1f} points",
        "significant": significant,
    }
