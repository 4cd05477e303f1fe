"""Loaded by pytest (`-p safehub.pytest_clock`): run the whole suite at a chosen moment.

`SAFEHUB_TEST_CLOCK=2027-04-05T23:40:00+00:00 ./scripts/test` starts every test process's clock
there (ticking, through time_machine), so tests meet the hours a normal daytime run never does:
a local date that is not the UTC date, and windows of days that cross the clocks changing. CI runs
the suite once this way (.ci/run). Tests marked `real_clock` start processes that cannot share the
moved clock (a subprocess reads the real one) and are skipped in such a run.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest

VARIABLE = "SAFEHUB_TEST_CLOCK"


def _moment() -> datetime | None:
    text = os.environ.get(VARIABLE, "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise pytest.UsageError(f"{VARIABLE}={text!r} is not an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{VARIABLE}={text!r} needs a UTC offset, for example +00:00")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_clock: starts a process on the real clock; skipped when SAFEHUB_TEST_CLOCK is set"
    )
    moment = _moment()
    if moment is not None:
        import time_machine

        time_machine.travel(moment, tick=True).start()  # for the whole process, never stopped


def pytest_report_header(config: pytest.Config) -> str | None:
    moment = _moment()
    return f"clock moved to {moment.isoformat()} ({VARIABLE})" if moment else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _moment() is None:
        return
    skip = pytest.mark.skip(reason=f"starts a process on the real clock ({VARIABLE} is set)")
    for item in items:
        if "real_clock" in item.keywords:
            item.add_marker(skip)
