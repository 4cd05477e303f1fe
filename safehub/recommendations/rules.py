"""Pure rules of the recommendations tracker: when an item is overdue, and which status changes
are allowed, with the note each needs. No database, no request."""

from __future__ import annotations

from datetime import date

OPEN = ("open", "in_progress")
CLOSED = ("completed", "not_accepted")


def is_overdue(*, status: str, due_on: date, today: date) -> bool:
    """Past its due date and not complete: due today is not yet overdue."""
    return status in OPEN and due_on < today


def days_overdue(*, status: str, due_on: date, today: date) -> int:
    return (today - due_on).days if is_overdue(status=status, due_on=due_on, today=today) else 0


def status_change_errors(*, current: str, new: str, note: str, manager: bool) -> dict[str, str]:
    """Why a change of status (with its note) is refused: {} when it is allowed.

    - every change carries a note (progress, the evidence of completion, or why it is not accepted);
    - only the partnership manager closes a recommendation as not accepted, or reopens a closed one.
    """
    errors: dict[str, str] = {}
    if new not in OPEN + CLOSED:
        errors["status"] = "Select a status"
        return errors
    if not (note or "").strip():
        errors["note"] = {
            "completed": "Enter the evidence that the recommendation is complete",
            "not_accepted": "Enter why the recommendation is not accepted",
        }.get(new, "Enter a progress note")
    if new == "not_accepted" and not manager:
        errors["status"] = (
            "Only the safeguarding partnership manager can close a recommendation as not accepted"
        )
    elif current in CLOSED and new in OPEN and not manager:
        errors["status"] = (
            "This recommendation is closed: ask the safeguarding partnership manager to reopen it"
        )
    elif current in CLOSED and new == current:
        errors["status"] = "This recommendation is already closed"
    return errors
