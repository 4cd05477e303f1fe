"""Pure rules for domestic abuse powers and schemes: no ORM, no request (tests need no database).

- Hearing windows come from the clock engine (`dvpo-hearing`, `dapo-hearing`: 48 hours not
  counting Sundays, Christmas Day, Good Friday and bank holidays); DVDS from `dvds` (28 days).
- `DVPO_DAYS`: a DVPO lasts 14 to 28 days from the day it is made; a DAPO has no limit.
- The evaluation's difference of two proportions with a 95% confidence interval (statsmodels).
- The scrutiny sample: a seeded draw stratified by district, proportional with largest remainders.
- The case pack's pseudonymiser: names and identifiers replaced consistently.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from safehub.core.clocks import Clock, due

DVPO_DAYS = (14, 28)
HEARING_CLOCKS = {"dvpo": "dvpo-hearing", "dapo": "dapo-hearing"}
DVDS_CLOCK = "dvds"
EXPIRY_REMINDER_DAYS = 3
# Outcomes the evaluation counts as a criminal-justice outcome (a sanction against the suspect).
POSITIVE_OUTCOMES = ("charge", "caution", "out_of_court")
FINAL_OUTCOMES = ("charge", "caution", "out_of_court", "nfa", "victim_withdrew")
LIVE_OUTCOME = "under_investigation"


# --- protection notices and orders ---------------------------------------------------------------


def hearing_due(clock: Clock, served_at: datetime) -> datetime:
    """When the magistrates must hear the application: the clock from the notice being served."""
    return due(clock, served_at)


def duration_error(scheme: str, days: int | None) -> str:
    """Why a duration is refused for an order under `scheme`, or "" when it is allowed."""
    if days is None:
        return "Enter how many days the order lasts"
    if days < 1:
        return "The order must last at least 1 day"
    low, high = DVPO_DAYS
    if scheme == "dvpo" and not low <= days <= high:
        return f"A DVPO lasts between {low} and {high} days"
    return ""


def order_expires_on(made_on: date, days: int) -> date:
    """The last day an order made on `made_on` for `days` days is in force (the day made is day 1)."""
    return made_on + timedelta(days=days - 1)


def reminder_due(expires_on: date, today: date) -> bool:
    """An expiry reminder is due from EXPIRY_REMINDER_DAYS before the last day until that day."""
    return today <= expires_on <= today + timedelta(days=EXPIRY_REMINDER_DAYS)


def order_time_errors(
    *, authorised_at: datetime | None, served_at: datetime | None, hearing_at: datetime | None, now: datetime
) -> dict[str, str]:
    errors: dict[str, str] = {}
    slack = timedelta(minutes=5)
    if authorised_at and authorised_at > now + slack:
        errors["authorised_at"] = "The time the notice was authorised cannot be in the future"
    if served_at and served_at > now + slack:
        errors["served_at"] = "The time the notice was served cannot be in the future"
    if authorised_at and served_at and served_at < authorised_at:
        errors["served_at"] = "The notice cannot be served before it was authorised"
    if hearing_at and served_at and hearing_at < served_at:
        errors["hearing_at"] = "The hearing cannot be before the notice was served"
    if hearing_at and hearing_at > now + slack:
        errors["hearing_at"] = (
            "The hearing time cannot be in the future: record the outcome after the hearing"
        )
    return errors


# --- Clare's Law -----------------------------------------------------------------------------------

STAGE_ORDER = ["received", "initial_contact", "checks", "face_to_face", "decision"]
STAGE_FIELDS = {
    "initial_contact": "initial_contact_at",
    "checks": "checks_completed_at",
    "face_to_face": "face_to_face_at",
    "decision": "decision_at",
}
CLOSED_STAGES = ("disclosed", "not_disclosed")


def next_stages(stage: str) -> list[str]:
    """Stages a case may move to: forward through the stages (the face-to-face meeting may be
    skipped when no disclosure is made), then disclosure or no disclosure after the decision."""
    if stage in CLOSED_STAGES:
        return []
    if stage == "decision":
        return list(CLOSED_STAGES)
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1 :]


def within_window(completed_at: datetime | None, due_at: datetime, now: datetime) -> bool | None:
    """True if completed by the due time; False if completed late or still open past it; None if
    open and not yet due."""
    if completed_at is not None:
        return completed_at <= due_at
    if now > due_at:
        return False
    return None


def days_taken(received_at: datetime, completed_at: datetime | None, now: datetime) -> int:
    return ((completed_at or now) - received_at).days


# --- evaluation: difference of two proportions -----------------------------------------------------


@dataclass(frozen=True)
class Difference:
    with_count: int
    with_total: int
    without_count: int
    without_total: int
    rate_with: float | None
    rate_without: float | None
    difference: float | None
    low: float | None
    high: float | None
    method: str

    @property
    def significant(self) -> bool | None:
        if self.low is None or self.high is None:
            return None
        return self.low > 0 or self.high < 0


def difference_ci(
    with_count: int, with_total: int, without_count: int, without_total: int, *, method: str = "newcomb"
) -> Difference:
    """Rate with minus rate without, and its 95% interval (statsmodels: Newcombe's hybrid score
    interval by default, or Wald). None where either group is empty."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    if method not in ("newcomb", "wald"):
        raise ValueError("method must be newcomb or wald")
    rate_with = with_count / with_total if with_total else None
    rate_without = without_count / without_total if without_total else None
    if not with_total or not without_total:
        return Difference(
            with_count,
            with_total,
            without_count,
            without_total,
            rate_with,
            rate_without,
            None,
            None,
            None,
            method,
        )
    low, high = confint_proportions_2indep(
        with_count, with_total, without_count, without_total, method=method, compare="diff", alpha=0.05
    )
    return Difference(
        with_count,
        with_total,
        without_count,
        without_total,
        rate_with,
        rate_without,
        rate_with - rate_without,
        float(low),
        float(high),
        method,
    )


# --- scrutiny sample ---------------------------------------------------------------------------------


class SampleError(ValueError):
    pass


def allocate(strata: dict[str, int], size: int) -> dict[str, int]:
    """Split `size` across strata in proportion to their sizes (largest remainder; ties by name).
    Each stratum gets at most its own size."""
    total = sum(strata.values())
    if size > total:
        raise SampleError(f"The sample of {size} is larger than the {total} eligible cases")
    if size < 1:
        raise SampleError("The sample must have at least 1 case")
    exact = {name: size * count / total for name, count in strata.items()}
    shares = {name: int(value) for name, value in exact.items()}
    left = size - sum(shares.values())
    order = sorted(strata, key=lambda name: (-(exact[name] - shares[name]), name))
    for name in order[:left]:
        shares[name] += 1
    return shares


def draw_sample(eligible: Iterable[tuple[str, str]], size: int, seed: int) -> list[tuple[str, str]]:
    """A reproducible stratified random sample of (id, stratum) pairs: the same seed on the same
    eligible set (in any order) gives the same sample. Returned in draw order, stratum by stratum."""
    by_stratum: dict[str, list[str]] = {}
    for item_id, stratum in eligible:
        by_stratum.setdefault(stratum, []).append(str(item_id))
    shares = allocate({name: len(ids) for name, ids in by_stratum.items()}, size)
    rng = random.Random(seed)
    drawn: list[tuple[str, str]] = []
    for stratum in sorted(by_stratum):
        ids = sorted(by_stratum[stratum])
        drawn.extend((item_id, stratum) for item_id in rng.sample(ids, shares[stratum]))
    return drawn


# --- the anonymised case pack --------------------------------------------------------------------

_IDENTIFIER_PATTERNS = [
    (re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b"), "[number removed]"),  # NHS numbers, phone numbers
    (re.compile(r"(?:\+44\s?|\b0)\d{2,4}\s?\d{3}\s?\d{3,4}\b"), "[phone removed]"),
    (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"), "[email removed]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE), "[postcode removed]"),
    (re.compile(r"\b[A-Z]{1,3}-[0-9A-F]{8}\b"), "[reference removed]"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "[date removed]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "[date removed]"),
    (
        re.compile(
            r"\b\d{1,2}(?:st|nd|rd|th)? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{4}"
            r"(?: at \d{1,2}:\d{2})?",
            re.IGNORECASE,
        ),
        "[date removed]",
    ),
]


class Pseudonymiser:
    """Replaces people's names with stable pseudonyms ("Victim A", "Suspect B") and scrubs
    identifiers (NHS and phone numbers, emails, postcodes, references, written dates)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._letters: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def add(self, key: str, role: str, names: Sequence[str]) -> str:
        """Register a person (by id) with their names; returns their pseudonym."""
        if key not in self._letters:
            self._letters[key] = f"{role} {chr(ord('A') + len(self._letters))}"
        label = self._letters[key]
        for name in names:
            name = (name or "").strip()
            if len(name) >= 2:
                self._names[name.lower()] = label
        self._pattern = None
        return label

    def label(self, key: str) -> str | None:
        return self._letters.get(key)

    def text(self, value: str) -> str:
        if not value:
            return ""
        if self._names:
            if self._pattern is None:
                words = sorted(self._names, key=len, reverse=True)
                self._pattern = re.compile(
                    r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE
                )
            value = self._pattern.sub(lambda m: self._names[m.group(0).lower()], value)
        for pattern, replacement in _IDENTIFIER_PATTERNS:
            value = pattern.sub(replacement, value)
        return value


def relative_day(moment: datetime | date, day_zero: date) -> str:
    """ "Day 0" for the incident, "Day +3" after it, "Day -40" before."""
    on = moment.date() if isinstance(moment, datetime) else moment
    offset = (on - day_zero).days
    return "Day 0" if offset == 0 else f"Day {offset:+d}"


def age_band(age: int | None) -> str:
    if age is None:
        return "Age not known"
    if age < 18:
        return "Under 18"
    for low, high in ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64)):
        if low <= age <= high:
            return f"{low} to {high}"
    return "65 or over"


def pack_text(pack: dict[str, Any]) -> str:
    """Every string in a pack, joined (for checks that it holds no names)."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(pack)
    return "\n".join(parts)
