"""Synthetic monthly series with a known step, stored counts and campaigns, for the impact tests."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta

from safehub.activities.models import Activity, ActivityKind
from safehub.analytics.models import MonthlyCount
from safehub.core.models import Agency, AgencyKind, District, Force
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory

FIRST = date(2022, 11, 1)  # 48 months to October 2026
START = date(2025, 11, 1)  # 36 months before, 12 after (to October 2026)


def synthetic(
    seed: int,
    *,
    n_before: int = 36,
    n_after: int = 12,
    step: float = 20.0,
    trend_change: float = 0.0,
    slope: float = 0.5,
    season: float = 12.0,
    noise: float = 5.0,
    base: float = 100.0,
    first: date = FIRST,
) -> tuple[list[date], list[float], date]:
    """Months, counts and start: base + slope*t + season*sin(calendar month) + step after the start
    (+ trend_change per month after it) + normal noise (seeded), rounded, never below zero."""
    rng = np.random.default_rng(seed)
    months = [first + relativedelta(months=i) for i in range(n_before + n_after)]
    counts = []
    for i, month in enumerate(months):
        after = i >= n_before
        value = (
            base
            + slope * i
            + season * np.sin(2 * np.pi * month.month / 12)
            + (step + trend_change * (i - n_before) if after else 0.0)
            + rng.normal(0, noise)
        )
        counts.append(float(max(0, round(value))))
    return months, counts, months[n_before]


def store(series: str, months: list[date], counts: list[float]) -> list[MonthlyCount]:
    """Store each month's count as cells (Leeds 60%, Bradford the rest; each split between two
    categories), the grain contacts.demand has, so the whole-area total is the count."""
    rows = []
    for month, count in zip(months, counts, strict=True):
        leeds = round(int(count) * 0.6)
        for district, part in (("leeds", leeds), ("bradford", int(count) - leeds)):
            half = part // 2
            for category, n in (("domestic_abuse", half), ("concern_for_welfare", part - half)):
                if n:
                    rows.append(
                        MonthlyCount(
                            series=series, month=month, district=district, category=category, count=n
                        )
                    )
    MonthlyCount.objects.bulk_create(rows)
    return rows


def campaign(
    user, *, force=None, starts_on: date = START, series: str = "contacts.demand", **extra
) -> Activity:
    return Activity.objects.create(
        force=force or user.agency.force,
        kind=extra.pop("kind", ActivityKind.CAMPAIGN),
        title=extra.pop("title", "Domestic abuse: know the signs"),
        starts_on=starts_on,
        lead_organisation="Leeds Safeguarding Partnership",
        themes=["domestic_abuse"],
        target_series=series,
        created_by=user,
        **extra,
    )


# Fixtures (imported by the test modules that use them).


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )


@pytest.fixture
def other_manager(db):
    """The partnership manager of another force (North Yorkshire)."""
    force = Force.objects.create(code="north-yorkshire", name="North Yorkshire")
    york = District.objects.create(force=force, code="york", name="York")
    agency = Agency.objects.create(
        force=force,
        code="york-csc",
        name="York Children's Social Care",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    )
    return UserFactory(
        username="york-partnership", agency=agency, district=york, roles=[Role.PARTNERSHIP_MANAGER]
    )


@pytest.fixture
def contacts(districts):
    """contacts.demand with a step of 20 a month from November 2025 (48 months to October 2026)."""
    months, counts, start = synthetic(1)
    store("contacts.demand", months, counts)
    return months, counts, start
