"""Turn referrals into what templates and the queue's JSON show: countdowns, tags, rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from safehub.core.access import access_route
from safehub.core.presenters import ACCESS_ROUTE_LABELS
from safehub.people.presenters import date_of_birth_text
from safehub.referrals import services
from safehub.referrals.models import FEEDBACK_STATUSES, ApprovalStatus, Referral, Status

RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def _span(seconds: int) -> str:
    minutes = max(seconds // 60, 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)


def countdown(due_at: datetime | None, now: datetime | None = None) -> str:
    """'due in 2 h 15 min', 'overdue by 35 min', or '' with no due time."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    seconds = int((due_at - now).total_seconds())
    if seconds >= 0:
        return f"due in {_span(seconds)}"
    return f"overdue by {_span(-seconds)}"


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def rag_tag(referral: Referral) -> dict[str, str]:
    if not referral.rag:
        return {"text": "Not triaged", "class": "govuk-tag--grey"}
    return {"text": referral.get_rag_display(), "class": RAG_TAGS.get(referral.rag, "")}


def referral_row(referral: Referral, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    due = referral.due_at or referral.decision_due_at
    return {
        "id": str(referral.pk),
        "reference": referral.reference,
        "url": reverse("referrals:detail", args=[referral.pk]),
        "received": when(referral.received_at),
        "source": referral.get_source_display(),
        "referring_agency": referral.referring_agency.name,
        "categories": ", ".join(referral.category_labels),
        "rag": referral.rag,
        "rag_tag": rag_tag(referral),
        "escalated": referral.escalated,
        "status": referral.get_status_display(),
        "due_at": due.isoformat() if due else "",
        "due": when(due),
        "countdown": countdown(due, now) if referral.status not in FEEDBACK_STATUSES else "",
        "breached": referral.is_breached or (referral.due_at is None and referral.decision_breached),
        "assigned_to": str(referral.assigned_to) if referral.assigned_to_id else "",
        "version": referral.version,
    }


def subject_rows(referral: Referral) -> list[dict[str, Any]]:
    return [
        {
            "person_id": s.person_id,
            "name": s.person.full_name,
            "dob": date_of_birth_text(s.person),
            "is_child": s.is_child,
        }
        for s in referral.subjects.select_related("person")
    ]


def request_row(request, *, with_answer: bool) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.referral.reference,
        "to_agency": request.to_agency.name,
        "person": request.person.full_name if request.person_id else "",
        "person_dob": date_of_birth_text(request.person) if request.person_id else "",
        "question": request.question,
        "purpose": request.purpose,
        "lawful_basis": request.get_lawful_basis_display(),
        "due": when(request.due_at),
        "countdown": countdown(request.due_at) if request.status == "sent" else "",
        "overdue": request.is_overdue,
        "status": request.get_status_display(),
        "answered": request.status == "answered",
        "answer": request.answer if with_answer else "",
        "answered_by": f"{request.answered_by} ({request.to_agency.name})" if request.answered_by_id else "",
        "answered_at": when(request.answered_at),
        "requested_by": str(request.requested_by),
        "requested_at": when(request.requested_at),
    }


def decision_rows(referral: Referral) -> list[dict[str, Any]]:
    return [
        {
            "outcome": d.get_outcome_display(),
            "rationale": d.rationale,
            "feedback": d.feedback_text,
            "decided_by": str(d.decided_by),
            "decided_at": when(d.decided_at),
            "approval": d.get_approval_status_display(),
            "approved_by": str(d.approved_by) if d.approved_by_id else "",
            "approved_at": when(d.approved_at),
            "approval_note": d.approval_note,
        }
        for d in referral.decisions.select_related("decided_by", "approved_by")
    ]


def feedback_for(referral: Referral) -> dict[str, Any] | None:
    """What the referrer is told, once the decision stands (approved, or needing no approval)."""
    if referral.status not in FEEDBACK_STATUSES:
        return None
    decision = (
        referral.decisions.filter(approval_status__in=[ApprovalStatus.APPROVED, ApprovalStatus.NOT_REQUIRED])
        .order_by("-decided_at")
        .first()
    )
    if decision is None:
        return None
    return {
        "outcome": decision.get_outcome_display(),
        "feedback": decision.feedback_text or "The MASH has made its decision.",
        "decided_at": when(decision.approved_at or decision.decided_at),
    }


def summary_rows(referral: Referral) -> list[tuple[str, str]]:
    rows = [
        ("Reference", referral.reference),
        ("Received", when(referral.received_at)),
        ("Source", referral.get_source_display()),
        ("Referred by", f"{referral.referrer} ({referral.referring_agency.name})"),
        ("District", referral.district.name),
        ("Held by", referral.owning_agency.name),
        ("Concerns", ", ".join(referral.category_labels)),
        ("Status", referral.get_status_display()),
        ("RAG rating", referral.get_rag_display() if referral.rag else "Not triaged yet"),
    ]
    if referral.rag_reason:
        rows.append(("Reason for the rating", referral.rag_reason))
    if referral.due_at:
        rows.append(("Due (RAG timescale)", f"{when(referral.due_at)} ({countdown(referral.due_at)})"))
    if referral.decision_due_at:
        rows.append(
            (
                "Referral decision due (1 working day)",
                f"{when(referral.decision_due_at)} ({countdown(referral.decision_due_at)})",
            )
        )
    rows.append(("Assigned to", str(referral.assigned_to) if referral.assigned_to_id else "Not assigned"))
    rows.append(("Consent", referral.get_consent_status_display()))
    if referral.consent_note:
        rows.append(("Why without consent", referral.consent_note))
    rows.append(("Lawful basis", referral.get_lawful_basis_display()))
    if referral.condition:
        rows.append(("Special category condition", referral.get_condition_display()))
    rows.append(("Child seen", referral.get_child_seen_display()))
    if referral.seen_alone:
        rows.append(("Seen alone", referral.get_seen_alone_display()))
    return rows


def referral_page(referral: Referral, user: Any) -> dict[str, Any]:
    from safehub.referrals import selectors

    mash = services.is_mash_for(user, referral)
    answers = services.sees_answers(user, referral)
    requests = []
    if answers:
        requests = [
            request_row(r, with_answer=True)
            for r in selectors.information_requests_for(user)
            .filter(referral=referral)
            .order_by("requested_at")
        ]
    open_ = referral.status in (Status.RECEIVED, Status.TRIAGED, Status.AWAITING_INFORMATION)
    return {
        "referral": referral,
        "row": referral_row(referral),
        "summary_rows": summary_rows(referral),
        "subjects": subject_rows(referral),
        "access_label": ACCESS_ROUTE_LABELS.get(access_route(user, referral), ""),
        "is_mash": mash,
        "is_manager": services.is_manager_for(user, referral),
        "sees_answers": answers,
        "requests": requests,
        "decisions": decision_rows(referral) if answers else [],
        "feedback": feedback_for(referral),
        "can_triage": mash and open_,
        "can_decide": mash and open_ and bool(referral.rag),
        "can_approve": services.is_manager_for(user, referral)
        and referral.status == Status.AWAITING_APPROVAL,
    }
