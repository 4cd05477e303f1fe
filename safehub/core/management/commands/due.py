"""`safehub due CLOCK --from ISO-DATETIME [--force CODE]`: print when a clock runs out."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.core.clock_settings import clock_settings_stored, effective_clock
from safehub.core.clocks import Clock, UnknownClock, due, get_clock, to_london
from safehub.core.models import Force

FROM_ERROR = "--from must be an ISO 8601 date-time, e.g. 2026-04-03T14:00"


class Command(BaseCommand):
    help = (
        "Print only when CLOCK runs out if it started at --from, as ISO 8601 with its offset "
        "(Europe/London). The partnership's overrides and closures apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clock", help="A clock id such as dvpo-hearing (see `safehub clocks`)")
        parser.add_argument(
            "--from",
            dest="start",
            required=True,
            metavar="ISO-DATETIME",
            help="When the clock started, e.g. 2026-04-03T14:00 (no offset means Europe/London time)",
        )
        parser.add_argument(
            "--force",
            metavar="CODE",
            help="Use this force's partnership settings (default: the only force, if there is exactly one)",
        )

    def handle(self, *args: object, **options: str | None) -> None:
        clock_id, raw_start, force = options["clock"] or "", options["start"] or "", options["force"]
        try:
            start = to_london(datetime.fromisoformat(raw_start))
        except ValueError:
            raise CommandError(FROM_ERROR) from None
        clock = load_clock(self, clock_id, force, start)
        self.stdout.write(due(clock, start).isoformat())


def load_clock(command: BaseCommand, clock_id: str, force: str | None, start: datetime) -> Clock:
    """The clock the partnership ran on the start date, or a CommandError that says what is wrong."""
    try:
        if not clock_settings_stored():
            if force:
                raise CommandError("This database has no partnership settings yet: run `safehub migrate`")
            command.stderr.write("No partnership settings in this database (not migrated): using defaults")
            return get_clock(clock_id)
        return effective_clock(clock_id, force=force, at=start.date())
    except UnknownClock as exc:
        raise CommandError(str(exc)) from None
    except Force.DoesNotExist:
        codes = ", ".join(Force.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise CommandError(f"Unknown force {force!r}. Known forces: {codes}") from None
