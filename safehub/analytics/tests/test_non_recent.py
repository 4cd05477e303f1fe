"""The non-recent offences measure's table: labels, a total per group, and no percentage built on a
suppressed count; it is what the dashboard and the report show for contacts.non_recent_by_group."""

from datetime import date

import pytest
from django.utils import timezone

from safehub.analytics import non_recent, presenters
from safehub.analytics.models import MeasureSnapshot

ROWS = [
    {
        "offence_group": "cse",
        "district": "bradford",
        "reported": 3,
        "non_recent": 1,
        "percent_non_recent": 33.3,
    },
    {
        "offence_group": "cse",
        "district": "leeds",
        "reported": 40,
        "non_recent": 16,
        "percent_non_recent": 40.0,
    },
    {"offence_group": "da", "district": "leeds", "reported": 100, "non_recent": 5, "percent_non_recent": 5.0},
]


def test_only_the_non_recent_shape_matches():
    assert non_recent.matches(ROWS)
    assert not non_recent.matches([])
    assert not non_recent.matches([{"district": "leeds", "count": 3}])
    assert not non_recent.matches({"sent": 3})


@pytest.mark.django_db
def test_table_has_labels_totals_and_percentages(districts):
    columns, rows = presenters.result_table(ROWS, suppress=False)
    assert columns[0] == "Offence group" and columns[-1] == "Percent non-recent"
    assert rows == [
        ["Child sexual exploitation", "Bradford", 3, 1, 33.3],
        ["Child sexual exploitation", "Leeds", 40, 16, 40.0],
        ["Child sexual exploitation", "All districts", 43, 17, 39.5],
        ["Domestic abuse", "Leeds", 100, 5, 5.0],
        ["Domestic abuse", "All districts", 100, 5, 5.0],
    ]


@pytest.mark.django_db
def test_suppression_hides_the_percentage_built_on_a_small_count(districts):
    _, rows = presenters.result_table(ROWS, suppress=True)
    assert rows[0] == ["Child sexual exploitation", "Bradford", "[c]", "[c]", "[c]"]
    assert rows[1] == ["Child sexual exploitation", "Leeds", 40, 16, 40.0]
    assert rows[3] == ["Domestic abuse", "Leeds", 100, 5, 5.0]


@pytest.mark.django_db
def test_the_dashboard_measure_groups_show_it(districts):
    MeasureSnapshot.objects.create(
        measure="contacts.non_recent_by_group",
        period=presenters.SNAPSHOT_PERIOD,
        period_start=date(2025, 11, 1),
        period_end=date(2026, 11, 1),
        result=ROWS,
        computed_at=timezone.now(),
    )
    items = [m for group in presenters.measure_groups(suppress=True) for m in group["measures"]]
    item = next(m for m in items if m["id"] == "contacts.non_recent_by_group")
    assert item["chart"].rows[2] == ["Child sexual exploitation", "All districts", 43, 17, 39.5]
