"""Services: the route checks, the anonymous MS1, the clock, decisions in order; bad input saves nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.people.models import ChronologyEvent
from safehub.slavery import services
from safehub.slavery.models import NrmReferral
from safehub.slavery.tests.conftest import aware, notify, refer

pytestmark = pytest.mark.django_db


def test_a_child_is_referred_without_consent_and_the_clock_starts(officer, child, districts):
    referral = refer(officer, child, districts["leeds"])
    assert referral.kind == "nrm" and referral.status == "awaiting_rg"
    assert referral.consent == "not_needed" and referral.age_at_referral == 15
    assert referral.owning_agency == officer.agency == referral.first_responder
    assert referral.rg_due_at > referral.referred_at
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="create").exists()
    assert ChronologyEvent.objects.filter(person=child, kind="nrm_referral").count() == 1


@time_machine.travel("2027-01-10T12:00:00Z")
def test_the_due_time_comes_from_the_nrm_clock_across_christmas(officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=aware("2026-12-23T10:00"))
    assert timezone.localtime(referral.rg_due_at).isoformat() == "2027-01-04T10:00:00+00:00"


def test_an_adult_without_consent_cannot_be_referred_and_nothing_is_saved(officer, adult, districts):
    with pytest.raises(ValidationError) as exc:
        refer(officer, adult, districts["leeds"], consent="refused", age_at_exploitation=30)
    assert "Duty to Notify" in exc.value.message_dict["consent"][0]
    assert not NrmReferral.objects.exists()
    assert not ChronologyEvent.objects.filter(kind="nrm_referral").exists()


def test_an_adult_who_consents_is_referred(officer, adult, districts):
    referral = refer(officer, adult, districts["leeds"], consent="given", age_at_exploitation=30)
    assert referral.consent == "given" and referral.age_at_referral >= 18


def test_an_ms1_is_anonymous(officer, districts):
    referral = notify(officer, districts["leeds"])
    assert referral.kind == "dtn" and referral.person is None and referral.status == "notified"
    assert referral.rg_due_at is None
    assert not ChronologyEvent.objects.exists()
    assert AuditEvent.objects.get(object_id=str(referral.pk)).person_id is None


def test_an_ms1_linked_to_a_person_is_refused(officer, adult, districts):
    with pytest.raises(ValidationError) as exc:
        notify(officer, districts["leeds"], person=adult)
    assert "anonymous" in exc.value.message_dict["person"][0]
    assert not NrmReferral.objects.exists()


@pytest.mark.parametrize(
    "text", ["Phone 07700 900123", "Lives at LS6 2QT", "mail x@example.com", "DOB 4/5/1990"]
)
def test_an_ms1_with_identifying_details_in_its_text_is_refused(officer, districts, text):
    with pytest.raises(ValidationError) as exc:
        notify(officer, districts["leeds"], circumstances=text)
    assert "anonymous" in exc.value.message_dict["circumstances"][0]
    assert not NrmReferral.objects.exists()


def test_an_ms1_for_a_child_is_refused(officer, districts):
    with pytest.raises(ValidationError) as exc:
        notify(officer, districts["leeds"], age_at_referral=16)
    assert "always referred" in exc.value.message_dict["kind"][0]


def test_only_first_responders_record(partner, districts, child):
    with pytest.raises(PermissionDenied):
        notify(partner, districts["leeds"])


def test_future_dates_and_bad_ages_are_refused(officer, child, districts):
    with pytest.raises(ValidationError) as exc:
        refer(
            officer,
            child,
            districts["leeds"],
            referred_at=timezone.now() + timedelta(days=1),
            age_at_exploitation=16,
        )
    assert set(exc.value.message_dict) == {"referred_at", "age_at_exploitation"}


def test_district_must_be_served_by_the_agency(owner, districts, agencies):
    with pytest.raises(ValidationError) as exc:
        notify(owner, districts["bradford"])
    assert "district" in exc.value.message_dict


def test_decisions_in_order_to_a_positive_conclusive_decision(officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=80))
    rg_at = referral.referred_at + timedelta(days=3)
    referral = services.reasonable_grounds_record(
        actor=officer, referral=referral, decision="positive", decided_at=rg_at, authority="sca"
    )
    assert referral.status == "recovery" and referral.rg_on_time is True
    assert referral.recovery_ends_at == timezone.localtime(rg_at) + timedelta(days=30)  # 30 days on the clock
    referral = services.conclusive_grounds_record(
        actor=officer, referral=referral, decision="positive", decided_at=rg_at + timedelta(days=45)
    )
    assert referral.status == "positive_cg"
    referral = services.outcome_record(actor=officer, referral=referral, outcome="move_on_support")
    assert referral.outcome == "move_on_support"
    kinds = set(ChronologyEvent.objects.filter(person=child).values_list("kind", flat=True))
    assert kinds == {"nrm_referral", "nrm_reasonable_grounds", "nrm_conclusive_grounds", "nrm_outcome"}


def test_a_conclusive_decision_before_the_reasonable_grounds_decision_is_refused(officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=80))
    with pytest.raises(ValidationError) as exc:
        services.conclusive_grounds_record(
            actor=officer,
            referral=referral,
            decision="positive",
            decided_at=timezone.now() - timedelta(days=1),
        )
    assert "reasonable grounds decision before" in exc.value.message_dict["decision"][0]
    referral.refresh_from_db()
    assert referral.cg_decision == "" and referral.status == "awaiting_rg"


def test_a_conclusive_decision_dated_before_the_rg_decision_or_in_recovery_is_refused(
    officer, child, districts
):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=80))
    rg_at = referral.referred_at + timedelta(days=5)
    services.reasonable_grounds_record(
        actor=officer, referral=referral, decision="positive", decided_at=rg_at
    )
    for when in (rg_at - timedelta(days=1), rg_at + timedelta(days=29)):
        with pytest.raises(ValidationError) as exc:
            services.conclusive_grounds_record(
                actor=officer, referral=referral, decision="negative", decided_at=when
            )
        assert "decided_at" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.cg_decision == ""


def test_a_negative_reasonable_grounds_decision_has_no_conclusive_decision(officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=80))
    services.reasonable_grounds_record(
        actor=officer,
        referral=referral,
        decision="negative",
        decided_at=referral.referred_at + timedelta(days=9),
    )
    referral.refresh_from_db()
    assert referral.status == "negative_rg" and referral.rg_on_time is False
    with pytest.raises(ValidationError):
        services.conclusive_grounds_record(
            actor=officer, referral=referral, decision="positive", decided_at=timezone.now()
        )


def test_reasonable_grounds_cannot_precede_the_referral_or_be_recorded_twice(officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        services.reasonable_grounds_record(
            actor=officer,
            referral=referral,
            decision="positive",
            decided_at=referral.referred_at - timedelta(hours=1),
        )
    assert "decided_at" in exc.value.message_dict
    services.reasonable_grounds_record(
        actor=officer, referral=referral, decision="positive", decided_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        services.reasonable_grounds_record(
            actor=officer, referral=referral, decision="negative", decided_at=timezone.now()
        )


def test_an_ms1_has_no_decisions(officer, districts):
    referral = notify(officer, districts["leeds"])
    with pytest.raises(ValidationError):
        services.reasonable_grounds_record(
            actor=officer, referral=referral, decision="positive", decided_at=timezone.now()
        )


def test_a_reader_without_write_access_cannot_decide(officer, child, districts, outsider):
    referral = refer(officer, child, districts["leeds"])
    with pytest.raises(PermissionDenied):
        services.reasonable_grounds_record(
            actor=outsider, referral=referral, decision="positive", decided_at=timezone.now()
        )
