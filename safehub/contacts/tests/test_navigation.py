"""The service navigation: Contacts for call handlers and officers, Encompass for school staff."""

import pytest
from django.test import RequestFactory

from safehub.core.navigation import navigation

pytestmark = pytest.mark.django_db


def labels(user):
    request = RequestFactory().get("/contacts/")
    request.user = user
    return {item["label"]: item for item in navigation(request)["nav_items"]}


@pytest.mark.parametrize(
    ("persona", "contacts", "encompass"),
    [
        ("callhandler", True, False),
        ("officer", True, False),
        ("partner", False, True),
        ("owner", False, False),
        ("mash", False, False),
        ("analyst", False, False),
    ],
)
def test_contacts_and_encompass_items(request, persona, contacts, encompass):
    items = labels(request.getfixturevalue(persona))
    assert ("Contacts" in items) is contacts
    assert ("Encompass" in items) is encompass
    if contacts:
        assert items["Contacts"]["url"] == "/contacts/" and items["Contacts"]["active"]
