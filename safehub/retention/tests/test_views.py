"""The review queue and a review page, by persona."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people import chronology
from safehub.people.tests.factories import PersonFactory
from safehub.retention import services
from safehub.retention.models import RetentionReview, ReviewStatus


@pytest.fixture
def records(agencies, districts):
    return UserFactory(agency=agencies["police"], district=districts["leeds"], roles=[Role.RECORDS_MANAGER])


@pytest.fixture
def bradford_records(agencies, districts):
    return UserFactory(
        agency=agencies["bradford_csc"], district=districts["bradford"], roles=[Role.RECORDS_MANAGER]
    )


@pytest.fixture
def review(agencies, districts):
    person = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Olwen",
        family_name="Oldrecord",
    )
    chronology.add(
        person, "contact", timezone.now() - timedelta(days=365 * 8), summary="Old contact (synthetic)"
    )
    services.schedule()
    return RetentionReview.objects.get(person=person)


def test_queue_lists_due_reviews_for_records_managers(client, records, review):
    client.force_login(records)
    response = client.get(reverse("retention:queue"))
    assert response.status_code == 200
    assert "Oldrecord" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "analyst", "commissioner", "auditor", "owner"])
def test_queue_is_refused_to_everyone_else(request, client, persona, review):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("retention:queue")).status_code == 403
    assert client.get(reverse("retention:review", args=[review.pk])).status_code == 403


def test_another_agencys_records_manager_gets_404(client, bradford_records, review):
    client.force_login(bradford_records)
    assert client.get(reverse("retention:review", args=[review.pk])).status_code == 404
    response = client.post(
        reverse("retention:review", args=[review.pk]), {"decision": "dispose", "reason": "x"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_retain_without_a_date_shows_the_error_and_saves_nothing(client, records, review):
    client.force_login(records)
    response = client.post(
        reverse("retention:review", args=[review.pk]),
        {"decision": "retain", "group": "group-3", "reason": "Still needed"},
    )
    assert response.status_code == 400
    assert "Enter the date of the next review" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_dispose_from_the_page(client, records, review):
    client.force_login(records)
    response = client.post(
        reverse("retention:review", args=[review.pk]),
        {"decision": "dispose", "group": "group-3", "reason": "No policing purpose remains"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPOSED
    assert review.person.family_name == "record"


def test_forged_review_id_is_404(client, records, db):
    client.force_login(records)
    assert client.get("/retention/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/retention/not-an-id/").status_code == 404
