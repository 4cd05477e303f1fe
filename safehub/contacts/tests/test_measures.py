"""The contacts measures the dashboard reads: every cell of month x district x category."""

from datetime import timedelta

from django.utils import timezone

from safehub.contacts import measures
from safehub.contacts.tests.factories import record


def test_by_month_district_counts_each_cell(callhandler, districts):
    now = timezone.now()
    record(callhandler, districts["leeds"], category="domestic")
    record(callhandler, districts["leeds"], category="domestic")
    record(callhandler, districts["leeds"], category="crime")
    record(callhandler, districts["bradford"], category="domestic")

    rows = measures.contacts_by_month_district(now - timedelta(days=1), now + timedelta(days=1))

    cells = {(row["district"], row["category"]): row["count"] for row in rows}
    assert cells == {("leeds", "domestic"): 2, ("leeds", "crime"): 1, ("bradford", "domestic"): 1}
    assert len({row["month"] for row in rows}) == 1
    assert "contacts.by_month_district" in {m.id for m in measures.MEASURES}
