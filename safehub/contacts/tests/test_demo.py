"""The contacts demo: loads on the small demo world, shaped by the data, idempotent."""

from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from safehub.contacts import demo, selectors
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
