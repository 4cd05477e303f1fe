"""Faults: a process killed in the middle of an import, and two people deciding one referral at once.

- `safehub import_referrals` is started on a real database (a file copy of the SQLite test database,
  or the PostgreSQL test database itself), killed with SIGKILL once it has reported saving rows,
  and the database is checked: no referral, person, address, identifier or audit event of the
  import remains. A rerun of the same file then imports every row.
- Two MASH practitioners post a decision on the same referral at the same moment (two threads, two
  connections, on PostgreSQL): one gets 201, the other 409 with the current state; one decision is
  stored, the winner's, and the referral's version moved once.

A PostgreSQL outage (/readyz and pages answer 503 and recover when it returns) is simulated in the
core tests; a real stop and start of a separate cluster is `bench/faults/run` (bench/faults/RESULTS.md).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import synthetic_nhs_number
from safehub.referrals.tests.test_intake_parse import csv_bytes, row

REPO = Path(__file__).resolve().parents[2]
ROWS = 300
# Tables the import writes to, and which must hold nothing of a killed import.
TABLES = [
    "referrals_referral",
    "referrals_referralsubject",
    "people_person",
    "people_identifier",
    "people_address",
    "people_chronologyevent",
    "core_auditevent",
]


def _big_file(path: Path) -> Path:
    rows = [
        row(
            subject_given_name=f"Faultchild{n}",
            subject_family_name="Killtest",
            subject_nhs_number=synthetic_nhs_number(5000 + n),
            subject_postcode="LS1 4AP",
        )
        for n in range(ROWS)
    ]
    path.write_bytes(csv_bytes(rows))
    return path


def _database_for_subprocess(tmp_path: Path) -> tuple[str, callable]:
    """A DATABASE_URL a child process can open, holding what this test committed, and a function
    counting rows of a table in it."""
    if connection.vendor == "sqlite":
        target = tmp_path / "faults.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)

        def count(table: str) -> int:
            with sqlite3.connect(target) as db:
                return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names

        return f"sqlite:///{target}", count
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"

    def count(table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            return cursor.fetchone()[0]

    return url, count


def _table_exists(count, table: str) -> bool:
    try:
        count(table)
    except Exception:  # noqa: BLE001 - a table another layout names differently
        return False
    return True


def _import(database_url: str, var_dir: Path, csv_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SAFEHUB_ENV": "test",
        "DATABASE_URL": database_url,
        "SAFEHUB_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "safehub", "import_referrals", str(csv_path), "--as", "partner"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.real_clock
def test_killed_import_leaves_nothing_and_a_rerun_completes(transactional_db, partner, tmp_path):
    csv_path = _big_file(tmp_path / "referrals.csv")
    url, count = _database_for_subprocess(tmp_path)
    tables = [t for t in TABLES if _table_exists(count, t)]
    assert "referrals_referral" in tables and "core_auditevent" in tables
    before = {table: count(table) for table in tables}

    process = _import(url, tmp_path, csv_path)
    saved = None
    deadline = time.monotonic() + 180
    for line in process.stdout:  # "50/300 rows": 50 referrals made inside the open transaction
        if line.strip().endswith(f"/{ROWS} rows"):
            saved = line.strip()
            break
        assert time.monotonic() < deadline, "the import reported no progress"
    assert saved is not None, process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert int(saved.split("/")[0]) < ROWS, "the import finished before it could be killed"

    after_kill = {table: count(table) for table in tables}
    assert after_kill == before, f"killed after {saved}: rows left behind"

    rerun = _import(url, tmp_path, csv_path)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"Imported {ROWS} referrals" in out
    assert count("referrals_referral") == before["referrals_referral"] + ROWS
    assert count("people_person") == before["people_person"] + ROWS


@pytest.mark.postgres
def test_two_people_deciding_one_referral_at_once_one_409_no_lost_update(
    transactional_db, partner, mash, agencies, districts
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    from safehub.people.tests.factories import PersonFactory
    from safehub.referrals import services
    from safehub.referrals.models import Decision, Referral
    from safehub.referrals.tests.conftest import referral_fields

    colleague = UserFactory(
        username="mash2",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.MASH_PRACTITIONER],
    )
    child = PersonFactory(owning_agency=agencies["leeds_school"], district=districts["leeds"])
    referral = services.referral_create(
        actor=partner, district=districts["leeds"], subjects=[{"person": child}], **referral_fields()
    )
    referral = services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag="amber", reason="Neglect"
    )
    loaded = referral.version
    barrier = threading.Barrier(2)
    results: dict[str, tuple[int, dict]] = {}

    def decide(user, outcome: str) -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
            barrier.wait(timeout=30)
            response = client.post(
                f"/api/v1/referrals/{referral.pk}/decision/",
                {"outcome": outcome, "rationale": f"Decided by {user.username}", "version": loaded},
                format="json",
            )
            results[user.username] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(mash, "early_help")),
        threading.Thread(target=decide, args=(colleague, "nfa_advice")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2, results
    statuses = sorted(status for status, _ in results.values())
    assert statuses in ([201, 409], [200, 409]), results
    winner = next(name for name, (status, _) in results.items() if status != 409)
    loser_body = next(body for status, body in results.values() if status == 409)
    assert "Someone else changed this referral" in loser_body["detail"]
    decisions = list(Decision.objects.filter(referral=referral))
    assert len(decisions) == 1
    assert decisions[0].rationale == f"Decided by {winner}"
    assert Referral.objects.get(pk=referral.pk).version == loaded + 1


# Found by bench/faults/run (bench/faults/RESULTS.md): the session's user is loaded in middleware,
# before any view, so the 500 handler answers the 503 when the database is what failed.
def test_a_signed_in_page_is_503_when_the_database_fails_at_the_first_query(client, owner, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client.force_login(owner)
    client.raise_request_exception = False

    def unreachable(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    response = client.get("/people/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
