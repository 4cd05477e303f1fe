"""Back up and restore the database `DATABASE_URL` names, with a manifest to prove the restore.

- SQLite: the SQLite online backup API (a consistent copy while the service runs).
- PostgreSQL: `pg_dump --format=custom`, and `pg_restore --clean --if-exists --single-transaction`
  (all or nothing: a failed restore leaves the database as it was).

Beside the backup goes `<PATH>.manifest.json`: the backup file's SHA-256, every table's row count
and the audit chain's head. `restore` refuses a file whose checksum does not match its manifest,
and afterwards recounts and re-verifies the audit chain, so a restore is shown, not assumed.
Nothing in the manifest is personal data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists, never a shell
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone

from safehub.core import audit_chain


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class RestoreResult:
    counts: dict[str, int]
    expected: dict[str, int]
    chain: audit_chain.Verification
    expected_head: str

    @property
    def differences(self) -> dict[str, tuple[int | None, int | None]]:
        names = set(self.counts) | set(self.expected)
        return {
            name: (self.expected.get(name), self.counts.get(name))
            for name in sorted(names)
            if self.expected.get(name) != self.counts.get(name)
        }

    @property
    def ok(self) -> bool:
        return not self.differences and self.chain.intact and self.chain.head_digest == self.expected_head


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def row_counts() -> dict[str, int]:
    """Every Safehub and Django table's row count, by model label (no content)."""
    return {
        model._meta.label: model._default_manager.using("default").count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args + ["--dbname", str(settings_dict["NAME"])], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def backup(path: Path) -> dict[str, Any]:
    """Write the backup to `path` and its manifest beside it; return the manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file (a backup never overwrites one)")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        done = subprocess.run(  # noqa: S603
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            path.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported")
    chain = audit_chain.verify()
    manifest = {
        "format": "safehub-backup-1",
        "vendor": vendor,
        "created_at": timezone.now().isoformat(),
        "sha256": _sha256(path),
        "row_counts": row_counts(),
        "audit_chain": chain.as_dict(),
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    sidecar = manifest_path(path)
    if not sidecar.is_file():
        raise BackupError(f"{sidecar.name} is missing: a backup is restored only with its manifest")
    try:
        manifest = json.loads(sidecar.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{sidecar.name} is not valid JSON: {error}") from error
    if manifest.get("format") != "safehub-backup-1":
        raise BackupError(f"{sidecar.name} is not a Safehub backup manifest")
    if manifest.get("sha256") != _sha256(path):
        raise BackupError(
            f"{path.name} does not match the checksum in its manifest: it was changed or cut short"
        )
    return manifest


def restore(path: Path) -> RestoreResult:
    """Replace the database's contents with the backup at `path`, then prove it."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(f"{path.name} is a {manifest.get('vendor')} backup; this database is {vendor}")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        done = subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BackupError(f"pg_restore failed (nothing was changed): {done.stderr.strip()}")
    return RestoreResult(
        counts=row_counts(),
        expected=manifest["row_counts"],
        chain=audit_chain.verify(),
        expected_head=manifest["audit_chain"]["head_digest"],
    )
