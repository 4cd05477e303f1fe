"""The practice review measures count what the reviews say, by district."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.reviews import measures, services

pytestmark = pytest.mark.django_db


def test_timeliness_publications_and_themes(open_review, manager):
    review = open_review("lcspr", days_ago=300)
    services.review_set_themes(actor=manager, review=review, themes=["neglect"])
    today = timezone.localdate()
    services.review_publish(
        actor=manager, review=review, sent_to_panel_on=today - timedelta(days=5), published_on=today
    )
    open_review("notification", days_ago=3)
    start, end = timezone.now() - timedelta(days=400), timezone.now() + timedelta(days=1)
    [row] = measures.timeliness_by_district(start, end)
    assert row["district"] == "leeds" and row["incidents"] == 2 and row["notified"] == 1
    assert row["percent_notified_on_time"] == 100.0 and row["percent_rapid_reviews_on_time"] == 100.0
    assert row["local_reviews"] == 1
    # Started about 283 days ago, published today: later than 6 months.
    assert measures.publications(start, end) == {
        "published": 1,
        "within_6_months": 0,
        "percent_within_6_months": 0.0,
    }
    assert measures.learning_themes(start, end) == [{"theme": "neglect", "label": "Neglect", "reviews": 1}]
