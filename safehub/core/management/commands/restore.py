"""`safehub restore PATH [--noinput]`: replace the database's contents with a backup, then prove it.

Exits 1 when the restored row counts or audit chain differ from the backup's manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from safehub.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Restore a backup made by `safehub backup` into the database DATABASE_URL names."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file (its .manifest.json beside it)")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            manifest = read_manifest(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = connection.settings_dict["NAME"]
        if options["interactive"]:
            if not sys.stdin.isatty():
                raise CommandError("Restore replaces every record: confirm on a terminal, or pass --noinput")
            answer = input(
                f"Replace everything in {database} with the backup made {manifest['created_at']}? "
                "Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed")
        self.stderr.write(f"Restoring {path} into {database} ...")
        try:
            result = restore(path, progress=lambda line: self.stderr.write(f"  {line}"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(result.counts.values())
        self.stdout.write(f"Restored {rows} rows in {len(result.counts)} tables.")
        for table, (expected, found) in result.differences.items():
            self.stderr.write(f"DIFFERENT: {table}: backup had {expected}, database has {found}")
        for problem in result.chain.problems:
            self.stderr.write(f"BROKEN: {problem}")
        if result.chain.head_digest != result.expected_head:
            self.stderr.write("DIFFERENT: the audit chain's head is not the one the backup recorded")
        if not result.ok:
            sys.exit(1)
        self.stdout.write(
            f"Row counts match the manifest; audit chain intact, head {result.chain.head_digest or '(none)'}."
        )
