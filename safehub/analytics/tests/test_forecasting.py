"""Forecasts: model chosen by rolling-origin backtest, 48 months, nested 80% / 95% intervals."""

import math
from datetime import date

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta

from safehub.analytics import forecasting
from safehub.analytics.models import MonthlyCount

pytestmark = pytest.mark.django_db


def _seasonal(months=48, base=100, trend=1.0, amplitude=30, seed=1):
    rng = np.random.default_rng(seed)
    return np.array(
        [
            base + trend * i + amplitude * math.sin(2 * math.pi * (i % 12) / 12) + rng.normal(0, 2)
            for i in range(months)
        ]
    )


def test_backtest_scores_every_candidate_on_the_same_origins():
    scores = forecasting.backtest(_seasonal(), origins=3)
    assert set(scores) == set(forecasting.MODELS)
    assert {s["forecasts"] for s in scores.values()} == {3 * forecasting.HORIZON}
    chosen = forecasting.choose(scores)
    assert chosen in ("Holt-Winters damped, additive season (ETS)", "seasonal naive")
    assert scores[chosen]["mae"] < scores["drift"]["mae"]


def test_a_flat_trending_series_does_not_choose_a_seasonal_model_by_accident():
    y = _seasonal(months=30, base=50, trend=3.0, amplitude=0, seed=2)
    scores = forecasting.backtest(y, origins=2)
    assert scores["drift"]["mae"] < scores["seasonal naive"]["mae"]


@pytest.fixture
def history(districts):
    y = _seasonal(months=36)
    start = date(2023, 1, 1)
    for i, value in enumerate(y):
        MonthlyCount.objects.create(
            series="contacts.demand",
            month=start + relativedelta(months=i),
            district="leeds",
            count=int(round(value)),
        )


def test_forecast_is_stored_with_48_months_and_nested_intervals(history):
    forecast = forecasting.forecast_series("contacts.demand", origins=2)
    assert len(forecast.points) == forecasting.HORIZON_MONTHS
    assert forecast.points[0]["month"] == "2026-01"
    for p in forecast.points:
        assert 0 <= p["lo95"] <= p["lo80"] <= p["mean"] <= p["hi80"] <= p["hi95"]
    assert forecast.model in forecast.backtest
    assert forecast.sentence.startswith("Contacts received are predicted to")
    assert "by March 2029" in forecast.sentence


def test_a_short_series_gets_a_reason_not_a_forecast(districts):
    for i in range(10):
        MonthlyCount.objects.create(
            series="contacts.demand",
            month=date(2025, 1, 1) + relativedelta(months=i),
            district="leeds",
            count=5,
        )
    with pytest.raises(forecasting.TooShort, match="at least 24"):
        forecasting.forecast_series("contacts.demand")
    # A month missing from the data (police.uk files a year apart) breaks the run: not a zero.
    MonthlyCount.objects.create(series="contacts.demand", month=date(2022, 1, 1), district="leeds", count=5)
    assert len(forecasting.monthly_history("contacts.demand")) == 10
    assert forecasting.forecast_all(series=["contacts.demand"], detail=False) == {
        "contacts.demand": "no forecast: 10 consecutive months of history; a forecast needs at least 24"
    }


def test_cells_forecast_each_districts_category_only_where_asked(districts):
    y = _seasonal(months=30, base=40, amplitude=5)
    start = date(2023, 1, 1)
    for i, value in enumerate(y):
        for district in ("leeds", "bradford"):
            for category, share in (("domestic", 0.4), ("concern_for_welfare", 0.6)):
                MonthlyCount.objects.create(
                    series="contacts.demand",
                    month=start + relativedelta(months=i),
                    district=district,
                    category=category,
                    count=int(round(value * share)),
                )
    outcomes = forecasting.forecast_all(series=["contacts.demand"], cells={"contacts.demand": ("domestic",)})
    assert "contacts.demand/leeds/domestic" in outcomes and "contacts.demand/bradford/domestic" in outcomes
    assert "contacts.demand/leeds/concern_for_welfare" not in outcomes
    from safehub.analytics.models import Forecast

    leeds_da = Forecast.objects.get(series="contacts.demand", district="leeds", category="domestic")
    assert [n for _, n in leeds_da.history][:3] == [int(round(v * 0.4)) for v in y[:3]]
