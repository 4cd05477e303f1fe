"""`safehub backup` and `safehub restore`: a restored database has the backup's row counts and chain."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from safehub.core import audit, audit_chain, backup
from safehub.core.models import AuditAction, AuditEvent
from safehub.people.models import Person


@pytest.fixture
def owner(transactional_db, owner):
    """Backups read what is committed: these tests commit (and are flushed afterwards)."""
    return owner


def _world(owner, person):
    for n in range(3):
        audit.record(owner, AuditAction.READ, person, fields=[f"f{n}"])
    audit_chain.seal(now=timezone.now() + timedelta(hours=1))


def test_restore_brings_back_identical_row_counts_and_audit_chain(owner, person, tmp_path, capsys):
    _world(owner, person)
    path = tmp_path / "safehub.backup"
    call_command("backup", str(path))
    # Progress as it goes: the copy's size on SQLite, pg_dump's steps table by table on PostgreSQL.
    said = capsys.readouterr().err
    if connection.vendor == "sqlite":
        assert "Copying" in said and "pages" in said and "MB" in said
    else:
        assert "dumping contents of table" in said and "people_person" in said
    assert "Counting rows and checking the audit chain" in said
    manifest = json.loads((tmp_path / "safehub.backup.manifest.json").read_text())
    assert manifest["row_counts"]["people.Person"] == 1
    assert manifest["audit_chain"]["intact"]

    # Afterwards: a new person and more audit events, which the restore must take away.
    Person.objects.create(
        owning_agency=person.owning_agency, district=person.district, given_name="Later", family_name="Added"
    )
    audit.record(owner, AuditAction.CREATE, object_type="people.person", object_id="later")

    call_command("restore", str(path), "--noinput")

    captured = capsys.readouterr()
    out = captured.out
    assert "Row counts match the manifest; audit chain intact" in out
    assert ("Copying" if connection.vendor == "sqlite" else "creating TABLE") in captured.err
    assert backup.row_counts() == manifest["row_counts"]
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(object_id="later").count() == 0
    assert audit_chain.verify().head_digest == manifest["audit_chain"]["head_digest"]


def test_backup_never_overwrites_a_file(owner, tmp_path):
    path = tmp_path / "exists.backup"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(path))
    assert path.read_bytes() == b"keep me"


def test_restore_refuses_a_file_changed_since_its_manifest(owner, person, tmp_path):
    _world(owner, person)
    path = tmp_path / "safehub.backup"
    call_command("backup", str(path))
    with path.open("ab") as handle:
        handle.write(b"tampered")

    with pytest.raises(CommandError, match="does not match the checksum"):
        call_command("restore", str(path), "--noinput")
    assert Person.objects.count() == 1  # nothing changed


def test_restore_needs_its_manifest_and_a_confirmation(owner, tmp_path):
    lone = tmp_path / "lone.backup"
    lone.write_bytes(b"x")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(lone), "--noinput")

    path = tmp_path / "safehub.backup"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="confirm on a terminal"):
        call_command("restore", str(path))  # no terminal in tests: refused, not assumed
