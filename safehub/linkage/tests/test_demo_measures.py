"""The demo (idempotent, small and fast) and the measures (aggregates only)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.linkage import demo, measures
from safehub.linkage.models import ExtractStatus, MatchReview, PartnerExtract
from safehub.people import demo as people_demo
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_loads_duplicates_and_a_linked_extract_once():
    calls = []
    core_demo.load(size="small", progress=lambda *a: None)
    people_demo.load(size="small", progress=lambda *a: None)
    before = Person.objects.count()
    result = demo.load(size="small", progress=lambda *a: calls.append(a))
    extract = PartnerExtract.objects.get()
    assert extract.status == ExtractStatus.LINKED
    assert len(extract.problems) == 2 and extract.total_rows == demo.SIZES["small"]
    assert result["auto_linked"] > 0 and result["no_match"] > 0
    assert Person.objects.count() == before + result["duplicate_people"]
    assert calls
    assert demo.load(size="small", progress=lambda *a: None) == {"already_loaded": 1}
    assert PartnerExtract.objects.count() == 1
    with pytest.raises(ValueError):
        demo.load(size="huge", progress=lambda *a: None)


def test_measures_are_aggregates(index, mash, districts):
    from safehub.linkage import services

    extract = services.extract_check(
        actor=mash,
        district=districts["leeds"],
        partner_name="P",
        partner_kind="health",
        filename="x.csv",
        content=b"first_name,surname,dob\nOlivia,Testington,2012-04-08\nAnn,Other,2001-01-01\n",
    )
    services.extract_accept(actor=mash, extract=extract)
    now = timezone.now()
    start, end = now - timedelta(days=1), now + timedelta(days=1)
    outcomes = measures.extract_outcomes(start, end)
    assert {r["outcome"] for r in outcomes} == {"queued", "no_match"}
    assert measures.review_decisions(start, end) == [
        {"district": "leeds", "confirmed": 0, "rejected": 0, "pending": MatchReview.objects.count()}
    ]
    assert measures.merges(start, end) == []
    assert [m.id for m in measures.MEASURES] == [
        "linkage_extract_outcomes",
        "linkage_review_decisions",
        "linkage_merges",
    ]
