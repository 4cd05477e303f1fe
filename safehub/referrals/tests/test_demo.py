"""The referrals demo: loads with the rest of the small demo world, realistic, idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from safehub.contacts.models import PpnStatus, PublicProtectionNotice
from safehub.core.models import AuditEvent
from safehub.referrals import demo, services
from safehub.referrals.models import (
    ApprovalStatus,
    Decision,
    InformationRequest,
    Outcome,
    Referral,
    ReferralSubject,
    RequestStatus,
    Source,
    Status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    return out.getvalue()


def test_small_demo_loads_referrals_across_districts_and_sources(demo_world):
    assert "Loading referrals demo data..." in demo_world
    referrals = Referral.objects.select_related("district")
    assert referrals.count() >= demo.SIZES["small"]
    assert len({r.district.code for r in referrals}) >= 4
    sources = Counter(r.source for r in referrals)
    assert sources[Source.POLICE_PPN] >= 0.2 * sum(sources.values())
    assert sources[Source.POLICE_PPN] > sources[Source.HEALTH]
    assert sources[Source.SCHOOL] and sources[Source.HEALTH]
    categories = Counter(c for r in referrals for c in r.categories)
    assert {c for c, _ in categories.most_common(2)} & {"neglect", "domestic_abuse"}
    assert ReferralSubject.objects.count() == referrals.count()
    now = timezone.now()
    assert all(r.received_at <= now for r in referrals)


def test_due_times_come_from_the_rag_clocks(demo_world):
    from safehub.core.clock_settings import effective_clock
    from safehub.core.clocks import due

    triaged = Referral.objects.exclude(rag="").select_related("district__force")[:20]
    assert triaged
    for referral in triaged:
        clock = effective_clock(f"mash-{referral.rag}", referral.district.force)
        assert referral.due_at == due(clock, referral.received_at)
        assert referral.triaged_at >= referral.received_at


def test_outcomes_states_and_information_requests_are_realistic(demo_world):
    decided = Decision.objects.all()
    assert decided.count() >= 20
    outcomes = Counter(decided.values_list("outcome", flat=True))
    assert len(outcomes) >= 4
    assert outcomes[Outcome.NFA] + outcomes[Outcome.EARLY_HELP] > outcomes[Outcome.S47]
    approved = decided.filter(approval_status=ApprovalStatus.APPROVED)
    assert all(d.approved_at >= d.decided_at for d in approved)
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses[Status.APPROVED] + statuses[Status.CLOSED] > statuses[Status.RECEIVED]
    assert InformationRequest.objects.filter(status=RequestStatus.ANSWERED).exists()
    assert statuses[Status.AWAITING_APPROVAL] >= 1
    assert sum(1 for r in Referral.objects.all() if r.is_breached) >= 1


def test_repeat_green_referrals_show_the_escalation(demo_world):
    escalated = Referral.objects.filter(escalated=True)
    assert escalated.exists()
    referral = escalated.first()
    person = referral.subjects.get().person
    greens = Referral.objects.filter(subjects__person=person, rag="green", escalated=False)
    assert greens.count() >= 2
    # The service's own rule agrees: a further green referral now would be raised.
    assert services.escalation_for(referral, "green") is not None


def test_police_ppns_awaiting_the_mash_are_taken_into_the_queue(demo_world):
    referred = PublicProtectionNotice.objects.filter(referral_id__isnull=False)
    assert referred.exists()
    for ppn in referred[:10]:
        referral = Referral.objects.get(pk=ppn.referral_id)
        assert referral.ppn_id == ppn.pk and referral.source == Source.POLICE_PPN
        assert ppn.status == PpnStatus.REFERRED
    waiting = PublicProtectionNotice.objects.filter(status=PpnStatus.AWAITING_MASH)
    assert waiting.count() <= demo.PPNS_LEFT_PER_DISTRICT * 5


def test_referrers_see_their_referrals_and_the_mash_its_queue(demo_world):
    from safehub.core.models import User

    school = User.objects.get(username="school")
    mash = User.objects.get(username="mash")
    mine = Referral.objects.filter(referring_agency=school.agency)
    if mine.exists():
        assert Referral.objects.visible_to(school).filter(pk=mine.first().pk).exists()
    leeds = Referral.objects.filter(district=mash.district)
    assert Referral.objects.visible_to(mash).count() >= leeds.count() > 0


def test_demo_is_idempotent(demo_world, settings):
    before = Referral.objects.count(), AuditEvent.objects.count(), Decision.objects.count()
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    assert "referrals: already loaded, nothing added" in out.getvalue()
    assert (Referral.objects.count(), AuditEvent.objects.count(), Decision.objects.count()) == before
