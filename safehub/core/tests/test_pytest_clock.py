"""The suite's moved clock (safehub.pytest_clock): how SAFEHUB_TEST_CLOCK is read."""

from datetime import UTC, datetime

import pytest

from safehub import pytest_clock


def test_no_variable_no_move(monkeypatch):
    monkeypatch.delenv(pytest_clock.VARIABLE, raising=False)
    assert pytest_clock._moment() is None


def test_a_moment_with_its_offset(monkeypatch):
    monkeypatch.setenv(pytest_clock.VARIABLE, "2027-04-05T23:40:00+00:00")
    assert pytest_clock._moment() == datetime(2027, 4, 5, 23, 40, tzinfo=UTC)


@pytest.mark.parametrize(("text", "problem"), [("tonight", "ISO 8601"), ("2027-04-05T23:40", "UTC offset")])
def test_a_bad_moment_is_named(monkeypatch, text, problem):
    monkeypatch.setenv(pytest_clock.VARIABLE, text)
    with pytest.raises(pytest.UsageError, match=problem):
        pytest_clock._moment()
