"""`safehub analytics refresh [--months N]` and `safehub analytics forecast [--series ID] [--no-detail]`.

refresh: rolls every app's measures up into the analytics store (monthly counts for the demand
series, snapshots of every measure over the standard periods). Idempotent: each month is
recomputed and replaced. Run it nightly from cron and after loading data.

forecast: backtests the candidate models on every series with data (whole area, each district,
each category), keeps the best and stores a 48-month forecast with 80% and 95% intervals. Prints
each series' chosen model, its backtest error and the sentence.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safehub.analytics import capacity, forecasting, rollups, selectors


class Command(BaseCommand):
    help = "Refresh the dashboard's rollups from every app's measures, or rebuild the forecasts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        refresh = sub.add_parser("refresh", help="roll the apps' measures up into the analytics store")
        refresh.add_argument("--months", type=int, default=rollups.DEFAULT_MONTHS)
        forecast = sub.add_parser("forecast", help="backtest, choose and store 48-month forecasts")
        forecast.add_argument("--series", action="append", help="a series id (repeatable); default: all")
        forecast.add_argument("--output", help="also write the backtests to this file (Markdown)")
        forecast.add_argument(
            "--no-detail", action="store_true", help="whole area only, not each district and category"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["action"] == "refresh":
            if options["months"] < 1:
                raise CommandError("--months must be at least 1")
            written = rollups.refresh(
                months=options["months"],
                progress=lambda series, n, total: self.stdout.write(f"  [{n}/{total}] {series}"),
            )
            for series, count in written.items():
                self.stdout.write(f"{series}: {count:,} counted over {options['months']} months")
            stored = rollups.snapshot()
            self.stdout.write(f"{stored} measure snapshots stored")
        else:
            known = set(selectors.series_with_data())
            unknown = [s for s in options.get("series") or [] if s not in known]
            if unknown:
                raise CommandError(
                    f"No data for series {', '.join(unknown)} (series with data: {', '.join(sorted(known))})"
                )
            outcomes = forecasting.forecast_all(
                series=options.get("series"),
                detail=not options["no_detail"],
                cells=capacity.forecast_cells(),
                progress=lambda key, outcome: self.stdout.write(f"{key}: {outcome}"),
            )
            lines = [
                "| series | district | category | chosen model | candidate | MAE | MAPE % | forecasts |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for forecast in selectors.forecasts():
                for name, score in sorted(forecast.backtest.items(), key=lambda item: item[1]["mae"]):
                    where = f"{forecast.series} | {forecast.district or 'all'} | {forecast.category or 'all'}"
                    lines.append(
                        f"| {where} | {forecast.model} | {name} | {score['mae']} | {score['mape']} "
                        f"| {score['forecasts']} |"
                    )
            self.stdout.write("\n".join(lines))
            if options.get("output"):
                Path(options["output"]).write_text(
                    "# Forecast backtests\n\nCommand: `safehub analytics forecast"
                    + "".join(f" --series {s}" for s in options.get("series") or [])
                    + (" --no-detail" if options["no_detail"] else "")
                    + f"`; run {timezone.now():%Y-%m-%d %H:%M} UTC.\n\n"
                    + "\n".join(f"- {key}: {outcome}" for key, outcome in outcomes.items())
                    + "\n\n"
                    + "\n".join(lines)
                    + "\n"
                )
            stored = sum(1 for outcome in outcomes.values() if not outcome.startswith("no forecast"))
            self.stdout.write(f"{stored} forecasts stored")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f}s")
