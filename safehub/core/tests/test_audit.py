"""The audit trail is append-only, in the model and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from safehub.core import audit
from safehub.core.models import AuditEvent


def test_record_stores_field_names_not_values(owner, person):
    event = audit.record(owner, "update", person, fields=["date_of_birth", "ethnicity"])
    assert event.fields == ["date_of_birth", "ethnicity"]
    assert event.object_type == "people.person"
    assert event.person_id == person.pk
    assert event.actor_agency_name == "Leeds Children's Social Care"


def test_unknown_action_is_refused(owner):
    with pytest.raises(ValueError):
        audit.record(owner, "peek")


def test_saved_event_cannot_be_changed_or_deleted_through_the_model(owner, person):
    event = audit.record(owner, "read", person)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"]
)
def test_database_rejects_update_and_delete(owner, person, statement):
    audit.record(owner, "read", person)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="read").count() == 1


def test_queryset_update_is_rejected_by_the_database(owner, person):
    audit.record(owner, "read", person)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(reason="tampered")
    assert not AuditEvent.objects.filter(reason="tampered").exists()
