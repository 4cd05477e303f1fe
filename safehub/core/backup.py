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
from collections import deque
from collections.abc import Callable
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


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress:
        progress(message)


def _sqlite_size(conn: sqlite3.Connection) -> str:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    return f"{pages:,} pages ({pages * size / 1_048_576:,.1f} MB)"


def _run_pg_tool(
    command: list[str], env: dict[str, str], progress: Callable[[str], None] | None
) -> tuple[int, str]:
    """Run pg_dump or pg_restore with --verbose, passing each line it prints to `progress` as it
    comes (table names and steps, never row data); return its exit code and its error lines."""
    tool = Path(command[0]).name
    kept: deque[str] = deque(maxlen=20)
    errors: list[str] = []
    with (
        subprocess.Popen(  # noqa: S603
            [*command[:1], "--verbose", *command[1:]],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ) as child
    ):
        assert child.stderr is not None
        for line in child.stderr:
            line = line.rstrip()
            if not line:
                continue
            kept.append(line)
            if "error" in line.lower() or "fatal" in line.lower():
                errors.append(line)
            _say(progress, line.removeprefix(f"{tool}: "))
        code = child.wait()
    return code, "\n".join(errors or kept)


def backup(path: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the backup to `path` and its manifest beside it; return the manifest. `progress` is
    told what is happening (pg_dump's steps table by table; the size of an SQLite copy)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file (a backup never overwrites one)")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "sqlite":
        # One step: a copy made in steps starts again whenever the running service writes (it
        # writes an audit event on every read), so on a busy day it might never finish.
        _say(progress, f"Copying {_sqlite_size(connection.connection)} in one consistent step")
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        code, errors = _run_pg_tool(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args], env, progress
        )
        if code:
            path.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {errors}")
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported")
    _say(progress, "Counting rows and checking the audit chain for the manifest")
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


def restore(path: Path, *, progress: Callable[[str], None] | None = None) -> RestoreResult:
    """Replace the database's contents with the backup at `path`, then prove it. `progress` is
    told what is happening (pg_restore's steps; the size of an SQLite copy)."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(f"{path.name} is a {manifest.get('vendor')} backup; this database is {vendor}")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _say(progress, f"Copying {_sqlite_size(source)} in one step")
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        code, errors = _run_pg_tool(
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
            env,
            progress,
        )
        if code:
            raise BackupError(f"pg_restore failed (nothing was changed): {errors}")
    _say(progress, "Counting rows and checking the audit chain against the manifest")
    return RestoreResult(
        counts=row_counts(),
        expected=manifest["row_counts"],
        chain=audit_chain.verify(),
        expected_head=manifest["audit_chain"]["head_digest"],
    )
