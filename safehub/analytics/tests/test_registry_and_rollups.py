"""Measures are discovered from every installed app; the rollup reads them by shape."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.apps import apps

from safehub.analytics import catalogue, presenters, registry, rollups
from safehub.analytics.models import MeasureSnapshot, MonthlyCount

pytestmark = pytest.mark.django_db


def test_every_installed_app_with_a_measures_module_is_discovered():
    ids = {m.id for m in registry.all_measures()}
    labels = {m.app_label for m in registry.all_measures()}
    for config in apps.get_app_configs():
        if config.name.startswith("safehub.") and config.label != "analytics":
            try:
                module = __import__(f"{config.name}.measures", fromlist=["MEASURES"])
            except ModuleNotFoundError:
                continue
            assert config.label in labels
            for measure in module.MEASURES:
                assert registry.qualified_id(config.label, measure.id) in ids
    assert {
        "contacts.by_category",
        "referrals.timeliness_by_rag",
        "meetings.repeat_marac_rate",
        "missing.missing_by_month",
    } <= ids


def test_people_equality_measures_are_supplied_until_people_has_its_own():
    ids = {m.id for m in registry.all_measures()}
    assert {
        "people.equality_ethnicity",
        "people.equality_sex",
        "people.equality_age_band",
        "people.data_quality",
    } <= ids


@dataclass(frozen=True)
class FakeMeasure:
    id: str
    title: str
    definition: str
    query: object
    clock: str = ""


def _nrm_by_month(start, end):
    """Like a real by-month measure: one row per month and district in the period."""
    rows, month = [], start.date().replace(day=1)
    while month < end.date():
        rows += [
            {"month": month, "district": "leeds", "count": 7},
            {"month": month, "district": "bradford", "count": 2},
        ]
        month = (month + timedelta(days=32)).replace(day=1)
    return rows


@pytest.fixture
def fake_app(monkeypatch):
    """A module built tomorrow (say, slavery) declares a monthly measure and a clocked measure."""
    fakes = [
        registry.ModuleMeasure(
            "newapp.nrm_by_month",
            "newapp",
            "New app",
            "nrm_by_month",
            "NRM referrals by month",
            "Referrals",
            _nrm_by_month,
        ),
        registry.ModuleMeasure(
            "newapp.rg_decisions",
            "newapp",
            "New app",
            "rg_decisions",
            "Reasonable grounds decisions in time",
            "Decided in 5 working days",
            lambda s, e: {"due": 9, "in_time": 3},
            clocks=("nrm-reasonable-grounds",),
        ),
    ]
    existing = registry.all_measures()
    monkeypatch.setattr(registry, "all_measures", lambda: (*existing, *fakes))
    monkeypatch.setattr(registry, "get", lambda i: next((m for m in (*existing, *fakes) if m.id == i), None))
    return fakes


def test_a_new_apps_monthly_measure_becomes_a_series_after_refresh(fake_app, districts):
    written = rollups.refresh(months=3, today=date(2026, 7, 15))
    assert written["newapp.nrm_by_month"] == 27  # (7 + 2) x 3 months
    months = sorted(
        set(MonthlyCount.objects.filter(series="newapp.nrm_by_month").values_list("month", flat=True))
    )
    assert months == [date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)]
    assert "newapp.nrm_by_month" in {d.id for d in catalogue.series_definitions()}
    again = rollups.refresh(months=3, today=date(2026, 7, 15))
    assert again["newapp.nrm_by_month"] == 27
    assert MonthlyCount.objects.filter(series="newapp.nrm_by_month").count() == 6  # replaced, not added


def test_a_clocked_measure_appears_under_its_clock(fake_app):
    rollups.snapshot(today=date(2026, 7, 15))
    assert MeasureSnapshot.objects.filter(measure="newapp.rg_decisions").count() == 3
    clocks = {item["clock"].id: item["reports"] for item in presenters.timeliness(suppress=True)}
    chart = clocks["nrm-reasonable-grounds"][0]
    assert chart.rows == [["Due", 9], ["In time", "[c]"]]


def test_count_rows_reads_rows_by_shape():
    cells = rollups.count_rows(
        [{"category": "crime", "count": 3}, {"district": "leeds", "count": 2}], date(2026, 1, 1)
    )
    assert cells == {(date(2026, 1, 1), "", "crime"): 3, (date(2026, 1, 1), "leeds", ""): 2}
    assert rollups.count_rows({"episodes": 3}, date(2026, 1, 1)) is None
    assert rollups.count_rows([{"rag": "red", "referrals": 3}], date(2026, 1, 1)) is None


def test_result_table_flattens_nested_measures():
    columns, rows = presenters.result_table(
        {"decided": 10, "s47": {"count": 3, "percent": 30.0}}, suppress=True
    )
    assert columns == ["Figure", "Value"]
    # 30% of 10 would give the suppressed 3 away: the percentage goes with it.
    assert rows == [["Decided", 10], ["S47: count", "[c]"], ["S47: percent", "[c]"]]
    _, rows = presenters.result_table({"decided": 10, "s47": {"count": 30, "percent": 30.0}}, suppress=True)
    assert rows == [["Decided", 10], ["S47: count", 30], ["S47: percent", 30.0]]


def test_a_flat_mapping_hides_a_rate_beside_its_suppressed_count():
    _, rows = presenters.result_table({"episodes": 4, "percent_found": 50.0}, suppress=True)
    assert rows == [["Episodes", "[c]"], ["Percent found", "[c]"]]
    _, rows = presenters.result_table({"episodes": 40, "percent_found": 50.0}, suppress=True)
    assert rows == [["Episodes", 40], ["Percent found", 50.0]]


def test_a_figure_derived_from_a_suppressed_count_is_suppressed_with_it():
    rows = [
        {"grade": "P1", "graded": 3, "in_time": 1, "percent_in_time": 33.3, "average_minutes": 12.5},
        {"grade": "P2", "graded": 40, "in_time": 30, "percent_in_time": 75.0, "average_minutes": None},
    ]
    _, shown = presenters.result_table(rows, suppress=True)
    assert shown == [["P1", "[c]", "[c]", "[c]", "[c]"], ["P2", 40, 30, 75.0, "n/a"]]
    _, unsuppressed = presenters.result_table(rows, suppress=False)
    assert unsuppressed[0] == ["P1", 3, 1, 33.3, 12.5]
