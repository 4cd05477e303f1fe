"""The recommendations demo: HMICFRS and other sources, some complete, some overdue; idempotent."""

from __future__ import annotations

import pytest

from safehub.core import demo as core_demo
from safehub.core.models import User
from safehub.recommendations import demo, selectors
from safehub.recommendations.models import Recommendation, SourceKind, Status

pytestmark = pytest.mark.django_db


def _noop(*args) -> None:
    return None


def test_demo_has_hmicfrs_items_some_overdue_and_loads_once():
    core_demo.load(size="small", progress=_noop)
    counts = demo.load(size="small", progress=_noop)
    assert counts["recommendations"] == len(demo.ITEMS)
    items = Recommendation.objects.all()
    assert items.filter(source_kind=SourceKind.HMICFRS).count() >= 4
    assert items.overdue().count() >= 3
    assert items.filter(status=Status.COMPLETED, notes__isnull=False).exists()
    manager = User.objects.get(username="partnership")
    assert selectors.summary(manager)["totals"]["total"] == len(demo.ITEMS)
    officer = User.objects.get(username="officer")
    assert set(
        selectors.recommendations_visible_to(officer).values_list("owning_agency__code", flat=True)
    ) == {"west-yorkshire-police"}
    assert demo.load(size="small", progress=_noop) == {"already_loaded": len(demo.ITEMS)}
    assert Recommendation.objects.count() == len(demo.ITEMS)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError):
        demo.load(size="huge", progress=_noop)
