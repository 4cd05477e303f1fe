"""Pure rules of person matching: who may do what, the probability bands, and how an extract
row is checked. No ORM or request here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.core.roles import DISTRICT_WIDE_ROLES, Role

# A pair at or above AUTO_LINK is linked without a person looking; REVIEW up to AUTO_LINK goes to
# the review queue; below REVIEW nothing happens. CANDIDATE is the least a search shows.
AUTO_LINK = 0.99
REVIEW = 0.50
CANDIDATE = 0.20
# The threshold the benchmarks and `safehub linkage evaluate` report at.
EVALUATION_THRESHOLD = 0.90
# Training needs enough people for EM and random sampling to mean anything.
MIN_TRAINING_RECORDS = 200

EXTRACT_COLUMNS = ("first_name", "surname", "dob")
OPTIONAL_COLUMNS = ("postcode", "address", "city", "email", "sex", "identifier", "reference")
MAX_EXTRACT_ROWS = 50_000
# Extract rows are linked this many to a transaction; a web request links for about
# LINK_SECONDS_PER_REQUEST and the page carries on from where it stopped.
LINK_CHUNK = 500
LINK_SECONDS_PER_REQUEST = 3.0
EARLIEST_DOB = date(1900, 1, 1)


def band(probability: float) -> str:
    """auto_link, review or none."""
    if probability >= AUTO_LINK:
        return "auto_link"
    if probability >= REVIEW:
        return "review"
    return "none"


def can_link(user: Any) -> bool:
    """Partner extracts, the review queue and merges: the MASH (district-wide role scope)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.has_role(*DISTRICT_WIDE_ROLES)
    )


def can_ask_known_to(user: Any) -> bool:
    return can_link(user)


def can_search(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_person_level_access)


def can_see_model(user: Any) -> bool:
    """The model's parameters and charts are aggregate: administrators and the MASH."""
    return bool(getattr(user, "is_authenticated", False) and (user.has_role(Role.ADMIN) or can_link(user)))


_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
)


def parse_dob(value: str, today: date) -> tuple[date | None, str | None]:
    """A date of birth from YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD.

    Returns (date, None) or (None, problem).
    """
    value = (value or "").strip()
    if not value:
        return None, "Enter a date of birth"
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                when = date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None, "Date of birth is not a real date"
            if when > today:
                return None, "Date of birth is in the future"
            if when < EARLIEST_DOB:
                return None, "Date of birth is before 1900"
            return when, None
    return None, "Date of birth must be like 2010-03-27 or 27/03/2010"


@dataclass
class RowCheck:
    row: int
    data: dict[str, Any]
    problems: list[dict[str, Any]]


def missing_columns(header: list[str]) -> list[str]:
    present = {name.strip().lower() for name in header}
    return [name for name in EXTRACT_COLUMNS if name not in present]


def check_row(row_number: int, raw: dict[str, str], today: date) -> RowCheck:
    """Check one extract row: names present and not too long, a real date of birth in range."""
    data: dict[str, Any] = {}
    problems = []

    def problem(name: str, text: str) -> None:
        problems.append({"row": row_number, "field": name, "problem": text})

    clean = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
    for name, limit in (("first_name", 100), ("surname", 100)):
        value = clean.get(name, "")
        if not value:
            problem(name, f"Enter a {'first name' if name == 'first_name' else 'last name'}")
        elif len(value) > limit:
            problem(name, f"Must be {limit} characters or fewer")
        data[name] = value
    dob, dob_problem = parse_dob(clean.get("dob", ""), today)
    if dob_problem:
        problem("dob", dob_problem)
    data["dob"] = dob
    limits = {
        "postcode": 10,
        "address": 200,
        "city": 80,
        "email": 200,
        "sex": 20,
        "identifier": 40,
        "reference": 60,
    }
    for name, limit in limits.items():
        value = clean.get(name, "")
        if len(value) > limit:
            problem(name, f"Must be {limit} characters or fewer")
        elif name == "postcode" and len(re.sub(r"\s", "", value)) >= limit:
            # Stored normalised ("LS14AP" -> "LS1 4AP"), which adds a space: it must still fit.
            problem(name, "Enter a real postcode, like LS1 4AP")
        data[name] = value
    if None in raw:
        problem("row", "Has more values than the header has columns")
    return RowCheck(row_number, data, problems)
