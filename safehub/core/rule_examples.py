"""Trying listing rules on example histories: the history JSON format, built-in examples, side by side.

The history format is the one `safehub rules evaluate --history FILE.json` reads (docs/rules.md):
``{"as_of": ISO, "events": [{"type": ..., "at": ISO, "ref": ..., ...attrs}]}``. Every key of an
event other than type, at and ref is an attr; a date-time with no offset is London time; as_of
defaults to now. `history_from_dict` and `history_from_text` parse it for the command and the
listing rules workbench alike.

EXAMPLES holds, per default ruleset, made-up histories at the boundaries of its rules, each with
the rules expected to fire under the default version (a test checks every one). They hold no
person: only event types, dates and the attrs a rule filters on. `trial` runs one history through
the version in force and a proposed version, for the workbench's side-by-side comparison.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from safehub.core.clocks import to_london
from safehub.core.rules import EVENT_TYPES, Event, Fired, Ruleset, evaluate

NOT_A_HISTORY = 'must be a JSON object with an "events" list'


class HistoryError(ValueError):
    """A history that cannot be read; `.problems` names each one (and the event's index)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _moment(value: Any) -> datetime:
    """An aware datetime from ISO 8601 text (no offset: London time); ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(value)
    return to_london(datetime.fromisoformat(value))


def history_from_dict(data: Any) -> tuple[datetime, list[Event]]:
    """as_of and the events of a history; HistoryError listing every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise HistoryError([NOT_A_HISTORY])
    problems = []
    as_of = to_london(timezone.now())
    if data.get("as_of") is not None:
        try:
            as_of = _moment(data["as_of"])
        except ValueError:
            problems.append(f"as_of: {data['as_of']!r} is not an ISO 8601 date-time, e.g. 2026-11-23T14:00")
    events = []
    for index, raw in enumerate(data["events"]):
        if not isinstance(raw, dict):
            problems.append(f"events[{index}]: must be an object")
            continue
        event_type = raw.get("type")
        if not isinstance(event_type, str) or not event_type.strip():
            problems.append(f"events[{index}]: has no type")
        try:
            at = _moment(raw.get("at"))
        except ValueError:
            problems.append(f"events[{index}].at: {raw.get('at')!r} is not an ISO 8601 date-time")
            continue
        attrs = {k: v for k, v in raw.items() if k not in ("type", "at", "ref")}
        if isinstance(event_type, str) and event_type.strip():
            events.append(Event(type=event_type, at=at, attrs=attrs, ref=str(raw.get("ref") or "")))
    if problems:
        raise HistoryError(problems)
    return as_of, events


def history_from_text(text: str) -> tuple[datetime, list[Event]]:
    """`history_from_dict` of JSON text; HistoryError when the text is not JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError(
            [f"The history is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
        ) from None
    try:
        return history_from_dict(data)
    except HistoryError as exc:
        if exc.problems == [NOT_A_HISTORY]:
            raise HistoryError([f"The history {NOT_A_HISTORY}"]) from None
        raise


# --- Built-in examples -------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    history: Mapping[str, Any]  # the history JSON format
    fires: tuple[str, ...]  # rule ids that fire under the default version


AS_OF = "2026-11-23T12:00"  # London time; every example is judged on this moment


def _history(*events: tuple) -> dict[str, Any]:
    """(type, at[, attrs]) tuples as the history format, judged at AS_OF."""
    return {
        "as_of": AS_OF,
        "events": [{"type": e[0], "at": e[1], **(e[2] if len(e) > 2 else {})} for e in events],
    }


def _count_examples(event_type: str, what: str, rule_id: str, days: str, start: str, late: str) -> tuple:
    """Three events with the oldest exactly at the window's start (fires), a day older (does not)."""
    return (
        Example(
            f"three-{event_type}-exact",
            f"3 {what}, the oldest exactly {days} before",
            _history((event_type, start), (event_type, "2026-10-01T20:00"), (event_type, "2026-11-20T22:15")),
            (rule_id,),
        ),
        Example(
            f"three-{event_type}-day-older",
            f"3 {what}, the oldest {days} and a day before",
            _history((event_type, late), (event_type, "2026-10-01T20:00"), (event_type, "2026-11-20T22:15")),
            (),
        ),
        Example(
            f"two-{event_type}",
            f"2 {what} in the last month",
            _history((event_type, "2026-11-01T09:00"), (event_type, "2026-11-20T22:15")),
            (),
        ),
    )


def _referral_examples(event_type: str, what: str) -> tuple:
    return (
        Example(
            f"{event_type}-90-days",
            f"A {what} exactly 90 days before",
            _history((event_type, "2026-08-25T12:00")),
            ("practitioner_referral",),
        ),
        Example(
            f"{event_type}-91-days",
            f"A {what} 91 days before",
            _history((event_type, "2026-08-24T12:00")),
            (),
        ),
    )


_NINETY_DAYS = ("90 days", "2026-08-25T12:00", "2026-08-24T12:00")  # exactly 90 days before AS_OF, and 91
_REPEAT_MISSING = ("missing_episode", "missing episodes", "repeat_missing", *_NINETY_DAYS)

EXAMPLES: dict[str, tuple[Example, ...]] = {
    "marac": (
        Example(
            "three-incidents-exactly-12-months",
            "3 domestic abuse incidents, the oldest exactly 12 months before",
            _history(
                ("da_incident", "2025-11-23T12:00"),
                ("da_incident", "2026-06-01T09:30"),
                ("da_incident", "2026-11-20T22:15"),
            ),
            ("potential_escalation",),
        ),
        Example(
            "three-incidents-12-months-and-a-day",
            "3 domestic abuse incidents, the oldest 12 months and a day before",
            _history(
                ("da_incident", "2025-11-22T12:00"),
                ("da_incident", "2026-06-01T09:30"),
                ("da_incident", "2026-11-20T22:15"),
            ),
            (),
        ),
        Example(
            "three-incidents-in-5-months",
            "3 domestic abuse incidents in 5 months",
            _history(
                ("da_incident", "2026-07-01T23:10"),
                ("da_incident", "2026-09-10T18:00"),
                ("da_incident", "2026-11-20T22:15"),
            ),
            ("potential_escalation",),
        ),
        Example(
            "two-incidents",
            "2 domestic abuse incidents in 12 months",
            _history(("da_incident", "2026-03-01T21:00"), ("da_incident", "2026-11-20T22:15")),
            (),
        ),
        Example(
            "dash-13-then-14",
            "DASH score 13, then 14",
            _history(
                ("dash", "2026-09-01T10:00", {"score": 13}),
                ("dash", "2026-11-20T22:30", {"score": 14}),
            ),
            ("visible_high_risk",),
        ),
        Example(
            "dash-14-then-13",
            "DASH score 14, then 13 (the latest decides)",
            _history(
                ("dash", "2026-09-01T10:00", {"score": 14}),
                ("dash", "2026-11-20T22:30", {"score": 13}),
            ),
            (),
        ),
        Example(
            "dash-override-high",
            "DASH score 9 that the assessor judged high",
            _history(("dash", "2026-11-20T22:30", {"score": 9, "override_level": "high"})),
            ("professional_judgement",),
        ),
        Example(
            "incident-365-days-after-hearing",
            "A domestic abuse incident 365 days after a MARAC hearing",
            _history(("marac_heard", "2025-11-20T10:00"), ("da_incident", "2026-11-20T10:00")),
            ("repeat_marac",),
        ),
        Example(
            "incident-366-days-after-hearing",
            "A domestic abuse incident 366 days after a MARAC hearing",
            _history(("marac_heard", "2025-11-20T10:00"), ("da_incident", "2026-11-21T10:00")),
            (),
        ),
        Example(
            "incident-before-hearing",
            "A domestic abuse incident before the MARAC hearing, none after",
            _history(("da_incident", "2026-05-01T21:00"), ("marac_heard", "2026-06-04T10:00")),
            (),
        ),
        *_referral_examples("marac_referral", "referral to MARAC"),
    ),
    "mace": (
        Example(
            "exploitation-medium",
            "Exploitation assessment: medium",
            _history(("exploitation_assessment", "2026-11-10T15:00", {"level": "medium"})),
            (),
        ),
        Example(
            "exploitation-high",
            "Exploitation assessment: high",
            _history(("exploitation_assessment", "2026-11-10T15:00", {"level": "high"})),
            ("high_exploitation_risk",),
        ),
        Example(
            "exploitation-significant",
            "Exploitation assessment: significant",
            _history(("exploitation_assessment", "2026-11-10T15:00", {"level": "significant"})),
            ("high_exploitation_risk",),
        ),
        Example(
            "exploitation-high-then-medium",
            "Exploitation assessment high, then medium (the latest decides)",
            _history(
                ("exploitation_assessment", "2026-06-10T15:00", {"level": "high"}),
                ("exploitation_assessment", "2026-11-10T15:00", {"level": "medium"}),
            ),
            (),
        ),
        *_count_examples(*_REPEAT_MISSING),
        *_referral_examples("mace_referral", "referral to MACE"),
    ),
    "repeat-missing": _count_examples(*_REPEAT_MISSING),
    "repeat-victim": _count_examples(
        "contact_victim",
        "contacts as a victim",
        "repeat_victim",
        "12 months",
        "2025-11-23T12:00",
        "2025-11-22T12:00",
    ),
    "repeat-location": _count_examples(
        "contact_location", "contacts at one location", "repeat_location", *_NINETY_DAYS
    ),
    "mash-escalation": (
        Example(
            "three-green-exact",
            "3 green MASH referrals, the oldest exactly 90 days before",
            _history(
                ("mash_referral", "2026-08-25T12:00", {"rag": "green"}),
                ("mash_referral", "2026-10-01T11:00", {"rag": "green"}),
                ("mash_referral", "2026-11-20T09:15", {"rag": "green"}),
            ),
            ("repeat_green_referrals",),
        ),
        Example(
            "three-green-day-older",
            "3 green MASH referrals, the oldest 90 days and a day before",
            _history(
                ("mash_referral", "2026-08-24T12:00", {"rag": "green"}),
                ("mash_referral", "2026-10-01T11:00", {"rag": "green"}),
                ("mash_referral", "2026-11-20T09:15", {"rag": "green"}),
            ),
            (),
        ),
        Example(
            "two-green-one-amber",
            "2 green and 1 amber MASH referral in 90 days",
            _history(
                ("mash_referral", "2026-09-01T12:00", {"rag": "green"}),
                ("mash_referral", "2026-10-01T11:00", {"rag": "amber"}),
                ("mash_referral", "2026-11-20T09:15", {"rag": "green"}),
            ),
            (),
        ),
    ),
}


def examples_for(ruleset_id: str) -> tuple[Example, ...]:
    return EXAMPLES.get(ruleset_id, ())


# --- Side by side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    index: int  # the event's position in the history's "events" list
    type: str
    label: str
    at: datetime


@dataclass(frozen=True)
class Outcome:
    """One rule's result under the version in force (current) and the proposal (None: did not fire)."""

    rule_id: str
    title: str
    current: Fired | None
    proposed: Fired | None
    current_evidence: tuple[Evidence, ...]
    proposed_evidence: tuple[Evidence, ...]

    @property
    def changed(self) -> bool:
        return (self.current is None) != (self.proposed is None)

    @property
    def cells(self) -> tuple[tuple[Fired | None, tuple[Evidence, ...]], ...]:
        """(fired, evidence) under the version in force, then under the proposal: for side-by-side tables."""
        return (self.current, self.current_evidence), (self.proposed, self.proposed_evidence)


@dataclass(frozen=True)
class Trial:
    title: str
    as_of: datetime
    event_count: int
    outcomes: tuple[Outcome, ...]  # only the rules that fire under either version
    expected: tuple[str, ...] | None  # titles expected under the default version (built-in examples)

    @property
    def changed(self) -> bool:
        return any(o.changed for o in self.outcomes)


def _evidence(fired: Fired | None, positions: dict[int, int]) -> tuple[Evidence, ...]:
    if fired is None:
        return ()
    return tuple(
        Evidence(positions.get(id(e), -1), e.type, EVENT_TYPES.get(e.type, (e.type,))[0], e.at)
        for e in fired.evidence
    )


def trial(
    current: Ruleset,
    proposed: Ruleset,
    as_of: datetime,
    events: Sequence[Event],
    *,
    title: str,
    expected: tuple[str, ...] | None = None,
) -> Trial:
    """Which rules `events` meet at `as_of` under each version, rule by rule (in the proposal's order)."""
    positions = {id(e): index for index, e in enumerate(events)}
    before = {f.rule_id: f for f in evaluate(current, events, as_of)}
    after = {f.rule_id: f for f in evaluate(proposed, events, as_of)}
    titles = {r.id: r.title for r in current.rules} | {r.id: r.title for r in proposed.rules}
    order = [r.id for r in proposed.rules] + [r.id for r in current.rules if r.id not in after]
    outcomes = tuple(
        Outcome(
            rule_id,
            titles[rule_id],
            before.get(rule_id),
            after.get(rule_id),
            _evidence(before.get(rule_id), positions),
            _evidence(after.get(rule_id), positions),
        )
        for rule_id in dict.fromkeys(order)
        if rule_id in before or rule_id in after
    )
    return Trial(title, as_of, len(events), outcomes, expected)


def example_trials(current: Ruleset, proposed: Ruleset, default: Ruleset | None) -> list[Trial]:
    """Every built-in example of the ruleset, under both versions."""
    titles = {r.id: r.title for r in default.rules} if default else {}
    trials = []
    for example in examples_for(proposed.id):
        as_of, events = history_from_dict(dict(example.history))
        expected = tuple(titles.get(rule_id, rule_id) for rule_id in example.fires)
        trials.append(trial(current, proposed, as_of, events, title=example.title, expected=expected))
    return trials
