"""The contacts demo: loads on the small demo world, shaped by the data, idempotent."""

import random
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import F
from django.utils import timezone

from safehub.contacts import demo, rules, selectors
from safehub.contacts.models import Contact, EncompassNotification, PublicProtectionNotice, ThriveGrading
from safehub.core import demo as core_demo
from safehub.core.models import AuditEvent
from safehub.people import demo as people_demo

pytestmark = pytest.mark.django_db


def no_progress(label, done, total):
    pass


@pytest.fixture
def demo_world():
    core_demo.load(size="small", progress=no_progress)
    people_demo.load(size="small", progress=no_progress)
    return demo.load(size="small", progress=no_progress)


def test_small_demo_loads_contacts_over_two_years(demo_world):
    assert demo_world["contacts"] == Contact.objects.count() >= 150
    oldest = Contact.objects.order_by("received_at").first().received_at
    newest = Contact.objects.order_by("-received_at").first().received_at
    assert (timezone.now() - oldest).days >= 600
    assert newest <= timezone.now()
    assert ThriveGrading.objects.count() > 100
    assert PublicProtectionNotice.objects.exists()
    assert Contact.objects.filter(arrived_at__isnull=False).exists()
    for contact in Contact.objects.exclude(arrived_at=None):
        assert contact.arrived_at >= contact.received_at


def test_demo_has_a_repeat_victim_a_repeat_location_and_encompass_states(demo_world):
    flags = Counter()
    for contact in Contact.objects.filter(received_at__gte=timezone.now() - timezone.timedelta(days=60)):
        for flag in selectors.contact_flags(contact):
            flags[flag.kind] += 1
    assert flags["repeat_victim"] >= 1
    assert flags["repeat_location"] >= 1
    states = Counter(
        selectors.encompass_status(row)
        for row in EncompassNotification.objects.select_related("notification")
    )
    assert states["acknowledged"] >= 1
    assert states["escalated"] + states["overdue"] >= 1


def test_demo_is_idempotent(demo_world):
    before = Contact.objects.count(), AuditEvent.objects.count()
    assert demo.load(size="small", progress=no_progress) == {"already_loaded": before[0]}
    assert (Contact.objects.count(), AuditEvent.objects.count()) == before


def test_demo_assesses_domestic_abuse_victims_with_dash(demo_world):
    from safehub.instruments.models import Assessment

    assert Assessment.objects.filter(
        context_type="contacts.contact", instrument_version__instrument_id="dash"
    ).exists()


def test_shape_comes_from_the_shared_data_when_present():
    root = demo.shared_data_dir()
    if not (root / "policeuk-west-yorkshire-street").is_dir():
        pytest.skip(f"shared data not found at {root}")
    shape = demo.data_shape(root)
    assert "police.uk" in shape.source
    assert max(shape.districts, key=shape.districts.get) == "leeds"
    assert shape.places["bradford"] and all(code.startswith("E01") for code, _ in shape.places["bradford"])
    assert 0.1 < shape.asb_share < 0.4


def test_shape_falls_back_to_built_in_figures(tmp_path: Path):
    shape = demo.data_shape(tmp_path)
    assert shape.source == "built-in"
    assert shape.districts == demo.BUILT_IN_DISTRICTS
    assert sum(shape.months.values()) == pytest.approx(sum(demo.BUILT_IN_QUARTERS.values()))


# --- offence groups, non-recent reports and the campaign step --------------------------------------


def test_offence_groups_and_non_recent_shares():
    rng = random.Random(7)
    received = timezone.now()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for category in ("crime",) * 30000 + ("domestic",) * 6000 + ("asb",) * 100:
        group, offence = demo.offence_details(rng, category, received)
        if category == "asb":
            assert (group, offence) == ("", None)
            continue
        assert group == ("da" if category == "domestic" else group) and group
        late = rules.is_non_recent(offence, received)
        counts[group][0] += 1
        counts[group][1] += late
        if offence is not None:
            assert offence <= received
        if late:
            assert received - relativedelta(months=121) <= offence <= received - relativedelta(months=13)
    share = {group: late / total for group, (total, late) in counts.items()}
    assert share["cse"] == pytest.approx(0.40, abs=0.05)
    assert share["csa"] == pytest.approx(0.30, abs=0.05)
    assert share["rape_sexual"] == pytest.approx(0.25, abs=0.04)
    assert share["da"] == pytest.approx(0.05, abs=0.015)
    assert counts["other"][0] > counts["rape_sexual"][0] > counts["cse"][0] > 0


def test_domestic_abuse_is_reported_more_often_from_the_campaign_launch():
    builder = object.__new__(demo._Builder)
    builder.rng = random.Random(11)
    builder.now = timezone.now()
    builder.today = timezone.localdate()
    builder.start = builder.now - timedelta(days=demo.DAYS)
    builder.shape = demo.Shape(dict(demo.BUILT_IN_DISTRICTS), dict.fromkeys(range(1, 13), 1.0), 0.0, 0.2)
    builder.target = 40000
    builder.launch = core_demo.campaign_launch(builder.today)
    before, after = Counter(), Counter()
    for received in builder.received_times():
        day = timezone.localtime(received).date()
        (after if day >= builder.launch else before)[builder.category_at(received)] += 1
    days_before = (builder.launch - timezone.localtime(builder.start).date()).days
    days_after = (builder.today - builder.launch).days + 1
    ratio = {
        category: (after[category] / days_after) / (before[category] / days_before) for category in before
    }
    assert ratio["domestic"] == pytest.approx(core_demo.CAMPAIGN_UPLIFT, abs=0.12)
    for category in ("crime", "public_safety", "concern_for_welfare"):
        assert ratio[category] == pytest.approx(1.0, abs=0.1), category


def test_demo_contacts_carry_offence_groups(demo_world):
    crime = Contact.objects.filter(category="crime")
    assert crime.exists() and not crime.filter(offence_group="").exists()
    assert set(Contact.objects.filter(category="domestic").values_list("offence_group", flat=True)) == {"da"}
    assert not Contact.objects.exclude(category__in=["crime", "domestic"]).exclude(offence_group="").exists()
    assert not Contact.objects.filter(offence_at__gt=F("received_at")).exists()
    non_recent = [c for c in Contact.objects.exclude(offence_at=None) if c.is_non_recent]
    assert non_recent
    assert not EncompassNotification.objects.filter(
        contact__in=[c for c in non_recent if c.category == "domestic"]
    ).exists()
