"""Missing-person rules as pure functions: no ORM, no request (DOMAIN.md section 3).

- `route_episode`: who leads on a walk-out from hospital (Right Care, Right Person).
- `episode_time_errors`, `duration`: the times of an episode.
- `interview_due` (the `rhi` clock), `interview_overdue`, `interview_errors`, `next_statuses`.
- `repeat_missing`: the partnership's repeat-missing ruleset over a person's episodes.
- `heat_map`: episodes by day of week and hour of day, with shading bands.
- `photo_content_type`: a profile photo must be a real PNG or JPEG under the size limit.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from safehub.core import clocks
from safehub.core import rules as core_rules

# --- risk levels -----------------------------------------------------------------------------

RISK_SOURCE = (
    "College of Policing APP, missing persons (risk continuum from very low to high); wording [S] "
    "via DOMAIN.md 3.1, to be confirmed against "
    "https://www.college.police.uk/app/missing-persons/risk-identification-assessment-and-management"
)
# (code, name, meaning, order, is_high): the default continuum, seeded after migrate.
DEFAULT_RISK_LEVELS: tuple[tuple[str, str, str, int, bool], ...] = (
    (
        "very_low",
        "Very low risk",
        "No apparent or very low risk of harm to the person or the public: enquiries, advice to the "
        "reporter and agreed review times.",
        10,
        False,
    ),
    ("low", "Low risk", "Harm to the person or the public is possible but minimal.", 20, False),
    ("medium", "Medium risk", "Harm is likely but not serious.", 30, False),
    ("high", "High risk", "Serious harm is very likely; almost always needs immediate deployment.", 40, True),
)

# --- hospital routing --------------------------------------------------------------------------

POLICE = "police"
NHS_TRUST = "nhs_trust"
HOSPITAL = "hospital"

RCRP_SOURCE = (
    "Right Care, Right Person national partnership agreement (July 2023, updated 17 April 2024) [V] "
    "https://www.gov.uk/government/publications/national-partnership-agreement-right-care-right-person/"
    "national-partnership-agreement-right-care-right-person-rcrp ; DOMAIN.md 3.5"
)


@dataclass(frozen=True)
class RoutingDecision:
    routing: str
    reason: str


def route_episode(*, missing_from: str, immediate_risk_stated: bool) -> RoutingDecision:
    """Who leads the search. A walk-out from a hospital or health setting stays with the NHS trust
    (recorded, no police deployment) unless the reporter states an immediate risk of serious harm or
    death; everything else is a police response."""
    if missing_from != HOSPITAL:
        return RoutingDecision(POLICE, "Not missing from a health setting: police response under the APP.")
    if immediate_risk_stated:
        return RoutingDecision(
            POLICE,
            "Missing from hospital and the reporter states an immediate risk of serious harm or death: "
            f"the police threshold is met. Source: {RCRP_SOURCE}",
        )
    return RoutingDecision(
        NHS_TRUST,
        "Missing from hospital with no stated immediate risk of serious harm or death: the NHS trust "
        f"keeps responsibility for locating the patient and police are not deployed. Source: {RCRP_SOURCE}",
    )


# --- episode times -------------------------------------------------------------------------------


def episode_time_errors(
    last_seen_at: datetime | None, reported_at: datetime | None, found_at: datetime | None
) -> dict[str, str]:
    """Field errors for an episode's times (empty when they are consistent)."""
    errors: dict[str, str] = {}
    if last_seen_at and reported_at and last_seen_at > reported_at:
        errors["last_seen_at"] = "The time last seen must be before the time reported"
    if found_at and reported_at and found_at < reported_at:
        errors["found_at"] = "The time found must be after the time reported"
    return errors


def duration(
    last_seen_at: datetime | None, reported_at: datetime | None, found_at: datetime | None
) -> timedelta | None:
    """How long the person was missing: from last seen (else reported) to found; None while open."""
    start = last_seen_at or reported_at
    if found_at is None or start is None:
        return None
    return max(found_at - start, timedelta(0))


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "Still missing"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins and not days:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts) or "Under a minute"


def is_child_on(date_of_birth: date | None, on: date) -> bool | None:
    """Under 18 on `on`; None when the date of birth is unknown."""
    if date_of_birth is None:
        return None
    age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return age < 18


# --- return home interviews ------------------------------------------------------------------

PENDING, OFFERED, ACCEPTED, DECLINED, COMPLETED = "pending", "offered", "accepted", "declined", "completed"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (OFFERED,),
    OFFERED: (ACCEPTED, DECLINED, COMPLETED),
    ACCEPTED: (COMPLETED, DECLINED),
    DECLINED: (),
    COMPLETED: (),
}


def interview_due(clock: clocks.Clock, found_at: datetime) -> datetime:
    """When the interview must be offered by: the partnership's `rhi` clock from the time found.

    The default `rhi` clock is 72 elapsed hours with no excluded days, so a weekend counts
    (Friday 18:00 -> Monday 18:00), and across a clock change it is 72 real hours.
    """
    return clocks.due(clock, found_at)


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def interview_overdue(
    status: str, due_at: datetime | None, offered_at: datetime | None, now: datetime
) -> bool:
    """Not offered by its due time (an interview offered late is late, not overdue)."""
    return status == PENDING and offered_at is None and due_at is not None and due_at <= now


def offered_in_time(offered_at: datetime | None, due_at: datetime | None) -> bool:
    return offered_at is not None and due_at is not None and offered_at <= due_at


def interview_errors(
    *,
    status: str,
    interviewer_name: str,
    interviewer_independent: bool,
    decline_reason: str,
    child_words: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if status in (OFFERED, ACCEPTED, COMPLETED) and not (interviewer_name or "").strip():
        errors["interviewer_name"] = "Enter the name of the independent person offering the interview"
    if status in (OFFERED, ACCEPTED, COMPLETED) and not interviewer_independent:
        errors["interviewer_independent"] = (
            "The interview must be offered by someone independent of the placement and the local authority"
        )
    if status == DECLINED and not (decline_reason or "").strip():
        errors["decline_reason"] = "Enter why the child declined the interview"
    if status == COMPLETED and not (child_words or "").strip():
        errors["child_words"] = "Enter what the child said, in their own words"
    return errors


# --- repeat missing --------------------------------------------------------------------------

REPEAT_RULESET = "repeat-missing"


def repeat_missing(
    ruleset: core_rules.Ruleset, events: Sequence[core_rules.Event], as_of: datetime
) -> core_rules.Fired | None:
    """The first rule of the repeat-missing ruleset that a person's `missing_episode` events meet."""
    fired = core_rules.evaluate(ruleset, list(events), as_of)
    return fired[0] if fired else None


# --- heat map --------------------------------------------------------------------------------

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HeatMap:
    rows: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]  # (day, ((count, band 0-4) x 24))
    peak: int
    total: int


def heat_band(count: int, peak: int) -> int:
    """0 for none, then 1-4 by quarter of the busiest cell."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, -(-4 * count // peak))


def heat_map(moments: Iterable[datetime]) -> HeatMap:
    """Counts by day of week (Monday first) and hour of day, in London time."""
    grid = [[0] * 24 for _ in DAYS]
    total = 0
    for moment in moments:
        local = moment.astimezone(core_rules.LONDON)
        grid[local.weekday()][local.hour] += 1
        total += 1
    peak = max(max(row) for row in grid)
    rows = tuple(
        (DAYS[index], tuple((count, heat_band(count, peak)) for count in row))
        for index, row in enumerate(grid)
    )
    return HeatMap(rows=rows, peak=peak, total=total)


# --- profile photos ----------------------------------------------------------------------------

PHOTO_MAX_BYTES = 512 * 1024  # under the 1 MB request limit, even base64-encoded in JSON
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PhotoError(ValueError):
    pass


def photo_content_type(data: bytes, max_bytes: int = PHOTO_MAX_BYTES) -> str:
    """The content type of a PNG or JPEG photo; PhotoError naming the problem otherwise."""
    if not data:
        raise PhotoError("The photo is empty: choose a PNG or JPEG image")
    if len(data) > max_bytes:
        raise PhotoError(f"The photo must be smaller than {max_bytes // 1024} KB")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("The photo must be a PNG or JPEG image") from exc
    if kind not in PHOTO_TYPES:
        raise PhotoError("The photo must be a PNG or JPEG image")
    return PHOTO_TYPES[kind]


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
