"""The open-caseload measures capacity reads through the registry: referrals not yet decided, and
missing episodes open or return home interviews outstanding, each at a moment (point in time)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safehub.analytics import registry
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.missing.models import InterviewStatus, ReturnInterview
from safehub.missing.tests.conftest import share_with_police
from safehub.missing.tests.factories import found, report
from safehub.people.tests.factories import PersonFactory
from safehub.referrals import services as referral_services
from safehub.referrals.models import Decision
from safehub.referrals.tests.conftest import referral_fields

pytestmark = pytest.mark.django_db


def _open(measure_id, moment):
    measure = registry.get(measure_id)
    assert measure is not None, f"{measure_id} is not declared"
    return measure.query(moment - timedelta(days=30), moment)


@pytest.fixture
def child(agencies, districts):
    return PersonFactory(
        owning_agency=agencies["leeds_school"],
        district=districts["leeds"],
        given_name="Casey",
        family_name="Testchild",
        date_of_birth=date(2015, 6, 1),
    )


def _referral(actor, person, district, received_at):
    return referral_services.referral_create(
        actor=actor,
        district=district,
        subjects=[{"person": person}],
        received_at=received_at,
        **referral_fields(),
    )


def test_referrals_open_caseload_counts_the_undecided_at_the_moment(partner, mash, child, districts):
    now = timezone.now()
    decided = _referral(partner, child, districts["leeds"], now - timedelta(days=10))
    _referral(partner, child, districts["leeds"], now - timedelta(days=3))
    referral_services.referral_triage(
        actor=mash, referral=decided, expected_version=decided.version, rag="green", reason="r"
    )
    decided.refresh_from_db()
    referral_services.decision_record(
        actor=mash, referral=decided, expected_version=decided.version, outcome="early_help", rationale="Help"
    )
    Decision.objects.filter(referral=decided).update(decided_at=now - timedelta(days=5))

    assert _open("referrals.open_caseload", now + timedelta(hours=1)) == [{"district": "leeds", "count": 1}]
    # Six days ago the first was received and not yet decided; the second not yet received.
    assert _open("referrals.open_caseload", now - timedelta(days=6)) == [{"district": "leeds", "count": 1}]
    assert _open("referrals.open_caseload", now - timedelta(days=4)) == []
    assert _open("referrals.open_caseload", now - timedelta(days=11)) == []


def test_a_returned_decision_leaves_the_referral_open(partner, mash, child, districts):
    now = timezone.now()
    referral = _referral(partner, child, districts["leeds"], now - timedelta(days=2))
    referral_services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag="amber", reason="r"
    )
    referral.refresh_from_db()
    referral_services.decision_record(
        actor=mash,
        referral=referral,
        expected_version=referral.version,
        outcome="s17_assessment",
        rationale="x",
    )
    assert _open("referrals.open_caseload", now + timedelta(hours=1)) == []
    Decision.objects.filter(referral=referral).update(approval_status="returned")
    assert _open("referrals.open_caseload", now + timedelta(hours=1)) == [{"district": "leeds", "count": 1}]


def test_missing_open_caseload_counts_open_episodes_and_outstanding_interviews(agencies, districts, owner):
    coordinator = UserFactory(
        username="coordinator",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.MISSING_COORDINATOR],
    )
    child = PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Kai",
        family_name="Testchild",
        date_of_birth=date(2011, 3, 14),
    )
    share_with_police(child, agencies, owner)
    now = timezone.now()
    first = report(coordinator, child, reported_at=now - timedelta(days=3))
    found(coordinator, first, found_at=now - timedelta(days=2))
    report(coordinator, child, reported_at=now - timedelta(hours=1))
    interview = ReturnInterview.objects.get(episode=first)

    measure_id = "missing.missing_open_caseload"
    assert _open(measure_id, now + timedelta(minutes=5)) == [
        {"district": "leeds", "category": "open_episodes", "count": 1},
        {"district": "leeds", "category": "interviews_outstanding", "count": 1},
    ]
    assert _open(measure_id, now - timedelta(days=2, hours=12)) == [
        {"district": "leeds", "category": "open_episodes", "count": 1}
    ]
    assert _open(measure_id, now - timedelta(days=1)) == [
        {"district": "leeds", "category": "interviews_outstanding", "count": 1}
    ]
    ReturnInterview.objects.filter(pk=interview.pk).update(
        status=InterviewStatus.COMPLETED, completed_at=now - timedelta(hours=2), responded_at=now
    )
    assert _open(measure_id, now + timedelta(minutes=5)) == [
        {"district": "leeds", "category": "open_episodes", "count": 1}
    ]
    assert _open(measure_id, now - timedelta(days=1)) == [
        {"district": "leeds", "category": "interviews_outstanding", "count": 1}
    ]
