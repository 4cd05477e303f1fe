"""The report's governance sentences come from the period's measure snapshots: recommendations
open and overdue by source with each overdue item named, and the non-recent shares by offence
group (small numbers suppressed)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from safehub.analytics import governance
from safehub.analytics.models import MeasureSnapshot

pytestmark = pytest.mark.django_db

PERIOD = "2025-26"


def _snap(measure: str, result) -> None:
    MeasureSnapshot.objects.create(
        measure=measure,
        period=PERIOD,
        period_start=date(2025, 4, 1),
        period_end=date(2026, 4, 1),
        result=result,
        computed_at=timezone.now(),
    )


def test_recommendations_by_source_then_each_overdue_item():
    _snap(
        governance.OPEN_BY_SOURCE,
        [
            {"source_kind": "hmicfrs", "label": "HMICFRS inspection", "open": 7, "overdue": 2},
            {"source_kind": "other", "label": "Other", "open": 0, "overdue": 0},
        ],
    )
    _snap(
        governance.OVERDUE_ITEMS,
        [
            {
                "source": "HMICFRS inspection",
                "finding": "Area for improvement",
                "reference": "PEEL 2025 AFI 3",
                "agency": "West Yorkshire Police",
                "due_on": "2026-01-31",
                "days_overdue": 59,
                "text": "Improve MASH triage recording.",
            }
        ],
    )
    lines = governance.recommendation_sentences(PERIOD, suppress=True)
    assert lines[0] == (
        "HMICFRS inspection: 7 recommendations or areas for improvement open at the end of the period, "
        "[c] of them past their due date."
    )
    assert lines[1] == (
        "Overdue area for improvement: HMICFRS inspection, PEEL 2025 AFI 3 (owner: West Yorkshire Police; "
        "due 31 January 2026, 59 days ago): Improve MASH triage recording."
    )
    assert len(lines) == 2  # a source with nothing open says nothing
    assert governance.recommendation_sentences(PERIOD, suppress=False)[0].endswith(
        "2 of them past their due date."
    )


def test_no_recommendations_is_said_plainly():
    assert governance.recommendation_sentences(PERIOD) == [
        "No recommendation was open at the end of the period."
    ]


def test_non_recent_share_by_group_across_districts_with_small_numbers_suppressed():
    _snap(
        governance.NON_RECENT,
        [
            {"offence_group": "cse", "district": "leeds", "reported": 30, "non_recent": 12},
            {"offence_group": "cse", "district": "bradford", "reported": 20, "non_recent": 8},
            {"offence_group": "da", "district": "leeds", "reported": 3, "non_recent": 0},
            {"offence_group": "rape_sexual", "district": "leeds", "reported": 40, "non_recent": 2},
            {"offence_group": "other", "district": "leeds", "reported": 90, "non_recent": 9},
        ],
    )
    lines = governance.non_recent_sentences(PERIOD, suppress=True)
    assert lines == [
        "Of 50 child sexual exploitation offences reported in 2025-26, 20 (40%) were reported more than "
        "12 months after they happened.",
        "Non-recent rape and other sexual offences: fewer than 5 in 2025-26 (suppressed).",
        "Non-recent domestic abuse offences: fewer than 5 in 2025-26 (suppressed).",
    ]
    unsuppressed = governance.non_recent_sentences(PERIOD, suppress=False)
    assert unsuppressed[1].startswith("Of 40 rape and other sexual offences reported in 2025-26, 2 (5%)")
