"""`safehub analytics refresh|forecast`: idempotent refresh, forecasts with their backtests written down."""

import io
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.analytics.models import Forecast, MeasureSnapshot, MonthlyCount

pytestmark = pytest.mark.django_db


def test_refresh_stores_snapshots_of_every_measure(districts):
    out = io.StringIO()
    call_command("analytics", "refresh", "--months", "2", stdout=out)
    assert "measure snapshots stored" in out.getvalue()
    assert MeasureSnapshot.objects.filter(measure="missing.missing_rhi_within_72_hours").exists()
    with pytest.raises(CommandError, match="--months must be at least 1"):
        call_command("analytics", "refresh", "--months", "0", stdout=io.StringIO())


def test_forecast_writes_every_candidates_backtest(districts, tmp_path):
    start = date(2023, 1, 1)
    for i in range(30):
        MonthlyCount.objects.create(
            series="missing.episodes",
            month=start + relativedelta(months=i),
            district="leeds",
            count=20 + i % 12,
        )
    out, path = io.StringIO(), tmp_path / "backtests.md"
    call_command(
        "analytics",
        "forecast",
        "--series",
        "missing.episodes",
        "--no-detail",
        "--output",
        str(path),
        stdout=out,
    )
    forecast = Forecast.objects.get(series="missing.episodes")
    text = path.read_text()
    assert "Command: `safehub analytics forecast --series missing.episodes --no-detail`" in text
    assert f"| missing.episodes | all | all | {forecast.model} |" in text
    assert text.count("| missing.episodes |") == len(forecast.backtest)
    assert "1 forecasts stored" in out.getvalue()


def test_forecast_names_an_unknown_series(districts):
    with pytest.raises(CommandError, match="No data for series nope"):
        call_command("analytics", "forecast", "--series", "nope", stdout=io.StringIO())
