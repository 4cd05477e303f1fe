"""The admin: read every version; publish a change as a new version, refused with the reasons."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from safehub.instruments.definitions import shipped_definition
from safehub.instruments.models import InstrumentVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    admin_user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="instruments", codename__startswith="view_"),
        Permission.objects.get(codename="add_instrumentversion"),
    )
    client.force_login(admin_user)
    return client


def new_version_url() -> str:
    return reverse("admin:instruments_instrument_new_version", args=["dash"])


def test_new_version_form_starts_from_the_current_definition(admin_client):
    response = admin_client.get(new_version_url())

    assert response.status_code == 200
    assert json.loads(response.context["form"].initial["definition"]) == shipped_definition("dash", 1)


def test_saving_makes_the_next_version_current(admin_client, admin_user):
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["sections"][0]["questions"][1]["text"] = "How frightened is the victim? (reworded)"

    response = admin_client.post(new_version_url(), {"definition": json.dumps(data)})

    current = InstrumentVersion.objects.get(instrument_id="dash", is_current=True)
    assert response.status_code == 302
    assert current.version == 2 and current.created_by == admin_user
    assert current.definition["sections"][0]["questions"][1]["text"].endswith("(reworded)")
    assert InstrumentVersion.objects.get(instrument_id="dash", version=1).definition == shipped_definition(
        "dash", 1
    )


def test_a_broken_definition_is_refused_with_every_reason(admin_client):
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["sections"][0]["questions"][3]["id"] = "q3"
    data["scoring"]["bands"][2]["min_score"] = 40

    response = admin_client.post(new_version_url(), {"definition": json.dumps(data)})

    body = response.content.decode()
    assert response.status_code == 200
    assert "sections[0].questions[3].id: duplicate id q3" in body
    assert "40 cannot be reached" in body
    assert InstrumentVersion.objects.filter(instrument_id="dash").count() == 1


def test_text_that_is_not_json_is_refused(admin_client):
    response = admin_client.post(new_version_url(), {"definition": "{not json"})

    assert "This is not valid JSON" in response.content.decode()
    assert InstrumentVersion.objects.filter(instrument_id="dash").count() == 1


def test_versions_are_read_only(admin_client):
    version = InstrumentVersion.objects.get(instrument_id="dash", version=1)
    url = reverse("admin:instruments_instrumentversion_change", args=[version.pk])

    page = admin_client.get(url)
    assert page.status_code == 200 and "marac:visible_high_risk" in page.content.decode()
    admin_client.post(url, {"is_current": ""})
    version.refresh_from_db()
    assert version.is_current
    assert admin_client.get(reverse("admin:instruments_instrumentversion_add")).status_code == 403


def test_staff_without_the_permission_cannot_make_versions(client, admin_user):
    client.force_login(admin_user)
    assert client.get(new_version_url()).status_code == 403
