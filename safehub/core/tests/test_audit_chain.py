"""The audit trail's hash chain: sealing, verifying, and what breaks it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from safehub.core import audit, audit_chain
from safehub.core.models import AuditAction, AuditEvent, AuditSeal


def _events(actor, count):
    return [
        audit.record(actor, AuditAction.READ, object_type="people.person", object_id=str(n))
        for n in range(count)
    ]


def _disable_audit_triggers(cursor):
    """What an attacker with database access would do first (the tests' teardown puts them back)."""
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
    else:
        cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")


def _later():
    return timezone.now() + timedelta(hours=1)


def test_canonical_form_is_stable_and_independent_of_time_zone():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    row = {
        "id": 7,
        "at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
        "actor_id": None,
        "actor_label": "job:demo",
        "actor_agency_name": "",
        "action": "read",
        "object_type": "people.person",
        "object_id": "x",
        "person_id": None,
        "fields": ["a"],
        "reason": "",
        "flagged": False,
        "request_id": "",
        "via": "job",
    }
    london = dict(row, at=datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    assert audit_chain.canonical(row) == audit_chain.canonical(london)
    assert audit_chain.digest_of("", [row]) != audit_chain.digest_of("x", [row])


def _settled():
    """Seal whatever the database already holds (a browser test's last request can land after its
    flush), so a test sees only its own events."""
    return audit_chain.seal(now=_later())


def test_seal_covers_events_older_than_the_grace_period_only(db, owner):
    before = _settled()
    _events(owner, 3)
    assert audit_chain.seal() is None  # all within the grace period
    link = audit_chain.seal(now=_later())
    assert link.event_count == 3
    assert link.previous_digest == (before.digest if before else "")
    assert audit_chain.seal(now=_later()) is None  # nothing new


def test_seals_link_into_a_chain_that_verifies(db, owner):
    _events(owner, 3)
    first = audit_chain.seal(now=_later())
    _events(owner, 2)
    second = audit_chain.seal(now=_later())

    assert second.previous_digest == first.digest
    result = audit_chain.verify()
    assert result.intact, result.problems
    assert (result.seals, result.events, result.unsealed) == (2, AuditEvent.objects.count(), 0)
    assert result.head_digest == second.digest


def test_a_changed_event_breaks_the_chain_at_its_seal(transactional_db, owner):
    events = _events(owner, 4)
    audit_chain.seal(now=_later())
    with connection.cursor() as cursor:
        _disable_audit_triggers(cursor)
        cursor.execute("UPDATE core_auditevent SET actor_label = 'someone' WHERE id = %s", [events[1].id])

    result = audit_chain.verify()

    assert not result.intact
    assert "changed after sealing" in result.problems[0]


def test_a_removed_event_breaks_the_chain(transactional_db, owner):
    events = _events(owner, 4)
    audit_chain.seal(now=_later())
    with connection.cursor() as cursor:
        _disable_audit_triggers(cursor)
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].id])

    result = audit_chain.verify()

    assert any("removed or added" in problem for problem in result.problems)


def test_seals_are_append_only(db, owner):
    _events(owner, 1)
    link = audit_chain.seal(now=_later())
    with pytest.raises(PermissionError):
        link.save()
    with pytest.raises(PermissionError):
        link.delete()
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditseal SET digest = 'x' WHERE id = %s", [link.id])


def test_verify_command_reports_an_intact_chain_and_exits_1_on_a_cut(db, owner, capsys):
    _events(owner, 2)
    audit_chain.seal(now=_later())
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out

    AuditSeal.objects.create(
        sealed_at=timezone.now(),
        first_event_id=10**9,
        last_event_id=10**9,
        event_count=0,
        previous_digest="forged",
        digest="f" * 64,
    )
    with pytest.raises(SystemExit) as stop:
        call_command("audit", "verify", "--json")
    assert stop.value.code == 1
    assert '"intact": false' in capsys.readouterr().out


def test_seal_command_says_what_it_sealed(db, owner, capsys):
    _settled()
    call_command("audit", "seal")
    assert "Nothing to seal" in capsys.readouterr().out
