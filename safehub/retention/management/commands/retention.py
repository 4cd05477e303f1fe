"""`safehub retention schedule` (nightly from cron) and `safehub retention due [--json]`.

`schedule` gives every person a pending MoPI review and moves due dates when something new was
recorded about them; idempotent, with progress. `due` prints counts by group (no names).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils import timezone

from safehub.retention import services
from safehub.retention.models import RetentionReview, ReviewStatus


class Command(BaseCommand):
    help = "Schedule MoPI reviews for everyone held, or count the reviews that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{schedule,due}")
        actions.add_parser(
            "schedule", help="Give every person a pending review; move due dates on new activity"
        )
        due = actions.add_parser("due", help="Count pending reviews due today or earlier, by group")
        due.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule":
            counts = services.schedule(progress=self._progress)
            self.stdout.write(
                f"{counts['people']} people: {counts['created']} review(s) scheduled, "
                f"{counts['moved']} moved, {counts['unchanged']} unchanged."
            )
            return
        rows = (
            RetentionReview.objects.filter(status=ReviewStatus.PENDING, due_on__lte=timezone.localdate())
            .values("group__name")
            .annotate(n=Count("pk"))
            .order_by("group__name")
        )
        due = {row["group__name"]: row["n"] for row in rows}
        if options["json"]:
            self.stdout.write(json.dumps({"due": due, "total": sum(due.values())}, indent=2))
        else:
            for name, n in due.items():
                self.stdout.write(f"{n:>7}  {name}")
            self.stdout.write(f"{sum(due.values()):>7}  due for review in all")

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"  scheduled {done} of {total} people")
