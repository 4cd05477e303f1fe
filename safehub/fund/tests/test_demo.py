"""The fund's demo: synthetic, within budget, idempotent."""

import pytest
from django.db.models import Sum

from safehub.core import demo as core_demo
from safehub.fund import demo, selectors
from safehub.fund.models import FundAward, FundRound, MonitoringReturn

pytestmark = pytest.mark.django_db


def test_small_demo_is_synthetic_within_budget_and_loads_once():
    quiet = lambda *args: None  # noqa: E731
    core_demo.load(size="small", progress=quiet)
    counts = demo.load(size="small", progress=quiet)
    assert counts["rounds"] == 5 and counts["awards"] > 0 and counts["returns"] > 0
    for fund_round in FundRound.objects.all():
        assert fund_round.synthetic
        assert selectors.awarded_in(fund_round) <= fund_round.budget
    for award in FundAward.objects.all():
        spent = MonitoringReturn.objects.filter(award=award).aggregate(s=Sum("spend"))["s"] or 0
        assert spent <= award.amount
    summary = selectors.summary(FundRound.objects.first().force)
    assert summary["synthetic"] and summary["projects"] == FundAward.objects.count()
    assert demo.load(size="small", progress=quiet) == {"already_loaded": 5}
