"""`safehub retention schedule|due`, and the demo's reviews."""

import json
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from safehub.people import chronology
from safehub.people.tests.factories import PersonFactory


def test_schedule_then_due_counts_by_group(agencies, districts, capsys):
    person = PersonFactory(owning_agency=agencies["police"], district=districts["leeds"])
    chronology.add(person, "contact", timezone.now() - timedelta(days=365 * 7), summary="Old (synthetic)")

    call_command("retention", "schedule")
    assert "1 review(s) scheduled" in capsys.readouterr().out
    call_command("retention", "due", "--json")
    assert json.loads(capsys.readouterr().out) == {"due": {"Group 3: all other records": 1}, "total": 1}


def test_demo_fills_the_queue_once(db):
    from safehub.core import demo as core_demo
    from safehub.retention import demo
    from safehub.retention.models import RetentionReview

    steps = []
    core_demo.load(size="small", progress=lambda *args: None)
    counts = demo.load(size="small", progress=lambda label, done, total: steps.append(label))

    assert counts["old records"] == demo.SIZES["small"]
    due = RetentionReview.objects.filter(status="pending", due_on__lte=timezone.localdate())
    assert due.count() >= 4  # the 7-, 9-, 11- and 12-year-old records; not the 3-year-old ones
    assert {"group-1", "group-2", "group-3"} <= set(due.values_list("group__code", flat=True))
    assert "Scheduling MoPI reviews" in steps
    assert demo.load(size="small", progress=lambda *args: None) == {"already_loaded": True}
