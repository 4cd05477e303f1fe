"""Pure rules of MARAC and MACE: who is a candidate, who is already listed, repeat hearings,
children in the household, and what a decision or an action needs. No ORM, no request.

The listing rules themselves (which events, how many, in what window) are data in
`safehub.core.rules` / `rulesets`; these functions only shape and check what the meetings app does
with their results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from safehub.core.rules import Fired, Ruleset
from safehub.people.rules import age_on

# A repeat hearing: heard at the same kind of meeting in the 12 months before (SafeLives repeat
# MARAC definition [V], DOMAIN.md 2.4; used for MACE too as a local reading).
REPEAT_WINDOW_DAYS = 365
# Candidates: events are gathered from this many days before the rules' longest window, so a
# rule anchored on an older event (repeat MARAC after a hearing) still sees its anchor.
LOOK_BACK_MARGIN_DAYS = 365
ADULT_AGE = 18

# Relationships that put a child in the person's household.
HOUSEHOLD_CHILD_KINDS = ("parent", "carer", "household")
# Risk levels after discussion that keep a MACE case on review ("stays on review until the risk
# is reduced", issue 5): closing at one of these needs a reason that says why.
MACE_STILL_HIGH = ("high", "significant")
# The instrument events whose level is the risk before discussion, per kind.
RISK_BEFORE_EVENT = {"marac": "dash", "mace": "exploitation_assessment"}


def ruleset_event_types(ruleset: Ruleset) -> tuple[str, ...]:
    """Every event type a ruleset reads (counted or anchor), in a stable order."""
    types: dict[str, None] = {}
    for rule in ruleset.rules:
        for event_type in (*rule.event_types, *rule.anchor_types):
            types[event_type] = None
    return tuple(types)


def look_back_days(ruleset: Ruleset) -> int:
    """How far back to look for people with relevant events: the longest window plus a margin."""
    longest = max((rule.window_days or 0 for rule in ruleset.rules), default=0)
    return longest + LOOK_BACK_MARGIN_DAYS


def child_status(dob: date | None, on: date) -> str:
    """'child', 'adult' or 'unknown' (no date of birth) on the day `on`."""
    age = age_on(dob, on)
    if age is None:
        return "unknown"
    return "child" if age < ADULT_AGE else "adult"


def in_scope_for_kind(kind: str, dob: date | None, on: date) -> bool:
    """MACE hears children (unknown age included, and said so); MARAC hears anyone."""
    if kind == "mace":
        return child_status(dob, on) != "adult"
    return True


def latest_evidence_at(fired: Iterable[Fired]) -> datetime | None:
    times = [event.at for f in fired for event in f.evidence]
    return max(times) if times else None


def is_already_listed(listed_at: datetime | None, fired: Sequence[Fired]) -> bool:
    """Listed on this series at or after every evidence event: nothing new since the listing."""
    if listed_at is None:
        return False
    latest = latest_evidence_at(fired)
    return latest is None or listed_at >= latest


def is_repeat(heard_at: Iterable[datetime], at: datetime) -> bool:
    """Heard at this kind of meeting in the REPEAT_WINDOW_DAYS before `at` (not at `at` itself)."""
    start = at - timedelta(days=REPEAT_WINDOW_DAYS)
    return any(start <= moment < at for moment in heard_at)


def children_in_household(relationships: Iterable[tuple[str, date | None, date | None]], on: date) -> int:
    """Count the children under 18 in the household from (kind, child's dob, to_date) rows: the
    person is their parent or carer, or lives with them, and the relationship has not ended."""
    count = 0
    for kind, dob, to_date in relationships:
        if kind not in HOUSEHOLD_CHILD_KINDS or (to_date is not None and to_date < on):
            continue
        if child_status(dob, on) == "child":
            count += 1
    return count


def risk_before(kind: str, history: Sequence[Any], levels: Sequence[str]) -> str:
    """The level of the latest assessment of the kind's instrument, if it is one of `levels`
    (the assessor's override wins over the computed level)."""
    wanted = RISK_BEFORE_EVENT.get(kind)
    for event in sorted((e for e in history if e.type == wanted), key=lambda e: e.at, reverse=True):
        level = event.attrs.get("override_level") or event.attrs.get("level")
        return level if level in levels else ""
    return ""


def fired_as_data(fired: Iterable[Fired]) -> list[dict[str, Any]]:
    """Fired rules as stored on a case: rule, title, reason and evidence (type, at, ref)."""
    return [
        {
            "rule": f.rule_id,
            "title": f.title,
            "reason": f.reason,
            "evidence": [{"type": e.type, "at": e.at.isoformat(), "ref": e.ref} for e in f.evidence],
        }
        for f in fired
    ]


def decision_problems(
    *, kind: str, decision: str, reason: str, risk_after: str, levels: Sequence[str], transfer: bool
) -> dict[str, str]:
    """What is wrong with a decision on a case, by field ({} when it can be recorded)."""
    problems: dict[str, str] = {}
    reason = (reason or "").strip()
    if risk_after and risk_after not in levels:
        problems["risk_level_after"] = f"Select a risk level used at {kind.upper()}: {', '.join(levels)}"
    if not decision:
        return problems
    if not risk_after:
        problems["risk_level_after"] = "Select the risk level after discussion"
    if decision == "close":
        if kind == "mace" and risk_after in MACE_STILL_HIGH and not reason:
            problems["decision_reason"] = (
                "The risk is still high: a MACE case stays on review until the risk is reduced. "
                "Keep it on review, or enter why it closes while the risk is high"
            )
        elif not reason:
            problems["decision_reason"] = "Enter why the case is closed"
    elif decision == "transfer":
        if kind != "marac":
            problems["decision"] = "Only a MARAC case can be transferred to another area"
        elif not transfer:
            problems["transfer_to_series"] = "Select the MARAC to transfer to, or enter an area outside"
        if not reason:
            problems["decision_reason"] = "Enter why the case is transferred (for example, the victim moved)"
    return problems


def action_problems(
    *, description: str, has_owner_agency: bool, has_owner: bool, due_on: date | None, meeting_day: date
) -> dict[str, str]:
    """What is wrong with a new action, by field ({} when it can be saved)."""
    problems: dict[str, str] = {}
    if not (description or "").strip():
        problems["description"] = "Enter what is to be done"
    if not has_owner_agency:
        problems["owner_agency"] = "Select the agency that owns the action"
    if not has_owner:
        problems["owner"] = "Select the person who owns the action"
    if due_on is None:
        problems["due_on"] = "Enter the date the action is due"
    elif due_on < meeting_day:
        problems["due_on"] = (
            f"The due date must be on or after the day of the meeting ({meeting_day.day} {meeting_day:%b %Y})"
        )
    return problems


def is_overdue(due_on: date, today: date, status: str) -> bool:
    return status == "open" and due_on < today
