"""PPN intake into the MASH queue (ADR 0006) and the dashboard measures."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.contacts import services as contact_services
from safehub.contacts.models import PublicProtectionNotice
from safehub.contacts.tests.factories import record
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.referrals import measures, services
from safehub.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def ppn(officer, districts, agencies):
    from safehub.people.tests.factories import PersonFactory

    child = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        date_of_birth=timezone.localdate().replace(year=2015),
    )
    contact = record(
        officer,
        districts["leeds"],
        category="domestic",
        narrative="Child present at a domestic incident (synthetic)",
        people=[{"person": child, "role": "child_present"}],
    )
    return contact_services.ppn_raise(
        actor=officer,
        contact=contact,
        person=child,
        concern_type="child_at_risk",
        rag="amber",
        summary="Child present",
    )


def test_ppn_taken_into_the_queue(client, ppn, mash, agencies):
    client.force_login(mash)
    queue = client.get(reverse("referrals:queue")).content.decode()
    assert "Take into the queue" in queue
    response = client.post(reverse("referrals:take_ppn", args=[ppn.pk]))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.source == "police_ppn" and referral.ppn_id == ppn.pk
    assert referral.owning_agency == agencies["leeds_csc"] and referral.referring_agency == agencies["police"]
    ppn.refresh_from_db()
    assert ppn.status == "referred" and ppn.referral_id == referral.pk
    # Taking it twice does not make a second referral.
    client.post(reverse("referrals:take_ppn", args=[ppn.pk]))
    assert Referral.objects.count() == 1
    assert "Take into the queue" not in client.get(reverse("referrals:queue")).content.decode()


def test_only_the_mash_takes_ppns(client, ppn, officer, outsider):
    client.force_login(officer)
    assert client.post(reverse("referrals:take_ppn", args=[ppn.pk])).status_code == 403
    client.force_login(outsider)
    assert client.post(reverse("referrals:take_ppn", args=[ppn.pk])).status_code == 403
    assert PublicProtectionNotice.objects.get().status == "awaiting_mash"


def test_measures_on_a_small_fixture(
    make_referral, school_user, child, mash, mashmanager, districts, officer, agencies
):
    from safehub.people.tests.factories import PersonFactory

    person = PersonFactory(owning_agency=agencies["police"], district=districts["leeds"])
    london = ZoneInfo("Europe/London")
    now = timezone.now()
    old = make_referral(school_user, child, received_at=now - timedelta(days=200))
    first = make_referral(
        school_user, child, received_at=now - timedelta(days=3), categories=["neglect", "cse"]
    )
    second = make_referral(
        officer,
        person,
        received_at=now - timedelta(days=2),
        categories=["domestic_abuse"],
        source="police_ppn",
    )
    for referral, rag in ((old, "green"), (first, "red"), (second, "amber")):
        services.referral_triage(
            actor=mash, referral=referral, expected_version=referral.version, rag=rag, reason="r"
        )
        referral.refresh_from_db()
    services.decision_record(
        actor=mash, referral=first, expected_version=first.version, outcome="s47_strategy", rationale="Harm"
    )
    first.refresh_from_db()
    services.decision_approve(actor=mashmanager, referral=first, expected_version=first.version)
    services.decision_record(
        actor=mash, referral=old, expected_version=old.version, outcome="early_help", rationale="Support"
    )
    start, end = datetime(2000, 1, 1, tzinfo=london), now + timedelta(days=1)
    assert {r["source"]: r["count"] for r in measures.referrals_by_source(start, end)} == {
        "school": 2,
        "police_ppn": 1,
    }
    assert {r["category"]: r["count"] for r in measures.referrals_by_category(start, end)} == {
        "neglect": 2,
        "cse": 1,
        "domestic_abuse": 1,
    }
    assert measures.referrals_by_district(start, end) == [{"district": "leeds", "count": 3}]
    assert sum(r["count"] for r in measures.referrals_by_month(start, end)) == 3
    assert measures.re_referrals(start, end) == {"referrals": 3, "re_referrals": 1, "percent": 33.3}
    recent = measures.re_referrals(now - timedelta(days=10), end)
    assert recent["referrals"] == 2 and recent["re_referrals"] == 1
    outcomes = {r["outcome"]: r["count"] for r in measures.outcomes(start, end)}
    assert outcomes == {"s47_strategy": 1, "early_help": 1}
    conversion = measures.conversion(start, end)
    assert conversion["decided"] == 2 and conversion["s47"]["count"] == 1 and conversion["s42"]["count"] == 0
    timeliness = {r["rag"]: r for r in measures.timeliness_by_rag(start, end)}
    assert timeliness["green"]["referrals"] == 1 and timeliness["green"]["late"] == 1  # decided long after
    assert timeliness["red"]["referrals"] == 1
    assert {m.id for m in measures.MEASURES} >= {"referrals_by_source", "timeliness_by_rag", "conversion"}


def test_no_host_agency_refused(districts, agencies):
    from safehub.core.models import AgencyKind, District
    from safehub.core.tests.factories import AgencyFactory
    from safehub.referrals.tests.conftest import referral_fields

    wakefield = District.objects.create(force=districts["leeds"].force, code="wakefield", name="Wakefield")
    school = AgencyFactory(
        code="wf-school", name="Wakefield School", kind=AgencyKind.SCHOOL, districts=[wakefield]
    )
    user = UserFactory(
        username="wfschool", agency=school, district=wakefield, roles=[Role.PARTNER_PRACTITIONER]
    )
    with pytest.raises(services.ValidationError) as caught:
        services.referral_create(
            actor=user,
            district=wakefield,
            subjects=[{"new_person": {"given_name": "A", "family_name": "B"}}],
            **referral_fields(),
        )
    assert "district" in caught.value.message_dict
    assert not Referral.objects.exists()
