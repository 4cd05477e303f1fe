"""Fault: a process killed in the middle of a person merge (`POST /api/v1/people/{person_id}/merge/`,
`safehub.linkage.services.person_merge`).

As test_faults.py does for an import: the merge runs in a child process on a real database (a file
copy of the SQLite test database, or the PostgreSQL test database itself). A hook inside the merge's
transaction waits once the first of the duplicate's rows have been re-pointed at the survivor (it
writes a file to say so), and the child is killed with SIGKILL there. Then, read straight from the
database: both person records and every row that points at either (identifiers, addresses,
chronology events, relationships, ...) are exactly as before, no Merge record and no audit event of
it exist. A rerun of the merge then succeeds, and undoing it puts every row back.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from safehub.linkage import services
from safehub.people.models import Address, ChronologyEvent, Identifier, Relationship
from safehub.people.tests.factories import PersonFactory

REPO = Path(__file__).resolve().parents[2]
REASON = "Same child: NHS number and date of birth (fault test)"

# The child: merges (or undoes) through the API as the MASH user. In "hang" mode a hook wraps the
# merge's walk over the tables pointing at Person: once a table's rows have been re-pointed, it
# writes the ready file and sleeps inside the open transaction, waiting to be killed.
CHILD = """
import sys, time
from pathlib import Path

import django

django.setup()
from rest_framework.test import APIClient

from safehub.core.models import User
from safehub.linkage import services
from safehub.linkage.models import Merge

mode, survivor, duplicate, ready = sys.argv[1:5]
if mode == "hang":
    walk = services._person_relations

    def slow_walk():
        for model, field in walk():
            before = model._base_manager.filter(**{field: duplicate}).count()
            yield model, field
            if before and model._base_manager.filter(**{field: duplicate}).count() < before:
                Path(ready).write_text(f"{model._meta.label_lower}.{field}")
                time.sleep(600)

    services._person_relations = slow_walk
client = APIClient()
client.force_authenticate(User.objects.get(username="mash"))
if mode == "undo":
    merge = Merge.objects.get(survivor_id=survivor, duplicate_id=duplicate, undone_at=None)
    response = client.post(f"/api/v1/merges/{merge.pk}/undo/")
else:
    response = client.post(
        f"/api/v1/people/{survivor}/merge/", {"duplicate": duplicate, "reason": %r}, format="json"
    )
print(response.status_code, response.content.decode()[:500])
sys.exit(0 if response.status_code in (200, 201) else 1)
""" % (REASON,)  # noqa: UP031 - the child is a template with braces of its own


def _database_for_children(tmp_path: Path):
    """A DATABASE_URL a child process can open, holding what this test committed, and a function
    running a query in it (as test_faults.py's `_database_for_subprocess`)."""
    if connection.vendor == "sqlite":
        target = tmp_path / "merge-fault.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)

        def fetch(sql: str) -> tuple[list[str], list[tuple]]:
            with sqlite3.connect(target) as db:
                cursor = db.execute(sql)
                return [c[0] for c in cursor.description], cursor.fetchall()

        return f"sqlite:///{target}", fetch
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"

    def fetch(sql: str) -> tuple[list[str], list[tuple]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [c[0] for c in cursor.description], cursor.fetchall()

    return url, fetch


def _tables() -> list[str]:
    """people_person, every table with a foreign key to it, the merge table and the audit log."""
    linked = {model._meta.db_table for model, _field in services._person_relations()}
    return sorted({"people_person", "linkage_merge", "core_auditevent", *linked})


def _snapshot(fetch, tables, *, leave_out=()) -> dict[str, list[tuple]]:
    """Every row of every table (all columns but `leave_out`), in a stable order."""
    found = {}
    for table in tables:
        columns, rows = fetch(f"SELECT * FROM {table}")  # noqa: S608 - table names from the models
        keep = [i for i, name in enumerate(columns) if name not in leave_out]
        found[table] = sorted(tuple(str(row[i]) for i in keep) for row in rows)
    return found


def _child(script: Path, database_url: str, tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "SAFEHUB_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "safehub.settings",
        "DATABASE_URL": database_url,
        "SAFEHUB_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def two_records(agencies, districts, mash):
    """One child on two records, each with rows of its own, one NHS number on both (that row
    cannot move: it is kept on the duplicate), and a relationship between them."""
    leeds = districts["leeds"]
    survivor = PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=leeds,
        given_name="Faultina",
        family_name="Mergetest",
        date_of_birth=date(2013, 5, 6),
    )
    duplicate = PersonFactory(
        owning_agency=agencies["police"],
        district=leeds,
        given_name="Faultina",
        family_name="Mergetst",
        date_of_birth=date(2013, 5, 6),
    )
    friend = PersonFactory(owning_agency=agencies["police"], district=leeds)
    Identifier.objects.create(person=survivor, kind="nhs_number", value="9990000026")
    Identifier.objects.create(person=duplicate, kind="nhs_number", value="9990000026")
    Identifier.objects.create(person=duplicate, kind="police_id", value="WYP-FAULT-1")
    for n in range(3):
        Address.objects.create(
            person=duplicate, line1=f"{n + 1} Killtest Row", town="Leeds", postcode="LS6 2AB"
        )
        ChronologyEvent.objects.create(
            person=duplicate, kind="contact", at=timezone.now(), summary=f"Police contact {n + 1}"
        )
    Relationship.objects.create(person=duplicate, related_person=friend, kind="associate")
    Relationship.objects.create(person=friend, related_person=duplicate, kind="associate")
    Relationship.objects.create(person=survivor, related_person=duplicate, kind="sibling")
    return survivor, duplicate


def test_killed_merge_changes_nothing_and_a_rerun_and_undo_complete(transactional_db, two_records, tmp_path):
    survivor, duplicate = (str(person.pk) for person in two_records)
    url, fetch = _database_for_children(tmp_path)
    tables = _tables()
    assert {"people_identifier", "people_address", "people_chronologyevent", "people_relationship"} <= set(
        tables
    )
    before = _snapshot(fetch, tables)
    linked = [table for table in tables if table not in ("linkage_merge", "core_auditevent")]
    restored = _snapshot(fetch, linked, leave_out={"updated_at"})
    script = tmp_path / "merge_child.py"
    script.write_text(CHILD)
    ready = tmp_path / "ready"

    process = _child(script, url, tmp_path, "hang", survivor, duplicate, str(ready))
    deadline = time.monotonic() + 180
    while not ready.exists():
        if process.poll() is not None:
            pytest.fail(f"the merge ended before the hook ran: {process.communicate()}")
        assert time.monotonic() < deadline, "the merge never reached the hook"
        time.sleep(0.1)
    moved = ready.read_text()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # The merge was killed after re-pointing the first rows (`moved`) and before the rest.
    assert moved.startswith("people."), moved

    assert _snapshot(fetch, tables) == before, f"killed after re-pointing {moved}: rows changed"
    assert not fetch("SELECT id FROM linkage_merge")[1]

    rerun = _child(script, url, tmp_path, "merge", survivor, duplicate, str(ready))
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, (out, err)
    assert out.startswith("201"), out
    assert len(fetch("SELECT id FROM linkage_merge")[1]) == 1
    _columns, rows = fetch("SELECT person_id FROM people_address")
    on_survivor = [row for row in rows if str(row[0]).replace("-", "") == survivor.replace("-", "")]
    assert len(on_survivor) == 3, "the rerun moved the duplicate's addresses"

    undo = _child(script, url, tmp_path, "undo", survivor, duplicate, str(ready))
    out, err = undo.communicate(timeout=300)
    assert undo.returncode == 0, (out, err)
    # Every row is back where it was; only the duplicate's updated_at, the merge record (now
    # undone) and the audit trail of the merge and its undo are new.
    assert _snapshot(fetch, linked, leave_out={"updated_at"}) == restored
    columns, rows = fetch("SELECT undone_at FROM linkage_merge")
    assert len(rows) == 1 and rows[0][0] is not None
