"""Partnership settings (overrides, closures) and the `due` and `clocks` commands."""

import json
import re
from datetime import date, datetime, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safehub.core.clock_catalogue import CLOCKS
from safehub.core.clock_settings import effective_clock
from safehub.core.clocks import due, get_clock
from safehub.core.management.commands import clocks as clocks_command
from safehub.core.management.commands import due as due_command
from safehub.core.management.commands.due import FROM_ERROR
from safehub.core.models import ClockOverride, Force, NonWorkingDay


@pytest.fixture
def force(db):
    return Force.objects.create(code="wyp", name="West Yorkshire")


def override(force, clock_id, amount, effective_from, **extra):
    return ClockOverride.objects.create(
        force=force,
        clock_id=clock_id,
        amount=amount,
        source="WYP MASH policy v3",
        effective_from=date.fromisoformat(effective_from),
        **extra,
    )


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- effective_clock ---------------------------------------------------------------------------


def test_the_latest_override_in_force_on_the_date_wins(force):
    override(force, "mash-red", 2, "2026-01-01")
    override(force, "mash-red", 3, "2026-07-01")
    assert effective_clock("mash-red", force, at=date(2025, 12, 31)).amount == 4
    assert effective_clock("mash-red", force, at=date(2026, 6, 30)).amount == 2
    assert effective_clock("mash-red", force, at=date(2026, 7, 1)).amount == 3


def test_an_override_changes_the_count_rule_source_and_mark(force):
    override(force, "mash-red", 2, "2026-01-01", day_start=time(8, 0), day_end=time(18, 0))
    clock = effective_clock("mash-red", "wyp", at=date(2026, 6, 12))
    assert (clock.amount, clock.day_start, clock.day_end) == (2, time(8, 0), time(18, 0))
    assert clock.rule.startswith("Due 2 working hours after the contact is received in the MASH")
    assert "08:00 to 18:00" in clock.rule
    assert clock.source.startswith(
        "WYP MASH policy v3 (local setting for West Yorkshire from 01 January 2026"
    )
    assert clock.mark == "S"
    assert due(clock, datetime(2026, 6, 12, 16)).isoformat() == "2026-06-12T18:00:00+01:00"
    assert due(clock, datetime(2026, 6, 12, 17)).isoformat() == "2026-06-15T09:00:00+01:00"


def test_another_forces_override_does_not_apply(force):
    other = Force.objects.create(code="nyp", name="North Yorkshire")
    override(other, "referral-decision", 3, "2026-01-01")
    assert effective_clock("referral-decision", force, at=date(2026, 6, 1)).amount == 1


def test_a_working_closure_stops_working_day_clocks_and_not_school_ones(force):
    NonWorkingDay.objects.create(
        force=force, date=date(2026, 6, 15), calendar="working", reason="Office move"
    )
    referral = effective_clock("referral-decision", force)
    encompass = effective_clock("encompass", force)
    assert referral.closures == {date(2026, 6, 15)}
    assert due(referral, datetime(2026, 6, 12, 15)).isoformat() == "2026-06-16T15:00:00+01:00"
    assert due(encompass, datetime(2026, 6, 12, 19)).isoformat() == "2026-06-15T08:30:00+01:00"


def test_a_school_closure_stops_operation_encompass(force):
    NonWorkingDay.objects.create(force=force, date=date(2026, 6, 15), calendar="school", reason="INSET day")
    encompass = effective_clock("encompass", force)
    assert due(encompass, datetime(2026, 6, 12, 19)).isoformat() == "2026-06-16T08:30:00+01:00"
    assert effective_clock("referral-decision", force).closures == frozenset()
    assert effective_clock("dvpo-hearing", force).closures == frozenset()


def test_without_a_force_the_only_force_is_used(force):
    override(force, "dvds", 35, "2020-01-01")
    assert effective_clock("dvds").amount == 35


def test_with_several_forces_and_none_named_the_defaults_apply(force):
    Force.objects.create(code="nyp", name="North Yorkshire")
    override(force, "dvds", 35, "2020-01-01")
    assert effective_clock("dvds") == get_clock("dvds")
    assert effective_clock("dvds", "wyp").amount == 35


# --- safehub due -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("clock_id", "start", "expected"),
    [
        ("dvpo-hearing", "2026-12-24T14:00", "2026-12-29T14:00:00+00:00"),
        ("dvpo-hearing", "2026-04-02T12:00", "2026-04-07T12:00:00+01:00"),
        ("referral-decision", "2026-12-24T15:00", "2026-12-29T15:00:00+00:00"),
        ("encompass", "2026-12-24 20:00", "2026-12-29T08:30:00+00:00"),
        ("rhi", "2026-03-28T12:00:00Z", "2026-03-31T13:00:00+01:00"),
        ("dvds", "2026-06-12T14:00+01:00", "2026-07-10T14:00:00+01:00"),
    ],
)
def test_due_prints_only_the_iso_date_time(clock_id, start, expected):
    out, err = run("due", clock_id, "--from", start)
    assert out == f"{expected}\n"
    assert err == ""


def test_due_applies_the_partnership_override_in_force_on_the_start_date(force):
    override(force, "mash-red", 2, "2026-06-01")
    assert (
        run("due", "mash-red", "--from", "2026-06-12T16:00", "--force", "wyp")[0]
        == "2026-06-15T10:00:00+01:00\n"
    )
    assert run("due", "mash-red", "--from", "2026-05-29T16:00")[0] == "2026-06-01T12:00:00+01:00\n"


def test_due_names_an_unknown_clock_and_lists_the_valid_ones(db):
    with pytest.raises(CommandError) as caught:
        run("due", "dvpo", "--from", "2026-04-03T14:00")
    assert str(caught.value).startswith("Unknown clock 'dvpo'. Known clocks: ")
    assert all(clock_id in str(caught.value) for clock_id in CLOCKS)


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01T10:00", "03/04/2026 14:00", ""])
def test_due_refuses_a_start_that_is_not_iso_8601(db, bad):
    assert FROM_ERROR == "--from must be an ISO 8601 date-time, e.g. 2026-04-03T14:00"
    with pytest.raises(CommandError, match=rf"^{re.escape(FROM_ERROR)}$"):
        run("due", "dvpo-hearing", "--from", bad)


def test_due_names_an_unknown_force(force):
    with pytest.raises(CommandError, match=r"^Unknown force 'xyz'\. Known forces: wyp$"):
        run("due", "dvpo-hearing", "--from", "2026-04-03T14:00", "--force", "xyz")


def test_without_a_migrated_database_due_uses_the_defaults_and_says_so(monkeypatch):
    monkeypatch.setattr(due_command, "clock_settings_stored", lambda: False)
    out, err = run("due", "dvpo-hearing", "--from", "2026-06-12T14:00")
    assert out == "2026-06-15T14:00:00+01:00\n"
    assert "using defaults" in err
    with pytest.raises(CommandError, match="run `safehub migrate`"):
        run("due", "dvpo-hearing", "--from", "2026-06-12T14:00", "--force", "wyp")


# --- safehub clocks ----------------------------------------------------------------------------


def test_clocks_lists_every_clock_as_a_table(db):
    out, _ = run("clocks")
    lines = out.splitlines()
    assert lines[0].split() == ["CLOCK", "DUE", "AFTER", "MARK", "RULE"]
    assert len(lines) == 1 + 2 * len(CLOCKS)
    assert lines[1].split()[:4] == ["referral-decision", "1", "working", "day"]
    for clock in CLOCKS.values():
        assert any(line.startswith(f"{clock.id} ") and f"[{clock.mark}]" in line for line in lines)
        assert f"Source: {clock.source}" in out


def test_clocks_json_has_the_keys_other_tools_read(force):
    override(force, "dvds", 35, "2020-01-01")
    rows = json.loads(run("clocks", "--json")[0])
    assert [row["id"] for row in rows] == list(CLOCKS)
    assert set(rows[0]) == {"id", "title", "amount", "unit", "rule", "source", "mark"}
    dvpo = next(row for row in rows if row["id"] == "dvpo-hearing")
    assert (dvpo["amount"], dvpo["unit"], dvpo["mark"]) == (48, "hours", "U")
    assert next(row for row in rows if row["id"] == "dvds")["amount"] == 35


def test_without_a_migrated_database_clocks_shows_the_defaults(monkeypatch):
    monkeypatch.setattr(clocks_command, "clock_settings_stored", lambda: False)
    out, err = run("clocks", "--json")
    assert [row["amount"] for row in json.loads(out)] == [clock.amount for clock in CLOCKS.values()]
    assert "showing the defaults" in err
