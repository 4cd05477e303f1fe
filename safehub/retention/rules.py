"""MoPI review, retention and disposal: the groups and the pure rules over dates.

DOMAIN.md §8.3: records are kept only while necessary for a policing purpose, with a 6-year minimum
before disposal is considered and review decisions recorded. The three groups below follow the
ACPO 2010 MoPI guidance as generally understood; they are marked [U] in DOMAIN.md, so they are
data a force confirms against the College of Policing APP and edits in the admin before go-live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

SOURCE = (
    "ACPO (2010) MoPI guidance as generally understood [U]; APP Review, retention and disposal: "
    "https://www.college.police.uk/app/information-management/management-police-information/"
    "retention-review-and-disposal"
)
MAX_RETAIN_YEARS = 10
SPECIAL_CONSIDERATION_AGE = 10  # Children under 10: s.11 Children Act 2004 (DOMAIN.md §8.3)


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    description: str
    order: int
    clear_period_years: int | None  # review after this long with nothing new; None: see keep_until_age
    review_interval_years: int  # a retained record is reviewed again after this long
    keep_until_age: int | None = None  # never disposed before the person is this old
    source: str = SOURCE


DEFAULT_GROUPS = (
    Group(
        "group-1",
        "Group 1: certain public protection matters",
        "MAPPA-managed offenders, serious specified violent or sexual offences, potentially dangerous "
        "people. Kept until the person is deemed 100 years old; reviewed every 10 years for accuracy.",
        1,
        None,
        10,
        keep_until_age=100,
    ),
    Group(
        "group-2",
        "Group 2: other sexual, violent or serious offences",
        "Reviewed after a 10-year clear period; kept if still needed for a policing purpose.",
        2,
        10,
        10,
    ),
    Group(
        "group-3",
        "Group 3: all other records",
        "Reviewed after a 6-year clear period: disposed of unless there is new information.",
        3,
        6,
        6,
    ),
)
# Markers that place a person's records in a group before a reviewer has decided (a reviewer may
# move them). Risk to children stands for a potentially dangerous person; violence and weapons
# for serious violent offending. Everything else is group 3.
GROUP_BY_MARKER = {"risk_to_children": "group-1", "violence": "group-2", "weapons": "group-2"}


def group_for(marker_kinds: set[str] | frozenset[str], decided: str = "") -> str:
    """The group a person's records fall in: the reviewer's decision, else the most serious marker."""
    if decided:
        return decided
    found = sorted(GROUP_BY_MARKER[kind] for kind in marker_kinds if kind in GROUP_BY_MARKER)
    return found[0] if found else "group-3"


def review_due(group: Group, *, last_activity: date, last_review: date | None = None) -> date:
    """When the person's records are next reviewed.

    A clear period runs from the last thing recorded about the person (new information restarts
    it). Group 1 has no clear period: it is reviewed every `review_interval_years` from the last
    review (or the last activity). A retained record is never due before its next review date.
    """
    if group.clear_period_years is None:
        return (last_review or last_activity) + relativedelta(years=group.review_interval_years)
    due = last_activity + relativedelta(years=group.clear_period_years)
    if last_review is not None:
        due = max(due, last_review + relativedelta(years=group.review_interval_years))
    return due


def age_on(date_of_birth: date | None, on: date) -> int | None:
    if date_of_birth is None:
        return None
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def special_consideration(date_of_birth: date | None, first_activity: date) -> bool:
    """True when the person was a child under 10 when first recorded (needs special consideration)."""
    age = age_on(date_of_birth, first_activity)
    return age is not None and age < SPECIAL_CONSIDERATION_AGE


def disposal_problem(group: Group, date_of_birth: date | None, today: date) -> str:
    """Why these records may not be disposed of yet ("" when they may)."""
    if group.keep_until_age is None:
        return ""
    age = age_on(date_of_birth, today)
    if age is None:
        return (
            f"{group.name} records are kept until the person is {group.keep_until_age}: "
            "the date of birth is not known, so they cannot be disposed of"
        )
    if age < group.keep_until_age:
        return f"{group.name} records are kept until the person is {group.keep_until_age} (now {age})"
    return ""


def decision_problems(*, decision: str, reason: str, next_review: date | None, today: date) -> dict[str, str]:
    """Field errors for a review decision ({} when it may be recorded)."""
    problems: dict[str, str] = {}
    if decision not in ("retain", "dispose"):
        problems["decision"] = "Select whether to retain or dispose of the records"
    if not reason.strip():
        problems["reason"] = (
            "Enter the reason for the decision (MoPI requires review decisions to be recorded)"
        )
    if decision == "retain":
        if next_review is None:
            problems["next_review_on"] = "Enter the date of the next review"
        elif next_review <= today:
            problems["next_review_on"] = "The next review must be in the future"
        elif next_review > today + relativedelta(years=MAX_RETAIN_YEARS):
            problems["next_review_on"] = f"The next review must be within {MAX_RETAIN_YEARS} years"
    return problems
