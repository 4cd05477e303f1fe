"""The analytics demo: open data read in place where it is, rollups refreshed; idempotent."""

import pytest
from django.db.models import Sum

from safehub.analytics import demo
from safehub.analytics.models import DataImport, DistrictPopulation, MonthlyCount
from safehub.analytics.tests.conftest import HAVE_DATA
from safehub.core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_open_data_and_a_second_run_adds_nothing():
    core_demo.load(size="small", progress=lambda *a: None)
    steps = []
    first = demo.load(size="small", progress=lambda *args: steps.append(args[0]))
    assert "rollups" in steps or first["rollup_series"] == 0
    imports, total = DataImport.objects.count(), MonthlyCount.objects.aggregate(n=Sum("count"))["n"]
    demo.load(size="small", progress=lambda *a: None)
    assert DataImport.objects.count() == imports
    assert MonthlyCount.objects.aggregate(n=Sum("count"))["n"] == total
    if HAVE_DATA:
        assert DistrictPopulation.objects.count() == 5
        assert (
            MonthlyCount.objects.filter(series="policeuk.street").aggregate(n=Sum("count"))["n"]
            == 27176 + 28537
        )
    else:
        assert "not found" in first["open_data"]


def test_demo_refuses_an_unknown_size():
    with pytest.raises(ValueError, match="size must be one of small, full"):
        demo.load(size="huge", progress=lambda *a: None)
