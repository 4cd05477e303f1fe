"""Modern slavery rules (DOMAIN.md section 7) as pure functions: who must be referred, what an MS1
may hold, the NRM timescales and the Home Office table groupings. No ORM, no request."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from safehub.core.clocks import Clock, due, rule_sentence

EXPLOITATION_TYPES = (
    ("labour", "Labour exploitation"),
    ("sexual", "Sexual exploitation"),
    ("criminal", "Criminal exploitation"),
    ("domestic_servitude", "Domestic servitude"),
    ("organ_harvesting", "Organ harvesting"),
    ("unknown", "Not specified or unknown"),
)
EXPLOITATION_LABELS = dict(EXPLOITATION_TYPES)
MULTIPLE = "multiple"
MULTIPLE_LABEL = "Multiple exploitation types"

# Agency kinds that are (or hold) designated First Responder Organisations: police, local
# authorities (children's and adult social care, housing) and the named voluntary-sector NGOs.
# Schools, health, IDVA services and probation are not first responders (they refer through one).
FIRST_RESPONDER_KINDS = frozenset(
    {"police", "childrens_social_care", "adult_social_care", "housing", "voluntary_sector"}
)
# Public authorities under the s.52 Modern Slavery Act 2015 duty to notify (police and local
# authorities here; the NCA and GLAA are not agencies in a partnership's Safehub).
DUTY_TO_NOTIFY_KINDS = frozenset({"police", "childrens_social_care", "adult_social_care", "housing"})

# Recovery period after a positive reasonable grounds decision: the statutory minimum of 30 days
# (Nationality and Borders Act 2022, from 30 January 2023; the older England and Wales policy was
# 45 days). Counted by the clock engine; not in the shared catalogue because it is a minimum
# period before the conclusive decision, not a deadline anyone must meet.
RECOVERY_PERIOD = Clock(
    id="nrm-recovery-period",
    title="NRM recovery period after a positive reasonable grounds decision (minimum)",
    amount=30,
    unit="calendar_days",
    rule="",
    source="Nationality and Borders Act 2022 (30-day minimum); avid handbook; athub.org.uk [S]",
    mark="S",
)
RECOVERY_PERIOD = replace(
    RECOVERY_PERIOD, rule=rule_sentence(RECOVERY_PERIOD, "a positive reasonable grounds decision")
)

ADULT_AGE = 18
MAX_AGE = 120

# What an anonymous MS1 must never hold: the API refuses these fields by name, and free text is
# checked for contact details and dates of birth.
IDENTIFYING_FIELDS = (
    "person",
    "name",
    "given_name",
    "family_name",
    "full_name",
    "date_of_birth",
    "address",
    "postcode",
    "phone",
    "email",
    "nhs_number",
    "passport_number",
    "identifiers",
)
_IDENTIFYING_PATTERNS = (
    ("an e-mail address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("a phone number", re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("a date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
)


def is_child(age: int | None) -> bool | None:
    return None if age is None else age < ADULT_AGE


def age_group(age_at_exploitation: int | None) -> str:
    """The Home Office table's age group, by age at exploitation."""
    if age_at_exploitation is None:
        return "unknown"
    return "child" if age_at_exploitation < ADULT_AGE else "adult"


AGE_GROUPS = (
    ("adult", "Adult (18 or over)"),
    ("child", "Child (17 or under)"),
    ("unknown", "Age not specified or unknown"),
)


def exploitation_group(types: list[str]) -> str:
    """The one row a referral counts in: its type, 'multiple' for more than one, or 'unknown'."""
    known = [t for t in dict.fromkeys(types) if t != "unknown"]
    if not known:
        return "unknown"
    return known[0] if len(known) == 1 else MULTIPLE


def quarter_of(moment: date | datetime) -> str:
    """The calendar quarter, as the Home Office publishes it: '2024 Q1' is January to March."""
    return f"{moment.year} Q{(moment.month - 1) // 3 + 1}"


QUARTER_MONTHS = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}


def quarter_label(code: str) -> str:
    year, q = code.split(" Q")
    return f"{year} Q{q} ({QUARTER_MONTHS[int(q)]})"


def identifying_details(text: str) -> list[str]:
    """What in `text` could identify someone (for an MS1): e-mail, phone number, postcode, date."""
    return [label for label, pattern in _IDENTIFYING_PATTERNS if pattern.search(text or "")]


def route_errors(*, kind: str, age_at_referral: int | None, consent: str) -> dict[str, str]:
    """The NRM or Duty to Notify route checked against age and consent (DOMAIN.md section 7).

    Children are always referred to the NRM (no consent needed); an adult is referred only with
    consent, and otherwise the first responder's duty to notify is met with an anonymous MS1.
    """
    errors: dict[str, str] = {}
    child = is_child(age_at_referral)
    if kind == "nrm":
        if child is False and consent != "given":
            errors["consent"] = (
                "An adult must consent to an NRM referral: without consent, record an anonymous "
                "Duty to Notify (MS1) instead"
            )
    elif kind == "dtn":
        if child is True:
            errors["kind"] = "A child is always referred to the NRM: record an NRM referral, not an MS1"
        elif consent == "given":
            errors["consent"] = "The adult consents: record an NRM referral, not an anonymous MS1"
    return errors


def age_errors(age_at_exploitation: int | None, age_at_referral: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, age in (("age_at_exploitation", age_at_exploitation), ("age_at_referral", age_at_referral)):
        if age is not None and not 0 <= age <= MAX_AGE:
            errors[field] = f"Enter an age from 0 to {MAX_AGE}"
    if (
        not errors
        and age_at_exploitation is not None
        and age_at_referral is not None
        and age_at_exploitation > age_at_referral
    ):
        errors["age_at_exploitation"] = "The age at exploitation cannot be more than the age at referral"
    return errors


def exploitation_errors(types: list[str], county_lines: bool) -> dict[str, str]:
    if not types:
        return {"exploitation_types": "Select at least one type of exploitation"}
    unknown = [t for t in types if t not in EXPLOITATION_LABELS]
    if unknown:
        return {"exploitation_types": f"Unknown exploitation types: {', '.join(map(str, unknown))}"}
    if "unknown" in types and len(set(types)) > 1:
        return {"exploitation_types": "Select 'Not specified or unknown' only on its own"}
    if county_lines and "criminal" not in types:
        return {
            "county_lines": "County lines is recorded on criminal exploitation: select criminal exploitation"
        }
    return {}


def reasonable_grounds_due(clock: Clock, referred_at: datetime) -> datetime:
    return due(clock, referred_at)


def recovery_period_ends(rg_decided_at: datetime) -> datetime:
    return due(RECOVERY_PERIOD, rg_decided_at)


def decided_in_time(decided_at: datetime | None, due_at: datetime | None) -> bool | None:
    """On target when decided at or before the due time; None while undecided or with no clock."""
    if decided_at is None or due_at is None:
        return None
    return decided_at <= due_at


def conclusive_errors(
    *, rg_decision: str, rg_decided_at: datetime | None, recovery_ends: datetime | None, decided_at: datetime
) -> dict[str, str]:
    """A conclusive grounds decision comes after a positive reasonable grounds decision and after
    the recovery period (DOMAIN.md section 7)."""
    if not rg_decision or rg_decided_at is None:
        return {"decision": "Record the reasonable grounds decision before the conclusive grounds decision"}
    if rg_decision != "positive":
        return {
            "decision": "A conclusive grounds decision follows only a positive reasonable grounds decision"
        }
    if decided_at < rg_decided_at:
        return {
            "decided_at": "The conclusive grounds decision cannot be before the reasonable grounds decision"
        }
    if recovery_ends is not None and decided_at < recovery_ends:
        return {
            "decided_at": "The conclusive grounds decision cannot be made before the recovery period ends "
            f"({recovery_ends:%d %B %Y})"
        }
    return {}


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def not_future(moment: datetime | None, now: datetime, *, slack: timedelta = timedelta(minutes=5)) -> bool:
    return moment is None or moment <= now + slack


def labels(types: list[str]) -> list[str]:
    return [EXPLOITATION_LABELS.get(t, t) for t in types]
