"""Scoped access: owner, partner with a share, outsider, MASH district scope, aggregate roles, break-glass."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from safehub.core.access import break_glass_open, load_for
from safehub.core.models import AuditEvent, BreakGlass
from safehub.people.models import Identifier, Person
from safehub.people.tests.factories import IdentifierFactory


def test_owner_agency_sees_and_can_edit(owner, person):
    assert list(Person.objects.visible_to(owner)) == [person]
    assert list(Person.objects.editable_by(owner)) == [person]


def test_outsider_sees_nothing_and_gets_404(outsider, person):
    assert not Person.objects.visible_to(outsider).exists()
    with pytest.raises(Http404):
        load_for(outsider, Person, person.pk)


def test_partner_sees_only_what_is_shared(partner, person, share, bradford_person):
    assert list(Person.objects.visible_to(partner)) == [person]


def test_partner_with_share_may_read_but_not_write(partner, person, share):
    assert load_for(partner, Person, person.pk) == person
    with pytest.raises(PermissionDenied):
        load_for(partner, Person, person.pk, write=True)


def test_expired_or_revoked_share_gives_no_access(partner, person, share):
    share.revoked_at = timezone.now()
    share.save()
    assert not Person.objects.visible_to(partner).exists()


def test_share_scope_covers_records_in_the_persons_file(partner, person, share):
    identifier = IdentifierFactory(person=person)
    assert list(Identifier.objects.visible_to(partner)) == [identifier]


def test_mash_role_sees_its_district_only(mash, person, bradford_person, officer, agencies, districts):
    from safehub.people.tests.factories import PersonFactory

    police_person = PersonFactory(owning_agency=agencies["police"], district=districts["leeds"])
    visible = set(Person.objects.visible_to(mash))
    assert visible == {person, police_person}
    assert bradford_person not in visible


@pytest.mark.parametrize("persona", ["analyst", "commissioner", "auditor"])
def test_aggregate_and_oversight_roles_never_see_person_level_data(request, persona, person):
    user = request.getfixturevalue(persona)
    assert not Person.objects.visible_to(user).exists()
    with pytest.raises(PermissionDenied):
        load_for(user, Person, person.pk)


@pytest.mark.parametrize("forged", ["not-a-uuid", "1; DROP TABLE people_person", "", None, 42])
def test_forged_ids_are_404_not_500(owner, forged):
    with pytest.raises(Http404):
        load_for(owner, Person, forged)


def test_each_read_writes_one_audit_event(owner, person):
    for _ in range(3):
        load_for(owner, Person, person.pk)
    events = AuditEvent.objects.filter(object_id=str(person.pk), action="read")
    assert events.count() == 3
    assert {e.actor_id for e in events} == {owner.pk}
    assert all(e.person_id == person.pk for e in events)


def test_break_glass_opens_read_access_for_a_time_and_is_flagged(outsider, person):
    grant = break_glass_open(user=outsider, obj=person, reason="Child reported missing, address needed now")
    assert load_for(outsider, Person, person.pk) == person
    flagged = AuditEvent.objects.filter(object_id=str(person.pk), flagged=True)
    assert set(flagged.values_list("action", flat=True)) == {"break_glass", "read"}
    with pytest.raises(PermissionDenied):
        load_for(outsider, Person, person.pk, write=True)
    past = timezone.now() - timedelta(hours=5)
    BreakGlass.objects.filter(pk=grant.pk).update(created_at=past, expires_at=past + timedelta(hours=4))
    with pytest.raises(Http404):
        load_for(outsider, Person, person.pk)


def test_break_glass_needs_a_written_reason(outsider, person):
    with pytest.raises(ValidationError):
        break_glass_open(user=outsider, obj=person, reason="urgent")
    assert not BreakGlass.objects.exists()


def test_break_glass_is_refused_to_aggregate_roles(analyst, person):
    with pytest.raises(PermissionDenied):
        break_glass_open(user=analyst, obj=person, reason="I would like to see this record please")
