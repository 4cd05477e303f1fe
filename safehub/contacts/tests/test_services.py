"""Contact services: all or nothing, errors naming the field, THRIVE history, arrival, PPN."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.contacts import services
from safehub.contacts.models import (
    Contact,
    ContactPerson,
    PublicProtectionNotice,
    ResponseGrade,
    ThriveGrading,
)
from safehub.core.models import AuditEvent
from safehub.people.models import ChronologyEvent, Person

from .factories import record, thrive

pytestmark = pytest.mark.django_db


def test_contact_create_with_existing_and_new_people(callhandler, districts, victim):
    contact = record(
        callhandler,
        districts["leeds"],
        category="domestic",
        postcode="ls1 4ap",
        people=[
            {"person": victim, "role": "victim"},
            {
                "new_person": {
                    "given_name": "Nat",
                    "family_name": "Newcomer",
                    "district": districts["leeds"],
                },
                "role": "suspect",
            },
        ],
    )
    assert contact.owning_agency == callhandler.agency
    assert contact.postcode == "LS1 4AP"
    assert set(contact.people.values_list("role", flat=True)) == {"victim", "suspect"}
    assert Person.objects.filter(family_name="Newcomer", owning_agency=callhandler.agency).exists()
    assert AuditEvent.objects.filter(object_type="contacts.contact", action="create").count() == 1
    summary = ChronologyEvent.objects.get(person=victim, kind="contact").summary
    assert summary == "Domestic abuse contact (victim)"


def test_a_bad_new_person_stores_nothing(callhandler, districts, victim):
    with pytest.raises(ValidationError) as error:
        record(
            callhandler,
            districts["leeds"],
            people=[
                {"person": victim, "role": "victim"},
                {
                    "new_person": {"given_name": "", "family_name": "Blank", "district": districts["leeds"]},
                    "role": "witness",
                },
            ],
        )
    assert "people[1].given_name" in error.value.message_dict
    assert not Contact.objects.exists()
    assert not ContactPerson.objects.exists()
    assert not Person.objects.filter(family_name="Blank").exists()
    assert not ChronologyEvent.objects.filter(person=victim).exists()


def test_a_child_present_without_date_of_birth_stores_nothing(callhandler, districts, victim):
    with pytest.raises(ValidationError) as error:
        record(
            callhandler,
            districts["leeds"],
            category="domestic",
            people=[
                {"person": victim, "role": "victim"},
                {
                    "new_person": {
                        "given_name": "Kit",
                        "family_name": "Nodob",
                        "district": districts["leeds"],
                    },
                    "role": "child_present",
                },
            ],
        )
    assert "people[1].date_of_birth" in error.value.message_dict
    assert not Contact.objects.exists()
    assert not Person.objects.filter(family_name="Nodob").exists()


def test_an_existing_child_present_without_date_of_birth_is_refused(callhandler, districts, victim):
    victim.date_of_birth = None
    victim.save()
    with pytest.raises(ValidationError) as error:
        record(callhandler, districts["leeds"], people=[{"person": victim, "role": "child_present"}])
    assert "people[0].date_of_birth" in error.value.message_dict
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("field", "extra", "message"),
    [
        ("received_at", {"received_at": timezone.now() + timedelta(hours=1)}, "now or in the past"),
        ("offence_at", {"offence_at": timezone.now()}, "before the time of the call"),
        ("postcode", {"postcode": "NOT A CODE"}, "real postcode"),
        ("lsoa_code", {"lsoa_code": "Leeds 111C"}, "LSOA"),
        ("channel", {"channel": "pigeon"}, ""),
        ("category", {"category": "weather"}, ""),
        ("narrative", {"narrative": "  "}, ""),
    ],
)
def test_bad_contact_details_name_the_field(callhandler, districts, field, extra, message):
    if field == "offence_at":
        extra = {
            "received_at": timezone.now() - timedelta(hours=2),
            "offence_at": timezone.now() - timedelta(hours=1),
        }
    with pytest.raises(ValidationError) as error:
        record(callhandler, districts["leeds"], **extra)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not Contact.objects.exists()


def test_only_call_handlers_and_officers_record_contacts(owner, mash, districts):
    for user in (owner, mash):
        with pytest.raises(PermissionDenied):
            record(user, districts["leeds"])


def test_a_district_the_agency_does_not_serve_is_refused(callhandler, districts):
    from safehub.core.tests.factories import DistrictFactory

    elsewhere = DistrictFactory(code="calderdale", name="Calderdale")
    with pytest.raises(ValidationError) as error:
        record(callhandler, elsewhere)
    assert "district" in error.value.message_dict


# --- THRIVE ------------------------------------------------------------------------------------


def test_thrive_grading_suggests_and_sets_the_grade(callhandler, districts):
    contact = record(callhandler, districts["leeds"])
    grading = services.thrive_grade(actor=callhandler, contact=contact, **thrive({"risk": "high"}))
    contact.refresh_from_db()
    assert grading.sequence == 1
    assert grading.grade.code == grading.suggested_grade.code == "immediate"
    assert contact.grade.code == "immediate"
    assert contact.attend_by == contact.received_at + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"threat_rationale": "  "}, "threat_rationale"),
        ({"harm_level": "catastrophic"}, "harm_level"),
        ({"engagement_level": ""}, "engagement_level"),
    ],
)
def test_thrive_refuses_missing_rationale_and_unknown_level(callhandler, districts, change, field):
    contact = record(callhandler, districts["leeds"])
    with pytest.raises(ValidationError) as error:
        services.thrive_grade(actor=callhandler, contact=contact, **thrive(**change))
    assert field in error.value.message_dict
    assert not ThriveGrading.objects.exists()
    contact.refresh_from_db()
    assert contact.grade is None


def test_a_different_grade_needs_a_reason(callhandler, districts):
    contact = record(callhandler, districts["leeds"])
    priority = ResponseGrade.objects.get(force=None, code="priority")
    with pytest.raises(ValidationError) as error:
        services.thrive_grade(actor=callhandler, contact=contact, grade=priority, **thrive())
    assert "override_reason" in error.value.message_dict
    grading = services.thrive_grade(
        actor=callhandler,
        contact=contact,
        grade=priority,
        override_reason="Caller is elderly and alone",
        **thrive(),
    )
    assert grading.suggested_grade.code == "telephone"
    assert grading.grade == priority


def test_re_thrive_keeps_history_and_needs_a_reason(callhandler, districts):
    contact = record(callhandler, districts["leeds"])
    services.thrive_grade(actor=callhandler, contact=contact, **thrive())
    with pytest.raises(ValidationError) as error:
        services.thrive_grade(actor=callhandler, contact=contact, **thrive({"threat": "high"}))
    assert "regrade_reason" in error.value.message_dict
    services.thrive_grade(
        actor=callhandler,
        contact=contact,
        regrade_reason="Suspect has returned",
        **thrive({"threat": "high"}),
    )
    contact.refresh_from_db()
    assert list(contact.gradings.order_by("sequence").values_list("grade__code", flat=True)) == [
        "telephone",
        "immediate",
    ]
    assert contact.grade.code == "immediate"


def test_rcrp_outcome_is_required_for_mental_health_calls(callhandler, districts):
    contact = record(callhandler, districts["leeds"], category="mental_health")
    with pytest.raises(ValidationError) as error:
        services.thrive_grade(actor=callhandler, contact=contact, **thrive())
    assert "rcrp_outcome" in error.value.message_dict
    grading = services.thrive_grade(
        actor=callhandler, contact=contact, rcrp_outcome="health_lead", **thrive({"risk": "high"})
    )
    assert grading.grade.code == "telephone"
    contact.refresh_from_db()
    assert contact.rcrp_outcome == "health_lead"


def test_rcrp_no_police_attendance_refuses_an_attendance_grade(callhandler, districts):
    contact = record(callhandler, districts["leeds"], category="concern_for_welfare")
    immediate = ResponseGrade.objects.get(force=None, code="immediate")
    with pytest.raises(ValidationError) as error:
        services.thrive_grade(
            actor=callhandler,
            contact=contact,
            rcrp_outcome="no_police_action",
            grade=immediate,
            override_reason="Want to attend anyway",
            **thrive(),
        )
    assert "grade" in error.value.message_dict


def test_a_force_table_replaces_the_default(callhandler, districts):
    force = districts["leeds"].force
    ResponseGrade.objects.create(
        force=force, code="g1", name="Grade 1", band="immediate", target_minutes=20, order=1
    )
    ResponseGrade.objects.create(
        force=force, code="g5", name="Grade 5", band="resolution", attendance=False, order=5
    )
    contact = record(callhandler, districts["leeds"])
    grading = services.thrive_grade(actor=callhandler, contact=contact, **thrive({"harm": "high"}))
    assert grading.grade.code == "g1"
    with pytest.raises(ValidationError) as error:  # the force has no scheduled grade
        services.thrive_grade(
            actor=callhandler, contact=contact, regrade_reason="again", **thrive({"investigation": "high"})
        )
    assert "grade" in error.value.message_dict


# --- arrival -----------------------------------------------------------------------------------


def test_arrival_before_the_call_is_refused_and_nothing_stored(callhandler, districts):
    contact = record(callhandler, districts["leeds"])
    with pytest.raises(ValidationError) as error:
        services.arrival_record(
            actor=callhandler, contact=contact, arrived_at=contact.received_at - timedelta(minutes=1)
        )
    assert "arrived_at" in error.value.message_dict
    contact.refresh_from_db()
    assert contact.arrived_at is None


def test_arrival_in_the_future_is_refused(callhandler, districts):
    contact = record(callhandler, districts["leeds"])
    with pytest.raises(ValidationError, match="now or in the past"):
        services.arrival_record(
            actor=callhandler, contact=contact, arrived_at=timezone.now() + timedelta(minutes=5)
        )


def test_arrival_within_and_outside_target(callhandler, districts):
    now = timezone.now()
    fast = record(callhandler, districts["leeds"], received_at=now - timedelta(minutes=30))
    slow = record(callhandler, districts["leeds"], received_at=now - timedelta(minutes=30))
    for contact in (fast, slow):
        services.thrive_grade(actor=callhandler, contact=contact, **thrive({"threat": "high"}))
    services.arrival_record(
        actor=callhandler, contact=fast, arrived_at=fast.received_at + timedelta(minutes=15)
    )
    services.arrival_record(
        actor=callhandler, contact=slow, arrived_at=slow.received_at + timedelta(minutes=16)
    )
    fast.refresh_from_db()
    slow.refresh_from_db()
    assert fast.attended_within_target is True
    assert slow.attended_within_target is False
    with pytest.raises(ValidationError, match="already recorded"):
        services.arrival_record(actor=callhandler, contact=fast, arrived_at=now)


# --- PPN ---------------------------------------------------------------------------------------


def test_ppn_is_raised_for_the_mash_queue(callhandler, districts, victim):
    contact = record(
        callhandler, districts["leeds"], category="domestic", people=[{"person": victim, "role": "victim"}]
    )
    ppn = services.ppn_raise(
        actor=callhandler,
        contact=contact,
        person=victim,
        concern_type="domestic_abuse",
        rag="amber",
        summary="Repeat DA",
    )
    assert ppn.status == "awaiting_mash"
    assert ppn.referral_id is None
    assert ppn.district == districts["leeds"]
    assert ppn.age_group in ("adult", "child")
    assert ChronologyEvent.objects.filter(person=victim, summary="PPN raised: amber").exists()
    with pytest.raises(ValidationError, match="already been raised"):
        services.ppn_raise(
            actor=callhandler,
            contact=contact,
            person=victim,
            concern_type="domestic_abuse",
            rag="red",
            summary="x",
        )


def test_ppn_only_about_a_person_on_the_contact(callhandler, districts, victim, suspect):
    contact = record(callhandler, districts["leeds"], people=[{"person": victim, "role": "victim"}])
    with pytest.raises(ValidationError) as error:
        services.ppn_raise(
            actor=callhandler, contact=contact, person=suspect, concern_type="other", rag="green", summary="x"
        )
    assert "person" in error.value.message_dict
    assert not PublicProtectionNotice.objects.exists()


def test_ppn_needs_a_rag_and_a_summary(callhandler, districts, victim):
    contact = record(callhandler, districts["leeds"], people=[{"person": victim, "role": "victim"}])
    with pytest.raises(ValidationError) as error:
        services.ppn_raise(
            actor=callhandler, contact=contact, person=victim, concern_type="other", rag="purple", summary=""
        )
    assert {"rag", "summary"} <= set(error.value.message_dict)
