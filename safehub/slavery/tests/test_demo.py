"""The demo loader: small size, idempotent, synthetic and consistent with the rules."""

import pytest

from safehub.core import demo as core_demo
from safehub.people import demo as people_demo
from safehub.slavery import demo, rules
from safehub.slavery.models import NrmReferral

pytestmark = pytest.mark.django_db


def test_small_demo_loads_once_and_follows_the_rules():
    quiet = lambda *args: None  # noqa: E731
    core_demo.load(size="small", progress=quiet)
    people_demo.load(size="small", progress=quiet)
    counts = demo.load(size="small", progress=quiet)
    assert counts["nrm_referrals"] + counts["dtn_reports"] == demo.SIZES["small"]
    assert counts["dtn_reports"] > 0 and counts["rg_decisions"] > 0
    for referral in NrmReferral.objects.all():
        if referral.kind == "dtn":
            assert referral.person_id is None and not rules.identifying_details(referral.circumstances)
            assert referral.age_at_referral >= 18
        else:
            assert referral.person_id and referral.rg_due_at
            if referral.cg_decided_at:
                assert referral.cg_decided_at >= referral.recovery_ends_at
    assert demo.load(size="small", progress=quiet) == {"already_loaded": demo.SIZES["small"]}
    with pytest.raises(ValueError):
        demo.load(size="huge", progress=quiet)
