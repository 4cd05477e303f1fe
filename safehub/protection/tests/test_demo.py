"""The protection demo: outcomes, IDVA car deployments, notices, Clare's Law cases (some late) and one
panel round load with the small demo world; the evaluation shows the car's effect; idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from safehub.protection import demo, rules, selectors
from safehub.protection.models import (
    CriminalJusticeOutcome,
    DisclosureApplication,
    IdvaDeployment,
    ProtectionOrder,
    ScrutinySample,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    return out.getvalue()


def test_small_demo_loads_every_part_once_and_shows_the_idva_car_effect(demo_world):
    assert "Loading protection demo data..." in demo_world
    assert CriminalJusticeOutcome.objects.exists()
    assert IdvaDeployment.objects.exists()
    orders = ProtectionOrder.objects.all()
    assert orders.count() == demo.SIZES["small"]
    assert orders.filter(outcome="granted", duration_days__gte=14, duration_days__lte=28).exists()
    assert orders.filter(outcome="pending").exists()
    disclosures = DisclosureApplication.objects.all()
    assert (
        disclosures.filter(completed_at__gt=timezone.now() - timedelta(days=400))
        .exclude(delay_reason="")
        .exists()
    )
    assert disclosures.filter(completed_at__isnull=True).exists()
    for d in disclosures.exclude(completed_at=None):
        assert rules.within_window(d.completed_at, d.due_at, timezone.now()) is not False or d.delay_reason
    sample = ScrutinySample.objects.get()
    assert sample.cases.filter(reviewed_at__isnull=False).exists()
    for case in sample.cases.all():
        assert case.contact.people.first().person.family_name not in rules.pack_text(case.pack)
    counts = {
        model: model.objects.count()
        for model in (CriminalJusticeOutcome, ProtectionOrder, DisclosureApplication)
    }
    # The evaluation shows the seeds' finding: more outcomes where the IDVA car attended.
    result = selectors.evaluation(timezone.localdate() - timedelta(days=400), timezone.localdate())
    positive = result["overall"]["positive"]
    assert positive.with_total > 0 and positive.without_total > 0
    assert positive.rate_with > positive.rate_without
    call_command("demo", "--no-serve", "--size", "small", stdout=io.StringIO())
    assert counts == {model: model.objects.count() for model in counts}
