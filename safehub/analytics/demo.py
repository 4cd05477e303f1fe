"""The analytics demo: the dashboard over the demo world, plus real open data where it is at hand.

Loaded last (after every app's demo data, by INSTALLED_APPS order):
1. If shared/data is beside the checkout (or SAFEHUB_SHARED_DATA points at it), the 2011 Census
   population by district and the two July police.uk files for West Yorkshire (public, aggregate,
   read in place; the importers are idempotent, so a second demo adds nothing). Without it the
   dashboard says rates need `safehub import census` and shows Safehub's own figures.
2. `refresh`: every app's measures rolled up (idempotent: months are recomputed and replaced).
3. A forecast of the whole area's contacts (the series the demo gives two years of history);
   `full` also forecasts each district. `safehub analytics forecast` does every series.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safehub.analytics import capacity, forecasting, importers, rollups, selectors
from safehub.core import demo as core_demo

Progress = Callable[[str, int, int], None]
SIZES = {"small": 0, "full": 1}
JOB = core_demo.DEMO_JOB
POLICEUK_FILES = ("2016-07-west-yorkshire-street.csv.gz", "2017-07-west-yorkshire-street.csv.gz")


def load(*, size: str, progress: Progress) -> dict[str, Any]:
    detail = bool(core_demo.check_size(size, SIZES))
    counts: dict[str, Any] = {}
    data = importers.shared_data_dir()
    if data.exists() and importers.default_census_path().exists():
        importers.import_census(actor_label=JOB)
        lookup = importers.load_lsoa_lookup()
        for number, name in enumerate(POLICEUK_FILES, start=1):
            path = data / "policeuk-west-yorkshire-street" / name
            if path.exists():
                result = importers.import_policeuk(path, actor_label=JOB, lookup=lookup)
                counts[name] = "already imported" if result.already_imported else result.rows_counted
            progress("police.uk files", number, len(POLICEUK_FILES))
    else:
        counts["open_data"] = f"not found at {data}: skipped"
    written = rollups.refresh(months=36, progress=lambda series, n, total: progress("rollups", n, total))
    counts["rollup_series"] = len(written)
    counts["snapshots"] = rollups.snapshot()
    if "contacts.demand" in selectors.series_with_data():
        outcomes = forecasting.forecast_all(
            series=["contacts.demand"], detail=detail, cells=capacity.forecast_cells()
        )
        counts["forecasts"] = sum(1 for o in outcomes.values() if not o.startswith("no forecast"))
    progress("forecasts", 1, 1)
    return counts
