"""`safehub nrm_statistics` (Home Office-shaped figures, counts only) and `safehub nrm_overdue`."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from safehub.core.models import AuditEvent, Notification
from safehub.slavery.tests.conftest import aware, notify, refer

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("nrm_statistics", *args, stdout=out)
    return out.getvalue()


def test_json_and_csv_match_the_records(officer, child, districts):
    referral = refer(officer, child, districts["leeds"])
    notify(officer, districts["bradford"])
    data = json.loads(run("--format", "json"))
    assert data["nrm_referrals"] == 1 and data["dtn_reports"] == 1
    text = run("--year", str(referral.referred_at.year))
    assert "total,nrm_referrals,NRM referrals,1," in text
    assert "by_exploitation_type,criminal,Criminal exploitation,1,100.0" in text
    assert "Tyler" not in text
    only = json.loads(run("--district", "bradford", "--format", "json"))
    assert only["nrm_referrals"] == 0 and only["dtn_reports"] == 1
    assert AuditEvent.objects.filter(action="export", object_type="slavery.statistics").count() == 3


def test_bad_arguments_are_clear(districts):
    with pytest.raises(CommandError, match="Unknown district nowhere"):
        run("--district", "nowhere")
    with pytest.raises(CommandError, match="from 2009"):
        run("--year", "1999")


def test_overdue_reasonable_grounds_are_notified_once_at_the_boundary(officer, child, districts):
    with time_machine.travel(aware("2026-12-23T11:00"), tick=False):
        referral = refer(officer, child, districts["leeds"], referred_at=aware("2026-12-23T10:00"))
    assert referral.rg_due_at == aware("2027-01-04T10:00")  # Christmas, Boxing Day and New Year skipped
    with time_machine.travel(referral.rg_due_at - timedelta(seconds=1), tick=False):
        assert "0 referrals" in run_overdue()
    with time_machine.travel(referral.rg_due_at, tick=False):
        assert "1 referral" in run_overdue()
        assert "0 referrals" in run_overdue()
    notice = Notification.objects.get(kind="nrm_rg_overdue")
    assert referral.reference in notice.body and "Tyler" not in notice.body + notice.title


def run_overdue():
    out = io.StringIO()
    call_command("nrm_overdue", stdout=out)
    return out.getvalue()
