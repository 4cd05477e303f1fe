"""Pure rules for contacts: the THRIVE grade rule, RCRP, Operation Encompass age, location keys.

No ORM and no request: plain values in, plain values out.

THRIVE grade rule (`suggest_band`), first match wins:

| # | when                                                                   | band       |
|---|------------------------------------------------------------------------|------------|
| 1 | RCRP outcome is "health or social care lead" or "no police action"     | resolution |
| 2 | threat, harm or risk is high                                           | immediate  |
| 3 | threat, harm, risk or vulnerability is medium, or vulnerability is high | priority   |
| 4 | investigation and engagement are both low (can be done remotely)       | resolution |
| 5 | otherwise                                                              | scheduled  |

Risk "drives the response grade" (DOMAIN.md §1.1); a high threat, harm or risk needs someone there
now, a vulnerable person or a medium risk within the hour, and an appointment is enough when the
only needs are investigation or engagement. Each force maps bands to its own grades (ResponseGrade);
the handler may choose another grade with a reason.

Non-recent offences (`is_non_recent`): reported more than 12 calendar months after the offence,
counted on calendar dates (the time of day is ignored), so an offence 12 months and 1 day before
the call is non-recent and one exactly 12 months before (or later) is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

ELEMENTS = ("threat", "harm", "risk", "investigation", "vulnerability", "engagement")
ELEMENT_LABELS = {
    "threat": "Threat",
    "harm": "Harm",
    "risk": "Risk",
    "investigation": "Investigation",
    "vulnerability": "Vulnerability",
    "engagement": "Engagement",
}
LEVELS = ("low", "medium", "high")

RCRP_CATEGORIES = frozenset({"mental_health", "concern_for_welfare"})
RCRP_NO_POLICE = frozenset({"health_lead", "no_police_action"})

ENCOMPASS_MIN_AGE = 4  # reception (DOMAIN.md §6.5)
ENCOMPASS_MAX_AGE = 17
PRESENT_ROLES = frozenset({"child_present", "victim", "witness"})

NON_RECENT_MONTHS = 12
NON_RECENT_GROUPS = ("cse", "csa", "rape_sexual", "da")  # the groups the measure reports
DOMESTIC_CATEGORY = "domestic"

_LSOA = re.compile(r"^[EW]01\d{6}$")


def suggest_band(levels: Mapping[str, str], rcrp_outcome: str = "") -> str:
    """The response band the THRIVE levels call for (see the module table)."""
    missing = [name for name in ELEMENTS if levels.get(name) not in LEVELS]
    if missing:
        raise ValueError(f"THRIVE levels missing or unknown for: {', '.join(missing)}")
    if rcrp_outcome in RCRP_NO_POLICE:
        return "resolution"
    if any(levels[name] == "high" for name in ("threat", "harm", "risk")):
        return "immediate"
    if any(levels[name] == "medium" for name in ("threat", "harm", "risk", "vulnerability")):
        return "priority"
    if levels["vulnerability"] == "high":
        return "priority"
    if levels["investigation"] == "low" and levels["engagement"] == "low":
        return "resolution"
    return "scheduled"


def rcrp_required(category: str) -> bool:
    """Right Care, Right Person applies to mental-health and concern-for-welfare calls."""
    return category in RCRP_CATEGORIES


def age_on(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def encompass_age(dob: date | None, on: date) -> bool:
    """Whether a child with this date of birth is of Operation Encompass age (4 to 17) on `on`."""
    age = age_on(dob, on)
    return age is not None and ENCOMPASS_MIN_AGE <= age <= ENCOMPASS_MAX_AGE


def child_present(roles: set[str] | frozenset[str]) -> bool:
    return bool(set(roles) & PRESENT_ROLES)


def lsoa_problem(code: str) -> str | None:
    if code and not _LSOA.match(code):
        return "Enter an LSOA code like E01011234"
    return None


def location_key(postcode: str, lsoa_code: str) -> str:
    """What makes two contacts "the same location": the same postcode, else the same LSOA.

    A contact with a postcode is matched only on its postcode; one without is matched on its LSOA
    against other contacts without a postcode ("lsoa:E01011234"). No key, no repeat-location flag.
    """
    if postcode:
        return f"postcode:{postcode}"
    if lsoa_code:
        return f"lsoa:{lsoa_code}"
    return ""


def within_target(minutes_taken: float | None, target_minutes: int | None) -> bool | None:
    if minutes_taken is None or target_minutes is None:
        return None
    return minutes_taken <= target_minutes


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def is_non_recent(offence_at: date | datetime | None, received_at: date | datetime) -> bool:
    """Whether an offence was reported more than 12 calendar months after it happened.

    Compares calendar dates: pass local datetimes (or dates). No offence date: not non-recent (an
    offence with no date recorded is taken as happening at the time of the call).
    """
    if offence_at is None:
        return False
    return _day(offence_at) < _day(received_at) - relativedelta(months=NON_RECENT_MONTHS)


def measured_group(offence_group: str, category: str) -> str:
    """The offence group a contact counts under in the non-recent measure ("" for none).

    A contact's own offence group wins; a domestic abuse contact with no group counts as DA; any
    other contact with no group (and "other" offences) is not counted.
    """
    if offence_group in NON_RECENT_GROUPS:
        return offence_group
    if not offence_group and category == DOMESTIC_CATEGORY:
        return "da"
    return ""
