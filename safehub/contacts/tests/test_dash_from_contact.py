"""A DASH completed from a contact's page is linked to that contact and returns to it."""

import pytest
from django.urls import reverse

from safehub.instruments.models import Assessment
from safehub.instruments.tests.helpers import dash_answers

from .factories import record


@pytest.fixture
def da_contact(callhandler, districts, victim):
    return record(
        callhandler, districts["leeds"], category="domestic", people=[{"person": victim, "role": "victim"}]
    )


def _post_dash(client, url, yes):
    answers = dash_answers(yes)
    return client.post(url, answers)


def test_dash_from_the_contact_page_is_linked_and_returns_to_the_contact(
    client, callhandler, da_contact, victim
):
    client.force_login(callhandler)
    page = client.get(reverse("contacts:detail", args=[da_contact.pk])).content.decode()
    url = (
        reverse("instruments:assess", args=["dash", victim.pk]) + f"?context=contacts.contact:{da_contact.pk}"
    )
    assert f"?context=contacts.contact%3A{da_contact.pk}" in page
    response = _post_dash(client, url, yes=15)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("contacts:detail", args=[da_contact.pk])
    assessment = Assessment.objects.get(person=victim)
    assert (assessment.context_type, assessment.context_id) == ("contacts.contact", str(da_contact.pk))
    assert assessment.level == "high"
    detail = client.get(response.url).content.decode()
    assert "DASH" in detail and "high" in detail


@pytest.mark.parametrize(
    "context",
    ["contacts.contact:not-a-uuid", "people.person:{victim}", "contacts.contact:{unknown}", "nonsense"],
)
def test_a_context_that_is_not_a_visible_record_is_404(client, callhandler, victim, da_contact, context):
    client.force_login(callhandler)
    value = context.format(victim=victim.pk, unknown="00000000-0000-0000-0000-000000000000")
    url = reverse("instruments:assess", args=["dash", victim.pk]) + f"?context={value}"
    assert client.get(url).status_code == 404
    assert not Assessment.objects.exists()


def test_a_partner_who_sees_the_person_but_not_the_contact_gets_404(
    client, partner, agencies, victim, da_contact
):
    from safehub.core.models import Share

    Share.objects.create(
        object_type="people.person",
        object_id=victim.pk,
        to_agency=agencies["leeds_school"],
        from_agency=agencies["police"],
        purpose="Encompass",
        lawful_basis="gdpr_6_1_e",
        consent_status="given",
        granted_by=da_contact.recorded_by,
    )
    client.force_login(partner)
    plain = reverse("instruments:assess", args=["dash", victim.pk])
    assert client.get(plain).status_code == 200
    assert client.get(plain + f"?context=contacts.contact:{da_contact.pk}").status_code == 404
