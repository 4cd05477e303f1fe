"""`safehub nrm_statistics [--year 2026] [--district leeds] [--format csv|json]`.

Prints the modern slavery statistics (`safehub.slavery.selectors.statistics`) in the shape of the
Home Office NRM and Duty to Notify tables: NRM referrals by exploitation type, age group at
exploitation, nationality, district and quarter, decisions made and percent positive. Counts only,
nothing person-level. Writes one `export` audit event (actor `job:nrm_statistics`).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.core import audit
from safehub.core.csv_safety import write_csv
from safehub.core.models import AuditAction, District
from safehub.slavery import selectors

TABLES = (
    ("by_exploitation_type", "exploitation type"),
    ("by_age_group", "age group"),
    ("by_sex", "sex"),
    ("by_nationality", "nationality"),
    ("by_district", "district"),
)
QUARTER_COLUMNS = ("nrm_referrals", "dtn_reports", "rg_positive", "rg_negative", "cg_positive", "cg_negative")


def as_csv(stats: dict[str, Any]) -> str:
    rows: list[list[Any]] = [
        ["total", "nrm_referrals", "NRM referrals", stats["nrm_referrals"], ""],
        ["total", "dtn_reports", "Duty to Notify reports (MS1)", stats["dtn_reports"], ""],
        ["total", "county_lines", "County lines flagged", stats["county_lines"], ""],
    ]
    for key, _ in TABLES:
        rows += [[key, row["key"], row["label"], row["count"], row["percent"] or ""] for row in stats[key]]
    for quarter in stats["by_quarter"]:
        rows += [
            [f"quarter:{column}", quarter["quarter"], quarter["label"], quarter[column], ""]
            for column in QUARTER_COLUMNS
        ]
    for decision, values in stats["decisions"].items():
        rows += [
            [f"decisions:{decision}", name, name.replace("_", " "), value, ""]
            for name, value in values.items()
        ]
    stream = io.StringIO()
    write_csv(rows, ["table", "key", "label", "count", "percent"], stream)
    return stream.getvalue()


class Command(BaseCommand):
    help = "Print the NRM and Duty to Notify statistics (Home Office table shape) as CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Calendar year referred (default every year)")
        parser.add_argument("--district", help="District code (default every district)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv", help="Output (default csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        kwargs: dict[str, Any] = {}
        year = options.get("year")
        if year is not None:
            if not 2009 <= year <= 2100:
                raise CommandError("Enter a year from 2009 (when the NRM began), like 2026")
            kwargs["start"] = timezone.make_aware(datetime(year, 1, 1))
            kwargs["end"] = timezone.make_aware(datetime(year + 1, 1, 1))
        code = options.get("district")
        if code:
            district = District.objects.filter(code=code).first()
            if district is None:
                known = (
                    ", ".join(District.objects.order_by("code").values_list("code", flat=True)) or "(none)"
                )
                raise CommandError(f"Unknown district {code}. Districts: {known}")
            kwargs["district"] = district
        stats = selectors.statistics(**kwargs)
        audit.record(
            "job:nrm_statistics",
            AuditAction.EXPORT,
            object_type="slavery.statistics",
            object_id=f"{year or 'all'}-{code or 'all'}",
            reason=f"NRM statistics printed as {options['format']}",
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats, indent=2, default=str))
        else:
            self.stdout.write(as_csv(stats), ending="")
