"""`safehub import_referrals FILE --as USERNAME [--dry-run]`: all or none, progress, a report on errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.referrals import intake
from safehub.referrals.models import Referral
from safehub.referrals.tests.test_intake_import import counts
from safehub.referrals.tests.test_intake_parse import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_referrals", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_bytes(csv_bytes([row(subject_given_name=f"Kid{n}", subject_nhs_number="") for n in range(3)]))
    return path


def test_a_good_file_is_imported_with_progress(partner, good_file, monkeypatch):
    monkeypatch.setattr(intake, "PROGRESS_EVERY", 2)
    out, _ = run(good_file, "--as", partner.username)
    assert "2/3 rows" in out and "3/3 rows" in out
    assert "Imported 3 referrals" in out
    assert Referral.objects.count() == 3


def test_dry_run_saves_nothing(partner, good_file):
    before = counts()
    out, _ = run(good_file, "--as", partner.username, "--dry-run")
    assert "3 referrals would be imported; nothing saved" in out
    assert counts() == before


def test_a_bad_file_exits_non_zero_with_the_report_and_saves_nothing(partner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes([row(), row(categories="neglect;wizardry"), row(received_at="32/01/2026 10:00")])
    )
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problems in the file: nothing was saved"):
        call_command(
            "import_referrals", str(path), "--as", partner.username, stdout=io.StringIO(), stderr=err
        )
    report = err.getvalue()
    assert report.splitlines()[0] == "row,column,value,problem"
    assert "3,categories,neglect;wizardry,\"Unknown category 'wizardry'" in report
    assert "4,received_at" in report
    assert counts() == before


def test_dry_run_of_a_bad_file_also_exits_non_zero(partner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row(district="atlantis")]))
    with pytest.raises(CommandError):
        run(path, "--as", partner.username, "--dry-run")


def test_an_unknown_user_or_an_analyst_is_refused(analyst, good_file):
    with pytest.raises(CommandError, match="No active user"):
        run(good_file, "--as", "nobody")
    with pytest.raises(CommandError, match="no person-level role"):
        run(good_file, "--as", analyst.username)
    assert not Referral.objects.exists()


def test_a_missing_file_is_a_clear_error(partner, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "absent.csv", "--as", partner.username)
