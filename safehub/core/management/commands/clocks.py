"""`safehub clocks [--json] [--force CODE]`: list every clock with its rule, source and mark."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehub.core.clock_settings import clock_settings_stored, effective_clock
from safehub.core.clocks import CLOCKS, Clock, get_clock
from safehub.core.models import Force


class Command(BaseCommand):
    help = "List every statutory and local clock: id, amount and unit, rule, source and verification mark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON list instead of a table")
        parser.add_argument(
            "--force",
            metavar="CODE",
            help="Show this force's partnership settings (default: the only force, if there is exactly one)",
        )

    def handle(self, *args: object, **options: object) -> None:
        force = options["force"] if isinstance(options["force"], str) else None
        clocks = self.load(force)
        if options["json"]:
            rows = [
                {
                    "id": c.id,
                    "title": c.title,
                    "amount": c.amount,
                    "unit": c.unit,
                    "rule": c.rule,
                    "source": c.source,
                    "mark": c.mark,
                }
                for c in clocks
            ]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        id_width = max(len(c.id) for c in clocks)
        due_width = max(len(c.amount_and_unit) for c in clocks)
        self.stdout.write(f"{'CLOCK':<{id_width}}  {'DUE AFTER':<{due_width}}  MARK  RULE")
        indent = " " * (id_width + due_width + 10)
        for c in clocks:
            self.stdout.write(f"{c.id:<{id_width}}  {c.amount_and_unit:<{due_width}}  [{c.mark}]   {c.rule}")
            self.stdout.write(f"{indent}Source: {c.source}")

    def load(self, force: str | None) -> list[Clock]:
        if not clock_settings_stored():
            if force:
                raise CommandError("This database has no partnership settings yet: run `safehub migrate`")
            self.stderr.write("No partnership settings in this database (not migrated): showing the defaults")
            return [get_clock(clock_id) for clock_id in CLOCKS]
        today = timezone.localdate()
        try:
            return [effective_clock(clock_id, force=force, at=today) for clock_id in CLOCKS]
        except Force.DoesNotExist:
            codes = ", ".join(Force.objects.order_by("code").values_list("code", flat=True)) or "none"
            raise CommandError(f"Unknown force {force!r}. Known forces: {codes}") from None
