"""Monthly demand forecasts, 48 months ahead with 80% and 95% intervals (statsmodels).

For each series the model is chosen by rolling-origin backtest: for each of the last `ORIGINS`
months as a forecast origin, fit on the history before it and forecast `HORIZON` months; the
candidate with the lowest mean absolute error over all those forecasts wins, and every candidate's
error is kept so the dashboard and report can show it. Candidates:

- seasonal naive (same month last year), drift (random walk with drift): baselines;
- Holt's damped trend and Holt-Winters (additive damped trend and additive 12-month season) as
  statsmodels ETS state-space models (analytic prediction intervals);
- ARIMA(1,1,1).

Series with fewer than `MIN_MONTHS` months get no forecast (a clear reason instead). Counts below
zero are cut to zero.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safehub.analytics import catalogue, presenters, rules, selectors
from safehub.analytics.models import Forecast

HORIZON_MONTHS = 48
MIN_MONTHS = 24
ORIGINS = 6
HORIZON = 3
Z80, Z95 = 1.2816, 1.96


class TooShort(Exception):
    pass


@dataclass
class Prediction:
    mean: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray


def _normal(mean: np.ndarray, sigma: np.ndarray) -> Prediction:
    return Prediction(mean, mean - Z80 * sigma, mean + Z80 * sigma, mean - Z95 * sigma, mean + Z95 * sigma)


def seasonal_naive(y: np.ndarray, h: int) -> Prediction:
    season = 12
    if len(y) < season + 1:
        raise TooShort
    mean = np.array([y[len(y) - season + (i % season)] for i in range(h)], dtype=float)
    residuals = y[season:] - y[:-season]
    sigma = np.std(residuals, ddof=1) if len(residuals) > 1 else 0.0
    years = np.array([i // season + 1 for i in range(h)], dtype=float)
    return _normal(mean, sigma * np.sqrt(years))


def drift(y: np.ndarray, h: int) -> Prediction:
    n = len(y)
    slope = (y[-1] - y[0]) / (n - 1) if n > 1 else 0.0
    steps = np.arange(1, h + 1, dtype=float)
    mean = y[-1] + slope * steps
    residuals = np.diff(y) - slope
    sigma = np.std(residuals, ddof=1) if len(residuals) > 1 else 0.0
    return _normal(mean, sigma * np.sqrt(steps * (1 + steps / max(n - 1, 1))))


def _ets(y: np.ndarray, h: int, *, seasonal: bool) -> Prediction:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if seasonal and len(y) < 24:
        raise TooShort
    import pandas as pd

    model = ETSModel(
        pd.Series(y.astype(float)),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=12 if seasonal else None,
    )
    fit = model.fit(disp=False, maxiter=200)
    frame80 = fit.get_prediction(start=len(y), end=len(y) + h - 1).summary_frame(alpha=0.2)
    frame95 = fit.get_prediction(start=len(y), end=len(y) + h - 1).summary_frame(alpha=0.05)
    return Prediction(
        frame80["mean"].to_numpy(dtype=float),
        frame80["pi_lower"].to_numpy(),
        frame80["pi_upper"].to_numpy(),
        frame95["pi_lower"].to_numpy(),
        frame95["pi_upper"].to_numpy(),
    )


def holt_damped(y: np.ndarray, h: int) -> Prediction:
    return _ets(y, h, seasonal=False)


def holt_winters(y: np.ndarray, h: int) -> Prediction:
    return _ets(y, h, seasonal=True)


def arima(y: np.ndarray, h: int) -> Prediction:
    from statsmodels.tsa.arima.model import ARIMA

    fit = ARIMA(y.astype(float), order=(1, 1, 1)).fit()
    forecast = fit.get_forecast(h)
    c80, c95 = forecast.conf_int(alpha=0.2), forecast.conf_int(alpha=0.05)
    return Prediction(forecast.predicted_mean, c80[:, 0], c80[:, 1], c95[:, 0], c95[:, 1])


MODELS = {
    "seasonal naive": seasonal_naive,
    "drift": drift,
    "Holt damped trend (ETS)": holt_damped,
    "Holt-Winters damped, additive season (ETS)": holt_winters,
    "ARIMA(1,1,1)": arima,
}


def _predict(name: str, y: np.ndarray, h: int) -> Prediction:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return MODELS[name](y, h)


def backtest(y: np.ndarray, *, origins: int = ORIGINS, horizon: int = HORIZON) -> dict[str, dict]:
    """{model: {"mae", "mape", "forecasts"}} from rolling origins over the last `origins` months."""
    scores: dict[str, dict] = {}
    for name in MODELS:
        errors, percent = [], []
        try:
            for back in range(origins + horizon - 1, horizon - 1, -1):
                cut = len(y) - back
                if cut < 12:
                    raise TooShort
                actual = y[cut : cut + horizon]
                predicted = _predict(name, y[:cut], len(actual)).mean
                if not np.all(np.isfinite(predicted)):
                    raise TooShort
                errors.extend(np.abs(actual - predicted))
                percent.extend(abs(a - p) / a for a, p in zip(actual, predicted, strict=True) if a)
        except Exception:  # noqa: BLE001, S112 - a model that cannot fit this history is not a candidate
            continue
        scores[name] = {
            "mae": round(float(np.mean(errors)), 2),
            "mape": round(100 * float(np.mean(percent)), 1) if percent else None,
            "forecasts": len(errors),
        }
    return scores


def choose(scores: dict[str, dict]) -> str:
    return min(scores, key=lambda name: (scores[name]["mae"], list(MODELS).index(name)))


def monthly_history(series: str, district: str = "", category: str = "") -> list[tuple[date, int]]:
    """Month totals from the first month with data to the last (gaps filled with 0)."""
    first, last = selectors.data_range(series)
    if first is None:
        return []
    query = selectors.Query(series, first, last + relativedelta(months=1), district, "month")
    try:
        grains = selectors._grains(series)
        if category:
            rows = selectors._rows_for(
                selectors.Query(series, first, query.end, district, "category"), grains
            )
            counts = {
                m.strftime("%Y-%m"): n
                for m, n in rows.filter(category=category)
                .values_list("month")
                .annotate(n=Sum("count"))
                .values_list("month", "n")
            }
        else:
            counts = selectors.values(query, grains)
    except selectors.Unavailable:
        return []
    # Only the latest unbroken run of months that the source holds: a month missing from the data
    # (police.uk files a year apart, quarterly tables) is unknown, not zero.
    held = {m.strftime("%Y-%m") for m in selectors.months_with_data(series, first, query.end)}
    run: list[date] = []
    for month in reversed(rules.months_between(first, query.end)):
        if month.strftime("%Y-%m") not in held:
            break
        run.insert(0, month)
    return [(month, counts.get(month.strftime("%Y-%m"), 0)) for month in run]


def forecast_series(
    series: str, district: str = "", category: str = "", *, origins: int = ORIGINS
) -> Forecast:
    """Backtest, choose, forecast 48 months and store (replacing the series' last forecast)."""
    history = monthly_history(series, district, category)
    # A month still in progress would read as a fall: forecast from complete months only.
    this_month = date(timezone.localdate().year, timezone.localdate().month, 1)
    history = [(m, n) for m, n in history if m < this_month]
    if len(history) < MIN_MONTHS:
        raise TooShort(
            f"{len(history)} consecutive months of history; a forecast needs at least {MIN_MONTHS}"
        )
    y = np.array([n for _, n in history], dtype=float)
    scores = backtest(y, origins=origins)
    if not scores:
        raise TooShort("no model could be backtested on this history")
    prediction = None
    for chosen in sorted(scores, key=lambda name: (scores[name]["mae"], list(MODELS).index(name))):
        try:
            prediction = _predict(chosen, y, HORIZON_MONTHS)
            break
        except Exception:  # noqa: BLE001, S112 - fall back to the next best model
            continue
    if prediction is None:
        raise TooShort("no model could be fitted to the whole history")
    last = history[-1][0]
    months = [last + relativedelta(months=i) for i in range(1, HORIZON_MONTHS + 1)]

    def clip(values) -> list[float]:
        return [round(max(0.0, float(v)), 1) if math.isfinite(v) else 0.0 for v in values]

    mean, lo80, hi80, lo95, hi95 = (
        clip(prediction.mean),
        clip(prediction.lo80),
        clip(prediction.hi80),
        clip(prediction.lo95),
        clip(prediction.hi95),
    )
    points = [
        {
            "month": m.strftime("%Y-%m"),
            "mean": mean[i],
            "lo80": lo80[i],
            "hi80": hi80[i],
            "lo95": lo95[i],
            "hi95": hi95[i],
        }
        for i, m in enumerate(months)
    ]
    march = max(m for m in months if m.month == 3)
    window = [
        p["mean"]
        for p in points
        if march - relativedelta(months=11) <= rules.parse_month(p["month"]) <= march
    ]
    definition = catalogue.get(series)
    subject = (definition.subject or definition.title) if definition else series
    if category:
        subject = f"{subject} ({presenters.category_label(category).lower()})"
    if district:
        subject = f"{subject} in {selectors.district_names().get(district, district)}"
    sentence = rules.fms_sentence(subject, float(y[-12:].sum()), float(sum(window)), march.year)
    with transaction.atomic():
        Forecast.objects.filter(series=series, district=district, category=category).delete()
        return Forecast.objects.create(
            series=series,
            district=district,
            category=category,
            model=chosen,
            history=[[m.strftime("%Y-%m"), n] for m, n in history],
            points=points,
            backtest=scores,
            sentence=sentence[:400],
            generated_at=timezone.now(),
        )


def forecast_all(
    *,
    series: list[str] | None = None,
    progress=None,
    detail: bool = True,
    cells: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, str]:
    """Forecast every series with data: the whole area, each district and each category; and, for
    the series and categories in `cells` (capacity's workloads, say), each district's category."""
    outcomes: dict[str, str] = {}
    for name in series or selectors.series_with_data():
        targets = [("", "")]
        if detail:
            first, last = selectors.data_range(name)
            grains = selectors._grains(name)
            districts: list[str] = []
            if "cell" in grains or "district" in grains:
                districts = sorted(
                    selectors.values(
                        selectors.Query(name, first, last + relativedelta(months=1), "", "district"),
                        grains,
                    )
                )
                targets += [(d, "") for d in districts]
            if "cell" in grains or "category" in grains:
                targets += [
                    ("", c)
                    for c in sorted(
                        selectors.values(
                            selectors.Query(name, first, last + relativedelta(months=1), "", "category"),
                            grains,
                        )
                    )
                ]
            wanted = (cells or {}).get(name, ())
            if "cell" in grains:
                targets += [(d, c) for d in districts for c in wanted]
        for district, category in targets:
            key = "/".join(filter(None, (name, district, category)))
            try:
                made = forecast_series(name, district, category)
                outcomes[key] = f"{made.model}: {made.sentence}"
            except TooShort as exc:
                outcomes[key] = f"no forecast: {exc}"
            if progress:
                progress(key, outcomes[key])
    return outcomes
