"""A record loaded for change on a GET is shown on a form: that is a read, audited once."""

import pytest

from safehub.core.access import load_for
from safehub.core.context import method_var
from safehub.core.models import AuditEvent
from safehub.people.models import Person


@pytest.mark.parametrize(("method", "reads"), [("GET", 1), ("HEAD", 1), ("POST", 0), ("", 0)])
def test_load_for_change_audits_a_read_only_on_get(owner, person, method, reads):
    token = method_var.set(method)
    try:
        load_for(owner, Person, person.pk, write=True)
    finally:
        method_var.reset(token)
    assert AuditEvent.objects.filter(action="read", object_id=str(person.pk)).count() == reads


def test_person_edit_form_is_audited_as_a_read(client, owner, person):
    client.force_login(owner)
    assert client.get(f"/people/{person.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="read", object_id=str(person.pk), actor=owner).count() == 1
