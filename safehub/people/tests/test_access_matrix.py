"""Every person-level page and endpoint against every persona (GET and POST)."""

import pytest
from django.urls import reverse

from safehub.people.models import Person

PAGES = [
    ("people:detail", {}),
    ("people:edit", {}),
    ("people:share", {}),
    ("people:relationship_add", {}),
    ("people:add_child", {"kind": "identifier"}),
    ("people:add_child", {"kind": "alias"}),
    ("people:add_child", {"kind": "address"}),
    ("people:add_child", {"kind": "marker"}),
]
READS = {"people:detail"}
# persona -> (status for a read page, status for a write page)
EXPECTED = {
    "owner": (200, 200),
    "mash": (200, 200),
    "partner": (200, 403),
    "outsider": (404, 404),
    "officer": (404, 404),
    "analyst": (403, 403),
    "commissioner": (403, 403),
    "auditor": (403, 403),
}


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[f"{n}:{k.get('kind', '')}" for n, k in PAGES])
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_person_pages_by_persona(request, client, person, share, name, kwargs, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name, kwargs={"person_id": person.pk, **kwargs})
    read_status, write_status = EXPECTED[persona]
    expected = read_status if name in READS else write_status
    response = client.get(url)
    assert response.status_code == expected
    if expected != 200:
        assert "Testperson" not in response.content.decode()
        if name not in READS:
            assert client.post(url, {}).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("partner", 200), ("outsider", 200), ("analyst", 403), ("auditor", 403)],
)
def test_search_create_and_shared_pages_by_persona(request, client, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    for name in ("people:search", "people:create", "people:shared_with_me", "people:break_glass"):
        assert client.get(reverse(name)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 201), ("outsider", 400), ("analyst", 403), ("commissioner", 403), ("auditor", 403)],
)
def test_api_create_by_persona(request, api_as, persona, expected):
    payload = {"given_name": "Isla", "family_name": "Imaginary", "district": "leeds"}
    response = api_as(request.getfixturevalue(persona)).post("/api/v1/people/", payload, format="json")
    assert response.status_code == expected
    assert Person.objects.filter(family_name="Imaginary").exists() == (expected == 201)


def test_anonymous_is_sent_to_sign_in_from_every_person_page(client, person):
    for name, kwargs in PAGES:
        response = client.get(reverse(name, kwargs={"person_id": person.pk, **kwargs}))
        assert response.status_code == 302 and "/sign-in/" in response.url
