"""`safehub marac_return --quarter 2026/27-Q3 [--district leeds ...] [--format csv|json] [--suppress]`.

Prints the MARAC data return (`safehub.meetings.returns`) for one financial quarter, for the
districts named (default: every district). Exact counts, as the MARAC coordinator submits them;
--suppress shows counts from 1 to 4 as "fewer than 5", as analysts and the commissioner see them.
Writes one `export` audit event (actor `job:marac_return`); reads nothing person-level out.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.core import audit
from safehub.core.models import AuditAction, District
from safehub.meetings import exports, returns


class Command(BaseCommand):
    help = "Print the MARAC data return for a financial quarter (April to June is Q1), as CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help="Financial year and quarter, e.g. 2026/27-Q3")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            help="District code (repeat for several); default every district",
        )
        parser.add_argument("--format", choices=["csv", "json"], default="csv", help="Output (default csv)")
        parser.add_argument("--suppress", action="store_true", help='Counts from 1 to 4 as "fewer than 5"')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = returns.parse_quarter(options["quarter"], today=timezone.localdate())
        except returns.QuarterError as problem:
            raise CommandError(str(problem)) from problem
        known = {d.code: d for d in District.objects.order_by("name")}
        codes = list(dict.fromkeys(options["district"]))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise CommandError(
                f"Unknown district {', '.join(unknown)}. Districts: {', '.join(sorted(known)) or '(none)'}"
            )
        names = [known[code].name for code in codes] if codes else [d.name for d in known.values()]
        result = returns.return_for(quarter=quarter, district_codes=codes or None, district_names=names)
        if options["suppress"]:
            result = returns.suppress(result)
        audit.record(
            "job:marac_return",
            AuditAction.EXPORT,
            object_type="meetings.maracreturn",
            object_id=quarter.code,
            reason=f"MARAC data return {quarter.label} ({', '.join(names)}) printed as {options['format']}",
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
        else:
            self.stdout.write(exports.return_csv(result), ending="")
