"""The synthetic people: valid test-range identifiers, sane dates, symmetric relationships, scopes."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.core.models import AuditEvent, Share, User
from safehub.people import demo as people_demo
from safehub.people import rules
from safehub.people.models import (
    INVERSE_RELATIONSHIP,
    Address,
    ChronologyEvent,
    Identifier,
    IdentifierKind,
    Person,
    Relationship,
)

pytestmark = pytest.mark.django_db


def no_progress(label: str, done: int, total: int) -> None:
    pass


@pytest.fixture
def demo_world():
    core_demo.load(size="small", progress=no_progress)
    return people_demo.load(size="small", progress=no_progress)


def identifiers(kind: str) -> list[str]:
    return list(Identifier.objects.filter(kind=kind).values_list("value", flat=True))


def test_loads_about_150_people_in_households_and_reports_the_counts(demo_world):
    assert 150 <= demo_world["people"] < 160
    assert demo_world["people"] == Person.objects.count()
    assert demo_world["relationships"] == Relationship.objects.count()
    assert demo_world["households"] > 30


def test_nhs_numbers_are_valid_and_in_the_999_test_range(demo_world):
    numbers = identifiers(IdentifierKind.NHS_NUMBER)

    assert len(numbers) > 100
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert number.startswith("999"), number
        assert rules.nhs_number_problem(number) is None, number


def test_upns_are_valid_and_only_for_school_age_children(demo_world):
    upns = Identifier.objects.filter(kind=IdentifierKind.UPN).select_related("person")

    assert upns.exists()
    for upn in upns:
        assert rules.upn_problem(upn.value) is None, upn.value
        assert 4 <= upn.person.age <= 17


def test_police_and_social_care_own_their_reference_numbers(demo_world):
    for identifier in Identifier.objects.filter(kind=IdentifierKind.POLICE_NOMINAL).select_related("person"):
        assert identifier.value.startswith("WY/")
        assert identifier.person.owning_agency.kind == "police"
    assert identifiers(IdentifierKind.LA_ID)


def test_postcodes_are_real_format_for_the_address_district(demo_world):
    areas = {
        "leeds": ("LS",),
        "bradford": ("BD",),
        "calderdale": ("HX",),
        "kirklees": ("HD", "WF"),
        "wakefield": ("WF",),
    }
    for postcode, district in Address.objects.values_list("postcode", "district__code"):
        assert rules.postcode_problem(postcode) is None, postcode
        assert postcode.startswith(areas[district]), (postcode, district)


def test_dates_of_birth_are_past_and_ages_fit_the_demo(demo_world):
    today = timezone.localdate()
    for person in Person.objects.all():
        assert person.date_of_birth <= today
        assert rules.date_of_birth_problem(person.date_of_birth, today) is None
        assert 0 <= person.age <= 90
    assert Person.objects.filter(date_of_birth__gt=today).count() == 0


def test_contact_details_use_only_reserved_ranges(demo_world):
    for phone, email in Person.objects.values_list("phone", "email"):
        assert phone == "" or phone.startswith("07700 900"), phone
        assert email == "" or email.endswith(("@example.com", "@example.org")), email


def test_relationships_are_symmetric(demo_world):
    rows = set(Relationship.objects.values_list("person_id", "related_person_id", "kind"))

    assert rows
    for person, related, kind in rows:
        assert (related, person, INVERSE_RELATIONSHIP[kind]) in rows
    assert {kind for _, _, kind in rows} >= {"parent", "child", "partner", "sibling"}


def test_every_person_has_a_record_created_event_and_one_audit_event(demo_world):
    created_events = ChronologyEvent.objects.filter(kind="record_created")
    created = Counter(created_events.values_list("person_id", flat=True))
    assert set(created.values()) == {1}
    assert len(created) == Person.objects.count()
    events = AuditEvent.objects.filter(actor_label="job:demo", action="create")
    assert events.count() == Person.objects.count()
    assert set(events.values_list("via", flat=True)) == {"job"}
    assert set(events.values_list("person_id", flat=True)) == set(Person.objects.values_list("id", flat=True))


def test_outsider_sees_only_bradford_childrens_social_care_records(demo_world):
    outsider = User.objects.get(username="outsider")

    visible = Person.objects.visible_to(outsider)

    assert visible.exists()
    assert set(visible.values_list("owning_agency__name", flat=True)) == {"Bradford Children's Social Care"}
    assert set(visible.values_list("district__code", flat=True)) == {"bradford"}


@pytest.mark.parametrize("username", ["school", "health", "idva"])
def test_partners_have_records_shared_with_them(demo_world, username):
    user = User.objects.get(username=username)
    shares = Share.objects.active().filter(to_agency=user.agency)

    assert shares.exists()
    shared_ids = set(shares.values_list("object_id", flat=True))
    visible_ids = set(Person.objects.visible_to(user).values_list("id", flat=True))
    assert shared_ids <= visible_ids
    for share in shares:
        assert share.lawful_basis == "gdpr_6_1_e"
        assert share.condition == "dpa_sch1_18"
        assert share.expires_at > timezone.now()


def test_second_load_adds_nothing(demo_world):
    before = Person.objects.count(), AuditEvent.objects.count()

    again = people_demo.load(size="small", progress=no_progress)

    assert again == {"already_loaded": before[0]}
    assert (Person.objects.count(), AuditEvent.objects.count()) == before
