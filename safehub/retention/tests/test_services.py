"""Scheduling, deciding and disposing: personal data goes, the statistics and the audit stay."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import record
from safehub.core.models import AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people import chronology, subject_access
from safehub.people import services as people_services
from safehub.people.models import Identifier, Marker, Person, Relationship
from safehub.people.tests.factories import PersonFactory
from safehub.retention import services
from safehub.retention.models import Disposal, RetentionReview, ReviewStatus


@pytest.fixture
def records(agencies, districts):
    return UserFactory(agency=agencies["police"], district=districts["leeds"], roles=[Role.RECORDS_MANAGER])


@pytest.fixture
def callhandler(agencies, districts):
    return UserFactory(agency=agencies["police"], district=districts["leeds"], roles=[Role.CALL_HANDLER])


def _old(person, years):
    at = timezone.now() - timedelta(days=365 * years + 30)
    chronology.add(person, "contact", at, summary="Old contact (synthetic)")


@pytest.fixture
def old_person(agencies, districts):
    person = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Olwen",
        family_name="Oldrecord",
        date_of_birth=date(1980, 6, 15),
        phone="07700 900123",
    )
    _old(person, 7)
    return person


def test_schedule_gives_everyone_one_pending_review_and_is_idempotent(old_person, person):
    first = services.schedule()
    second = services.schedule()

    assert first["created"] == 2
    assert second == {"people": 2, "created": 0, "moved": 0, "unchanged": 2}
    review = RetentionReview.objects.get(person=old_person)
    assert review.group.code == "group-3"
    assert review.due_on <= timezone.localdate()


def test_new_information_moves_the_review_date(old_person):
    services.schedule()
    chronology.add(old_person, "contact", timezone.now(), summary="New contact (synthetic)")

    assert services.schedule()["moved"] == 1
    assert RetentionReview.objects.get(person=old_person).due_on > timezone.localdate() + timedelta(
        days=365 * 5
    )


def test_markers_place_people_in_groups(old_person):
    Marker.objects.create(person=old_person, kind="violence")
    services.schedule()
    assert RetentionReview.objects.get(person=old_person).group.code == "group-2"


def test_retaining_needs_a_reason_and_schedules_the_next_review(records, old_person):
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)
    with pytest.raises(ValidationError) as problem:
        services.review_decide(
            actor=records, review=review, decision="retain", reason="", next_review_on=None
        )
    assert set(problem.value.message_dict) == {"reason", "next_review_on"}

    next_review = timezone.localdate() + timedelta(days=400)
    services.review_decide(
        actor=records,
        review=review,
        decision="retain",
        reason="Linked to a live investigation",
        next_review_on=next_review,
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.RETAINED
    pending = RetentionReview.objects.get(person=old_person, status=ReviewStatus.PENDING)
    assert pending.due_on == next_review
    services.schedule()  # the nightly run keeps the reviewer's date
    assert RetentionReview.objects.get(person=old_person, status=ReviewStatus.PENDING).due_on == next_review


def test_only_records_managers_decide(callhandler, old_person):
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)
    with pytest.raises(PermissionDenied):
        services.review_decide(actor=callhandler, review=review, decision="dispose", reason="x")


def test_group_1_is_refused_disposal_before_100(records, old_person):
    Marker.objects.create(person=old_person, kind="risk_to_children")
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)
    with pytest.raises(ValidationError, match="kept until the person is 100"):
        services.review_decide(actor=records, review=review, decision="dispose", reason="Not needed")
    assert not Disposal.objects.exists()


def test_disposal_removes_personal_data_and_keeps_the_statistics(records, callhandler, old_person, districts):
    other = PersonFactory(
        owning_agency=old_person.owning_agency, district=districts["leeds"], given_name="Kept"
    )
    people_services.identifier_add(actor=callhandler, person=old_person, kind="police_nominal", value="NOM-1")
    people_services.relationship_add(
        actor=callhandler, person=old_person, related_person=other, kind="partner"
    )
    alone = record(
        callhandler,
        districts["leeds"],
        category="crime",
        narrative="Olwen Oldrecord reported it",
        people=[{"person": old_person, "role": "victim"}],
    )
    shared = record(
        callhandler,
        districts["leeds"],
        category="domestic",
        narrative="Both were there",
        people=[{"person": old_person, "role": "victim"}, {"person": other, "role": "suspect"}],
    )
    contacts_before = sorted(Contact.objects.values_list("category", "district__code"))
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)

    services.review_decide(
        actor=records, review=review, decision="dispose", reason="No policing purpose remains"
    )

    person = Person.objects.get(pk=old_person.pk)
    assert (person.given_name, person.family_name, person.phone) == ("Disposed", "record", "")
    assert person.date_of_birth == date(1980, 1, 1)  # the year stays for equality monitoring
    assert not Identifier.objects.filter(person=person).exists()
    assert not Relationship.objects.filter(related_person=person).exists()
    assert sorted(Contact.objects.values_list("category", "district__code")) == contacts_before
    alone.refresh_from_db()
    shared.refresh_from_db()
    assert "Olwen" not in alone.narrative  # everyone on it is disposed of
    assert shared.narrative == "Both were there"  # someone on it is still held
    export = str(subject_access.build(person).as_dict())
    assert "Olwen" not in export and "Oldrecord" not in export and "07700 900123" not in export
    disposal = Disposal.objects.get(person=person)
    assert disposal.removed["people.Identifier"] == 1
    event = AuditEvent.objects.get(action="delete", person_id=person.pk)
    assert event.reason.startswith("MoPI disposal") and "Olwen" not in event.reason
    assert services.schedule()["people"] == 1  # only "Kept": the disposed person is not scheduled again


def test_a_decided_review_cannot_be_decided_again(records, old_person):
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)
    services.review_decide(actor=records, review=review, decision="dispose", reason="Not needed")
    with pytest.raises(ValidationError, match="already been decided"):
        services.review_decide(actor=records, review=review, decision="dispose", reason="Again")


def test_disposal_is_all_or_nothing(records, old_person, monkeypatch):
    services.schedule()
    review = RetentionReview.objects.get(person=old_person)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "dispose", broken)
    with pytest.raises(RuntimeError):
        services.review_decide(actor=records, review=review, decision="dispose", reason="Not needed")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert Person.objects.get(pk=old_person.pk).given_name == "Olwen"
