"""The tracker's measures count what the records say, by source and by owning agency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.recommendations import measures, services
from safehub.recommendations.models import SourceKind

pytestmark = pytest.mark.django_db


def test_measures_by_source_and_agency(record, officer, owner):
    late = record(officer, due_in=-3)
    done = record(officer, due_in=-2, kind=SourceKind.INTERNAL_AUDIT)
    record(owner, due_in=-1)
    services.recommendation_update(actor=officer, recommendation=done, status="completed", note="Evidence")
    start = timezone.now() - timedelta(days=30)
    end = timezone.now() + timedelta(days=1)
    made = {
        row["source_kind"]: (row["made"], row["open"], row["completed"])
        for row in measures.made_by_source(start, end)
    }
    assert made == {"hmicfrs": (2, 2, 0), "internal_audit": (1, 0, 1)}
    due = {row["agency"]: row for row in measures.due_by_agency(start, end)}
    assert due["wyp"]["due"] == 2 and due["wyp"]["overdue"] == 1 and due["wyp"]["completed_late"] == 1
    assert due["wyp"]["percent_overdue"] == 50.0
    assert due["leeds-csc"]["overdue"] == 1
    snapshot = {
        row["source_kind"]: (row["open"], row["overdue"])
        for row in measures.open_overdue_by_source(start, end)
    }
    assert snapshot == {"hmicfrs": (2, 2)}
    assert late.pk  # the overdue police item is the one counted
    assert {m.id for m in measures.MEASURES} == {
        "recommendations.made_by_source",
        "recommendations.due_by_agency",
        "recommendations.open_overdue_by_source",
        "recommendations.overdue_items",
    }


def test_overdue_items_name_source_agency_and_days_past_due(record, officer, owner):
    oldest = record(officer, due_in=-10, reference="PEEL 2025 AFI 3", text="Improve MASH triage recording.")
    record(owner, due_in=-2, kind=SourceKind.SELECT_COMMITTEE, reference="HASC inquiry rec 5")
    record(owner, due_in=5)  # not yet due
    done = record(officer, due_in=-4)
    services.recommendation_update(actor=officer, recommendation=done, status="completed", note="Evidence")
    start = timezone.now() - timedelta(days=400)
    rows = measures.overdue_items(start, timezone.now() + timedelta(days=200))  # a period not yet over
    assert [(r["reference"], r["days_overdue"]) for r in rows] == [
        ("PEEL 2025 AFI 3", 10),
        ("HASC inquiry rec 5", 2),
    ]
    assert rows[0]["source"] == "HMICFRS inspection" and rows[0]["agency"] == oldest.owning_agency.name
    assert rows[0]["text"] == "Improve MASH triage recording."
    assert "owner" not in rows[0]
    # At the end of a period that closed before any of them fell due: nothing overdue.
    assert measures.overdue_items(start, timezone.now() - timedelta(days=20)) == []
