"""`safehub import_referrals FILE --as USERNAME [--dry-run]`: bulk intake of referrals from a CSV file.

All or none: every row is checked first, and the referrals are made in one transaction. On any
problem the error report (row, column, problem) is printed, nothing is saved and the command exits
non-zero. The columns are those of `safehub.referrals.intake.COLUMNS` (see --help).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.core.models import User
from safehub.referrals import intake


def _columns_help() -> str:
    return "; ".join(f"{name}{'' if required else ' (optional)'}" for name, required, _ in intake.COLUMNS)


class Command(BaseCommand):
    help = (
        "Import referrals from a partner's CSV file, all or none. Columns (header row, any order): "
        + _columns_help()
        + ". Categories are separated by ';'. Dates: 2026-11-20T14:30 or 20/11/2026 14:30."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the CSV file (UTF-8)")
        parser.add_argument(
            "--as", dest="username", required=True, help="Username of the referrer the referrals come from"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}")
        if not user.has_person_level_access:
            raise CommandError(f"{user.username} has no person-level role: they cannot make referrals")
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                parsed = intake.parse_referral_csv(handle, actor=user)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if options["dry_run"]:
            if parsed.errors:
                self._report(parsed.errors)
            self.stdout.write(f"Dry run: {len(parsed.rows)} referrals would be imported; nothing saved")
            return
        try:
            result = intake.import_referrals(actor=user, parsed=parsed, progress=self._progress)
        except intake.ImportRefused as refused:
            self._report(refused.errors)
        self.stdout.write(
            f"Imported {result.count} referrals "
            f"({result.matched_people} matched people, {result.new_people} new people)"
        )

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"{done}/{total} rows")

    def _report(self, errors: list[intake.RowError]) -> None:
        self.stderr.write(intake.error_report_csv(errors).replace("\r\n", "\n"), ending="")
        raise CommandError(f"{len(errors)} problems in the file: nothing was saved")
