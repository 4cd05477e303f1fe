"""The activities demo: a register over the last two years, one campaign at the contacts demo's
launch date, capacity teams with changing establishment; a second load adds nothing."""

import pytest
from django.utils import timezone

from safehub.activities import demo, selectors, summaries
from safehub.activities.models import Activity, Establishment, TeamCapacity
from safehub.core import demo as core_demo
from safehub.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_loads_the_register_and_capacity_once():
    quiet = lambda *args: None  # noqa: E731
    core_demo.load(size="small", progress=quiet)
    counts = demo.load(size="small", progress=quiet)
    assert counts["activities"] == Activity.objects.count() == 13
    campaign = Activity.objects.campaigns().get()
    assert campaign.title == demo.CAMPAIGN_TITLE
    assert (campaign.target_series, campaign.target_category) == ("contacts.demand", "domestic")
    assert campaign.starts_on == core_demo.campaign_launch()
    assert (
        AuditEvent.objects.filter(actor_label=core_demo.DEMO_JOB, object_type="activities.activity").count()
        == 13
    )
    assert set(TeamCapacity.objects.values_list("workload", flat=True)) == {
        "mash",
        "missing",
        "exploitation",
        "domestic_abuse",
        "marac",
    }
    leeds = TeamCapacity.objects.get(team__name="Leeds MASH").team
    today = timezone.localdate()
    assert selectors.fte_on(leeds, demo._month(today, 20))[0] == 8
    assert selectors.fte_on(leeds, today)[0] == 11
    bradford = TeamCapacity.objects.get(team__name="Bradford MASH").team
    establishment, in_post = selectors.fte_on(bradford, today)
    assert in_post < establishment
    force = campaign.force
    sentences = summaries.key_information(force.pk, demo._month(today, 24), today)
    assert any("welcomed 106 delegates" in s for s in sentences)
    assert any("17 projects were entered" in s for s in sentences)
    assert any("reached 52,000 people" in s for s in sentences)
    establishment_count = Establishment.objects.count()
    assert demo.load(size="small", progress=quiet) == {"already_loaded": 13}
    assert Activity.objects.count() == 13 and Establishment.objects.count() == establishment_count
