"""`safehub backup PATH`: a consistent backup of the database and its manifest (see core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.core.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "Back up the database DATABASE_URL names to PATH, with PATH.manifest.json beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A new file for the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        self.stderr.write(f"Backing up to {path} ...")
        try:
            manifest = backup(path, progress=lambda line: self.stderr.write(f"  {line}"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        chain = manifest["audit_chain"]
        self.stdout.write(
            f"Backed up {rows} rows in {len(manifest['row_counts'])} tables "
            f"({manifest['vendor']}) to {path}; "
            f"manifest {manifest_path(path).name}; audit chain {'intact' if chain['intact'] else 'BROKEN'}, "
            f"{chain['seals']} seal(s), head {chain['head_digest'] or '(none)'}"
        )
