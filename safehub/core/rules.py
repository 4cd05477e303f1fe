"""The listing-rule evaluator: does a history of events meet a ruleset? Pure, no ORM and no request.

One evaluator runs for repeat victims and repeat locations, MARAC, MACE, repeat missing and MASH
escalation. Each app turns the records it owns into `Event`s (the vocabulary is in EVENT_TYPES and
docs/rules.md); a `Ruleset` is data (rule kind, event types, numbers, source) that a partnership
can replace with its own version (`safehub.core.rulesets`).

Rule kinds. `where` filters the counted events by their attrs in every kind; events after `as_of`
are ignored everywhere.

- ``count_in_window``: at least ``min_count`` matching events in the window. The window runs from
  exactly ``window_days`` days before ``as_of`` (same wall-clock time) up to ``as_of``, both ends
  included: with as_of 23 Nov 2026 12:00 and 365 days, an event at 23 Nov 2025 12:00 counts and one
  a day (or a second) older does not. With no ``window_days``, every event up to ``as_of`` counts.
- ``threshold``: the **latest** matching-type event (in the window, if one is given) meets
  ``where``: the current DASH has a score of 14 or more, the current exploitation assessment is
  high. An older assessment that met the threshold does not fire once a newer one does not.
- ``within_window_of``: at least ``min_count`` matching events strictly after the latest anchor
  event and no more than ``window_days`` days after it (inclusive), e.g. a domestic abuse incident
  within 365 days of the last MARAC hearing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, cast, get_args
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

Kind = Literal["count_in_window", "threshold", "within_window_of"]
KINDS: tuple[str, ...] = get_args(Kind)
# `where` keys: "name" (equals) or "name__<suffix>" with one of these suffixes.
OPERATORS = ("gte", "gt", "lte", "lt", "in")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# The event vocabulary: type -> (one, many, what it is and which app contributes it).
EVENT_TYPES: dict[str, tuple[str, str, str]] = {
    "contact_victim": (
        "contact recording the person as a victim",
        "contacts recording the person as a victim",
        "contacts: a contact or incident in which the person is recorded as a victim",
    ),
    "contact_location": (
        "contact at the location",
        "contacts at the location",
        "contacts: a contact or incident at one location (a location's history, not a person's)",
    ),
    "da_incident": (
        "domestic abuse incident as a victim",
        "domestic abuse incidents as a victim",
        "contacts (and any agency): a domestic abuse incident in which the person is the victim",
    ),
    "dash": (
        "DASH risk assessment",
        "DASH risk assessments",
        "instruments: a completed DASH; attrs score (yes answers), level, override_level",
    ),
    "marac_heard": (
        "MARAC hearing",
        "MARAC hearings",
        "meetings: the person's case was heard at MARAC",
    ),
    "missing_episode": (
        "missing episode",
        "missing episodes",
        "missing: an episode of going missing (by the time it started)",
    ),
    "exploitation_assessment": (
        "exploitation risk assessment",
        "exploitation risk assessments",
        "instruments: a completed CSE/CCE screening; attrs level (low, medium, high, significant)",
    ),
    "marac_referral": (
        "referral to MARAC",
        "referrals to MARAC",
        "meetings: a practitioner referred the person to MARAC on professional judgement, with reasons",
    ),
    "mace_referral": (
        "referral to MACE",
        "referrals to MACE",
        "meetings: a practitioner referred the child to MACE, with reasons",
    ),
    "mash_referral": (
        "MASH referral",
        "MASH referrals",
        "referrals: a referral received by the MASH; attrs rag (red, amber, green, blue)",
    ),
}

_OPERATOR_WORDS = {
    "eq": "{name} {value}",
    "gte": "{name} at least {value}",
    "gt": "{name} more than {value}",
    "lte": "{name} at most {value}",
    "lt": "{name} less than {value}",
    "in": "{name} {value}",
}


@dataclass(frozen=True)
class Event:
    """One thing that happened in a person's (or a location's) history."""

    type: str
    at: datetime
    attrs: Mapping[str, Any] = field(default_factory=dict)
    ref: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: Kind
    event_types: tuple[str, ...]
    min_count: int = 1
    window_days: int | None = None
    where: Mapping[str, Any] = field(default_factory=dict)
    anchor_types: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: int
    title: str
    rules: tuple[Rule, ...]
    source: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Fired:
    rule_id: str
    title: str
    reason: str
    evidence: tuple[Event, ...]


class RulesetError(ValueError):
    """A ruleset definition that cannot be used; `.problems` names each field that is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# --- Evaluation ------------------------------------------------------------------------------


def evaluate(ruleset: Ruleset, history: Sequence[Event], as_of: datetime) -> list[Fired]:
    """The rules of `ruleset` that `history` meets at `as_of`, in the ruleset's order.

    Events after `as_of` are ignored. Every datetime must be aware (ValueError otherwise).
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    for index, event in enumerate(history):
        if event.at.tzinfo is None:
            raise ValueError(f"events[{index}].at must be an aware datetime")
    past = sorted((e for e in history if e.at <= as_of), key=lambda e: e.at)
    fired = []
    for rule in ruleset.rules:
        result = _EVALUATORS[rule.kind](rule, past, as_of)
        if result is not None:
            fired.append(result)
    return fired


def _of_types(rule: Rule, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.type in rule.event_types]


def _in_window(rule: Rule, events: Sequence[Event], as_of: datetime) -> list[Event]:
    if rule.window_days is None:
        return list(events)
    start = as_of.astimezone(LONDON) - timedelta(days=rule.window_days)  # London wall-clock days
    return [e for e in events if start <= e.at <= as_of]


def _count_in_window(rule: Rule, events: Sequence[Event], as_of: datetime) -> Fired | None:
    matching = [e for e in _in_window(rule, _of_types(rule, events), as_of) if matches(rule.where, e.attrs)]
    if len(matching) < rule.min_count:
        return None
    what = _events_phrase(rule.event_types, len(matching))
    condition = _where_phrase(rule.where)
    with_condition = f" with {condition}" if condition else ""
    if rule.window_days is None:
        reason = (
            f"{len(matching)} {what}{with_condition} up to {_day(as_of)} (rule: at least {rule.min_count})"
        )
    else:
        reason = (
            f"{len(matching)} {what}{with_condition} in the {_period(rule.window_days)} to {_day(as_of)} "
            f"(rule: at least {rule.min_count} in {rule.window_days} days)"
        )
    return Fired(rule.id, rule.title, reason, tuple(matching))


def _threshold(rule: Rule, events: Sequence[Event], as_of: datetime) -> Fired | None:
    candidates = _in_window(rule, _of_types(rule, events), as_of)
    if not candidates:
        return None
    latest = candidates[-1]
    if not matches(rule.where, latest.attrs):
        return None
    names = dict.fromkeys(_split(key)[0] for key in rule.where)
    values = " and ".join(f"{name.replace('_', ' ')} {_value_text(latest.attrs.get(name))}" for name in names)
    window = f" in the {_period(rule.window_days)} to {_day(as_of)}" if rule.window_days else ""
    reason = (
        f"The latest {_events_phrase((latest.type,), 1)}{window}, on {_day(latest.at)}, has {values} "
        f"(rule: {_where_phrase(rule.where)})"
    )
    return Fired(rule.id, rule.title, reason, (latest,))


def _within_window_of(rule: Rule, events: Sequence[Event], as_of: datetime) -> Fired | None:
    anchors = [e for e in events if e.type in rule.anchor_types]
    if not anchors or rule.window_days is None:
        return None
    anchor = anchors[-1]
    end = anchor.at.astimezone(LONDON) + timedelta(days=rule.window_days)
    matching = [
        e for e in _of_types(rule, events) if anchor.at < e.at <= end and matches(rule.where, e.attrs)
    ]
    if len(matching) < rule.min_count:
        return None
    anchor_name = _events_phrase(rule.anchor_types, 1)
    reason = (
        f"{len(matching)} {_events_phrase(rule.event_types, len(matching))} within the "
        f"{_period(rule.window_days)} after the {_events_phrase((anchor.type,), 1)} on {_day(anchor.at)} "
        f"(rule: at least {rule.min_count} within {rule.window_days} days after the latest {anchor_name})"
    )
    return Fired(rule.id, rule.title, reason, (anchor, *matching))


_EVALUATORS = {
    "count_in_window": _count_in_window,
    "threshold": _threshold,
    "within_window_of": _within_window_of,
}


def _split(key: str) -> tuple[str, str]:
    """'score__gte' -> ('score', 'gte'); 'rag' -> ('rag', 'eq'); 'x__bad' -> ('x', 'bad')."""
    name, sep, operator = key.rpartition("__")
    return (name, operator) if sep else (key, "eq")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def matches(where: Mapping[str, Any], attrs: Mapping[str, Any]) -> bool:
    """Whether `attrs` meets every condition in `where` (a missing attr never matches)."""
    for key, expected in where.items():
        name, operator = _split(key)
        if name not in attrs:
            return False
        actual = attrs[name]
        if operator == "eq":
            ok = actual == expected
        elif operator == "in":
            ok = actual in expected
        elif operator in ("gte", "gt", "lte", "lt"):
            if not _is_number(actual):
                return False
            ok = {
                "gte": actual >= expected,
                "gt": actual > expected,
                "lte": actual <= expected,
                "lt": actual < expected,
            }[operator]
        else:
            raise ValueError(f"Unknown operator in where key {key!r}")
        if not ok:
            return False
    return True


# --- Plain English ---------------------------------------------------------------------------


def _label(event_type: str, count: int) -> str:
    one, many, _ = EVENT_TYPES.get(event_type, (f"{event_type} event", f"{event_type} events", ""))
    return one if count == 1 else many


def _events_phrase(event_types: Sequence[str], count: int) -> str:
    return " or ".join(_label(t, count) for t in event_types)


def _period(days: int | None) -> str:
    if days is None:
        return "whole history"
    if days % 365 == 0:
        months = days // 365 * 12
        return f"{months} months"
    return "1 day" if days == 1 else f"{days} days"


def _day(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%b %Y}"


def _value_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
    return str(value)


def _where_phrase(where: Mapping[str, Any]) -> str:
    parts = []
    for key, value in where.items():
        name, operator = _split(key)
        parts.append(_OPERATOR_WORDS[operator].format(name=name.replace("_", " "), value=_value_text(value)))
    return " and ".join(parts)


def describe(rule: Rule) -> str:
    """The rule in one plain-English phrase, for lists and the admin."""
    condition = _where_phrase(rule.where)
    with_condition = f" with {condition}" if condition else ""
    if rule.kind == "count_in_window":
        what = _events_phrase(rule.event_types, rule.min_count)
        window = f" in {rule.window_days} days" if rule.window_days else ""
        return f"at least {rule.min_count} {what}{with_condition}{window}"
    if rule.kind == "threshold":
        window = f" (in the last {rule.window_days} days)" if rule.window_days else ""
        return f"the latest {_events_phrase(rule.event_types, 1)}{window}{with_condition}"
    what = _events_phrase(rule.event_types, rule.min_count)
    return (
        f"at least {rule.min_count} {what}{with_condition} within {rule.window_days} days after "
        f"the latest {_events_phrase(rule.anchor_types, 1)}"
    )


# --- Definitions as data ---------------------------------------------------------------------

_RULESET_FIELDS = {"id", "version", "title", "rules", "source", "notes"}
_RULE_FIELDS = {
    "id",
    "title",
    "kind",
    "event_types",
    "min_count",
    "window_days",
    "where",
    "anchor_types",
    "description",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(data: Mapping, name: str, at: str, problems: list[str], *, required: bool) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        problems.append(f"{at}{name}: must be text")
        return ""
    if required and not value.strip():
        problems.append(f"{at}{name}: is required")
    return value


def _types(data: Mapping, name: str, at: str, problems: list[str], *, required: bool) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{at}{name}: must be a list of event types")
        return ()
    if required and not value:
        problems.append(f"{at}{name}: is required (a list of at least one event type)")
    return tuple(value)


def _where(data: Mapping, at: str, problems: list[str]) -> dict[str, Any]:
    value = data.get("where", {})
    if not isinstance(value, Mapping):
        problems.append(f"{at}where: must be an object of attr conditions")
        return {}
    for key, expected in value.items():
        name, operator = _split(str(key))
        if not name or ("__" in str(key) and operator not in OPERATORS):
            problems.append(
                f"{at}where.{key}: unknown operator {operator!r} (use name for equals, or name__gte, "
                "name__gt, name__lte, name__lt or name__in)"
            )
        elif operator == "in" and not (isinstance(expected, list | tuple) and expected):
            problems.append(f"{at}where.{key}: __in needs a non-empty list of values")
        elif operator in ("gte", "gt", "lte", "lt") and not _is_number(expected):
            problems.append(f"{at}where.{key}: __{operator} needs a number")
    return {str(k): (list(v) if isinstance(v, tuple) else v) for k, v in value.items()}


def _rule_from_dict(data: Any, at: str, problems: list[str]) -> Rule | None:
    if not isinstance(data, Mapping):
        problems.append(f"{at.rstrip('.')}: must be an object")
        return None
    before = len(problems)
    problems.extend(f"{at}{name}: unknown field" for name in sorted(set(data) - _RULE_FIELDS))
    rule_id = _text(data, "id", at, problems, required=True)
    if rule_id and not _ID.match(rule_id):
        problems.append(f"{at}id: use lower-case letters, digits, - and _ only")
    title = _text(data, "title", at, problems, required=True)
    description = _text(data, "description", at, problems, required=False)
    kind = data.get("kind")
    if kind is None:
        problems.append(f"{at}kind: is required ({', '.join(KINDS)})")
    elif kind not in KINDS:
        problems.append(f"{at}kind: unknown kind {kind!r} (use {', '.join(KINDS)})")
    event_types = _types(data, "event_types", at, problems, required=True)
    anchor_types = _types(data, "anchor_types", at, problems, required=kind == "within_window_of")
    if anchor_types and kind in ("count_in_window", "threshold"):
        problems.append(f"{at}anchor_types: only a within_window_of rule has anchor types")
    min_count = data.get("min_count", 1)
    if not _is_int(min_count) or min_count < 1:
        problems.append(f"{at}min_count: must be a whole number of at least 1, not {min_count!r}")
    elif kind == "threshold" and min_count != 1:
        problems.append(f"{at}min_count: a threshold rule looks at the latest event only: leave it at 1")
    window_days = data.get("window_days")
    if window_days is not None and (not _is_int(window_days) or window_days < 1):
        problems.append(f"{at}window_days: must be a whole number of days of at least 1, not {window_days!r}")
    if window_days is None and kind == "within_window_of":
        problems.append(f"{at}window_days: is required for a within_window_of rule")
    where = _where(data, at, problems)
    if kind == "threshold" and not where and isinstance(data.get("where", {}), Mapping):
        problems.append(f"{at}where: a threshold rule needs at least one condition")
    if len(problems) > before:
        return None
    return Rule(
        id=rule_id,
        title=title,
        kind=cast(Kind, kind),
        event_types=event_types,
        min_count=min_count,
        window_days=window_days,
        where=where,
        anchor_types=anchor_types,
        description=description,
    )


def ruleset_from_dict(data: Mapping) -> Ruleset:
    """A Ruleset from plain data (JSON); RulesetError lists every problem, each naming its field."""
    if not isinstance(data, Mapping):
        raise RulesetError(["ruleset: must be an object"])
    problems: list[str] = [f"{name}: unknown field" for name in sorted(set(data) - _RULESET_FIELDS)]
    ruleset_id = _text(data, "id", "", problems, required=True)
    if ruleset_id and not _ID.match(ruleset_id):
        problems.append("id: use lower-case letters, digits, - and _ only")
    title = _text(data, "title", "", problems, required=True)
    source = _text(data, "source", "", problems, required=False)
    notes = _text(data, "notes", "", problems, required=False)
    version = data.get("version", 1)
    if not _is_int(version) or version < 1:
        problems.append(f"version: must be a whole number of at least 1, not {version!r}")
    raw_rules = data.get("rules")
    rules: list[Rule] = []
    if not isinstance(raw_rules, list | tuple) or not raw_rules:
        problems.append("rules: is required (a list of at least one rule)")
    else:
        for index, raw in enumerate(raw_rules):
            rule = _rule_from_dict(raw, f"rules[{index}].", problems)
            if rule is not None:
                rules.append(rule)
        seen: set[str] = set()
        for index, raw in enumerate(raw_rules):
            rule_id = raw.get("id") if isinstance(raw, Mapping) else None
            if not isinstance(rule_id, str):
                continue
            if rule_id in seen:
                problems.append(f"rules[{index}].id: {rule_id!r} is used by an earlier rule")
            seen.add(rule_id)
    if problems:
        raise RulesetError(problems)
    return Ruleset(
        id=ruleset_id, version=version, title=title, rules=tuple(rules), source=source, notes=notes
    )


def ruleset_to_dict(ruleset: Ruleset) -> dict:
    """Plain data (JSON-ready) that ruleset_from_dict reads back to an equal Ruleset."""
    rules = []
    for rule in ruleset.rules:
        item: dict[str, Any] = {
            "id": rule.id,
            "title": rule.title,
            "kind": rule.kind,
            "event_types": list(rule.event_types),
        }
        if rule.min_count != 1:
            item["min_count"] = rule.min_count
        if rule.window_days is not None:
            item["window_days"] = rule.window_days
        if rule.where:
            item["where"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in rule.where.items()}
        if rule.anchor_types:
            item["anchor_types"] = list(rule.anchor_types)
        if rule.description:
            item["description"] = rule.description
        rules.append(item)
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "title": ruleset.title,
        "source": ruleset.source,
        "notes": ruleset.notes,
        "rules": rules,
    }


# --- Defaults (data; a partnership replaces them with its own RulesetVersion) ------------------

_MARAC_SOURCE = (
    "SafeLives MARAC referral criteria (four routes): visible high risk (14+ yes on DASH) [V] "
    "https://safelives.org.uk/resources-library/marac-referral-criteria-and-form/ ; professional "
    "judgement [V]/[S] same ; potential escalation, commonly 3 or more domestic abuse incidents in "
    "12 months, local thresholds differ (Kent & Medway: 3 in 6 months) [S] "
    "https://www.domesticabuseservices.org.uk/?p=95 ; repeat MARAC, a further incident within 12 "
    "months of the last referral [V] http://safelives.org.uk/definition-repeat-marac"
)

DEFAULT_DEFINITIONS: tuple[dict[str, Any], ...] = (
    {
        "id": "repeat-victim",
        "version": 1,
        "title": "Repeat victim",
        "source": "Local default. NSIR's purpose includes finding repeat and vulnerable victims [V] "
        "https://gov.uk/government/publications/the-national-standard-for-incident-recording-nsir-"
        "counting-rules ; no national count or window was found.",
        "notes": "A local default, not a national definition: set the partnership's own count and "
        "window as a new version.",
        "rules": [
            {
                "id": "repeat_victim",
                "title": "Repeat victim",
                "kind": "count_in_window",
                "event_types": ["contact_victim"],
                "min_count": 3,
                "window_days": 365,
                "description": "Recorded as a victim in at least 3 contacts in 365 days.",
            }
        ],
    },
    {
        "id": "repeat-location",
        "version": 1,
        "title": "Repeat location",
        "source": "Local default. MACE purpose: identify and manage locations of concern [S] "
        "https://proceduresonline.com/trixcms2/lincolnshirecs/news-area-lincolnshire-cs/mace-"
        "attendance-childrens-services ; no national count or window was found.",
        "notes": "A local default: set the partnership's own count and window as a new version.",
        "rules": [
            {
                "id": "repeat_location",
                "title": "Repeat location",
                "kind": "count_in_window",
                "event_types": ["contact_location"],
                "min_count": 3,
                "window_days": 90,
                "description": "At least 3 contacts at the same location in 90 days.",
            }
        ],
    },
    {
        "id": "marac",
        "version": 1,
        "title": "MARAC referral criteria",
        "source": _MARAC_SOURCE,
        "notes": "Potential escalation is 3 in 12 months by default; some partnerships use 3 in 6 "
        "months (window_days 182). After 12 months a further incident is a new referral.",
        "rules": [
            {
                "id": "visible_high_risk",
                "title": "Visible high risk",
                "kind": "threshold",
                "event_types": ["dash"],
                "where": {"score__gte": 14},
                "description": "The latest DASH has 14 or more yes answers.",
            },
            {
                "id": "professional_judgement",
                "title": "Professional judgement",
                "kind": "threshold",
                "event_types": ["dash"],
                "where": {"override_level": "high"},
                "description": "The assessor judged the risk high whatever the score.",
            },
            {
                "id": "practitioner_referral",
                "title": "Professional judgement (referral)",
                "kind": "count_in_window",
                "event_types": ["marac_referral"],
                "window_days": 90,
                "description": "A practitioner referred the case to MARAC on professional judgement, with "
                "reasons, in the last 90 days.",
            },
            {
                "id": "potential_escalation",
                "title": "Potential escalation",
                "kind": "count_in_window",
                "event_types": ["da_incident"],
                "min_count": 3,
                "window_days": 365,
                "description": "3 or more domestic abuse incidents in 12 months, from any agency.",
            },
            {
                "id": "repeat_marac",
                "title": "Repeat MARAC",
                "kind": "within_window_of",
                "event_types": ["da_incident"],
                "anchor_types": ["marac_heard"],
                "window_days": 365,
                "description": "A further incident within 12 months of the last MARAC hearing.",
            },
        ],
    },
    {
        "id": "mace",
        "version": 1,
        "title": "MACE listing",
        "source": "Local: no national MACE criteria were found. Exploitation tools and their bands "
        "vary by partnership [S] DOMAIN.md 4.2 ; MACE scope covers missing and exploitation [S] "
        "https://www.escb.co.uk/working-with-children/risk-in-the-community-ric/mace-12/",
        "notes": "Local defaults: the exploitation levels and the repeat-missing count and window "
        "are the partnership's to set.",
        "rules": [
            {
                "id": "high_exploitation_risk",
                "title": "High exploitation risk",
                "kind": "threshold",
                "event_types": ["exploitation_assessment"],
                "where": {"level__in": ["high", "significant"]},
                "description": "The latest exploitation assessment is high or significant.",
            },
            {
                "id": "repeat_missing",
                "title": "Repeat missing",
                "kind": "count_in_window",
                "event_types": ["missing_episode"],
                "min_count": 3,
                "window_days": 90,
                "description": "At least 3 missing episodes in 90 days.",
            },
            {
                "id": "practitioner_referral",
                "title": "Practitioner referral",
                "kind": "count_in_window",
                "event_types": ["mace_referral"],
                "window_days": 90,
                "description": "A practitioner referred the child to MACE, with reasons, in the last 90 "
                "days.",
            },
        ],
    },
    {
        "id": "repeat-missing",
        "version": 1,
        "title": "Repeat missing",
        "source": "[U] No national definition of repeat missing was found; local protocols differ "
        "(e.g. 2 or more occasions) [S] https://docest.com/doc/62831/missing-children-protocol-"
        "return-interviews-october-2016",
        "notes": "A local default, not a national rule: set the partnership's own count and window.",
        "rules": [
            {
                "id": "repeat_missing",
                "title": "Repeat missing",
                "kind": "count_in_window",
                "event_types": ["missing_episode"],
                "min_count": 3,
                "window_days": 90,
                "description": "At least 3 missing episodes in 90 days.",
            }
        ],
    },
    {
        "id": "mash-escalation",
        "version": 1,
        "title": "MASH escalation",
        "source": "Local: RAG levels and timescales are set per MASH, none is national [S] "
        "DOMAIN.md 9.3 ; escalation window is local.",
        "notes": "A local default: repeated green (early help) referrals are looked at again.",
        "rules": [
            {
                "id": "repeat_green_referrals",
                "title": "Repeated green referrals",
                "kind": "count_in_window",
                "event_types": ["mash_referral"],
                "where": {"rag": "green"},
                "min_count": 3,
                "window_days": 90,
                "description": "At least 3 green-rated MASH referrals in 90 days.",
            }
        ],
    },
)

DEFAULT_RULESETS: dict[str, Ruleset] = {d["id"]: ruleset_from_dict(d) for d in DEFAULT_DEFINITIONS}
