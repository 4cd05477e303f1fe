"""The slavery app's measures for the dashboard: aggregates only, never a person-level field.

Each function takes a period (start inclusive, end exclusive; aware datetimes, by referred_at
unless it says otherwise) and returns plain rows in the shape of the Home Office NRM and Duty to
Notify tables. `MEASURES` declares them (id, title, definition, query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safehub.slavery import selectors


def _stats(start: datetime, end: datetime) -> dict[str, Any]:
    return selectors.statistics(start=start, end=end)


def referrals_by_exploitation_type(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """[{"key", "label", "count", "percent"}]: each NRM referral once (several types are 'multiple')."""
    return _stats(start, end)["by_exploitation_type"]


def referrals_by_age_group(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Adult, child or unknown, by age at exploitation."""
    return _stats(start, end)["by_age_group"]


def referrals_by_nationality(start: datetime, end: datetime) -> list[dict[str, Any]]:
    return _stats(start, end)["by_nationality"]


def referrals_by_district(start: datetime, end: datetime) -> list[dict[str, Any]]:
    return _stats(start, end)["by_district"]


def referrals_by_quarter(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """NRM referrals, Duty to Notify reports and decisions made, by calendar quarter."""
    return _stats(start, end)["by_quarter"]


def decisions(start: datetime, end: datetime) -> dict[str, Any]:
    """Reasonable and conclusive grounds decisions made in the period, percent positive, and the
    reasonable grounds decisions made within the 5 working day target (the nrm-reasonable-grounds clock)."""
    return _stats(start, end)["decisions"]


def duty_to_notify(start: datetime, end: datetime) -> dict[str, Any]:
    stats = _stats(start, end)
    return {"nrm_referrals": stats["nrm_referrals"], "dtn_reports": stats["dtn_reports"]}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]


MEASURES = (
    Measure(
        "nrm_by_exploitation_type",
        "NRM referrals by exploitation type",
        "Referrals to the National Referral Mechanism, each counted once; more than one type is 'multiple'",
        referrals_by_exploitation_type,
    ),
    Measure(
        "nrm_by_age_group",
        "NRM referrals by age group",
        "Adult or child at the time of exploitation (the Home Office grouping)",
        referrals_by_age_group,
    ),
    Measure(
        "nrm_by_nationality",
        "NRM referrals by nationality",
        "Referrals by nationality",
        referrals_by_nationality,
    ),
    Measure(
        "nrm_by_district",
        "NRM referrals by district",
        "Referrals by the district the exploitation was identified in",
        referrals_by_district,
    ),
    Measure(
        "nrm_by_quarter",
        "NRM referrals and decisions by quarter",
        "Referrals, Duty to Notify reports and decisions made, by calendar quarter",
        referrals_by_quarter,
    ),
    Measure(
        "nrm_decisions",
        "NRM decisions and percent positive",
        "Reasonable and conclusive grounds decisions made in the period; reasonable grounds on target",
        decisions,
    ),
    Measure(
        "nrm_duty_to_notify",
        "Duty to Notify reports",
        "Anonymous MS1 reports for adults who did not consent, against NRM referrals",
        duty_to_notify,
    ),
)
