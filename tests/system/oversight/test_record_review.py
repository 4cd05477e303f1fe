"""The records manager works the MoPI review queue: retains one record, disposes of another."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people import chronology
from safehub.people.models import Person
from safehub.people.tests.factories import PersonFactory
from safehub.retention import services
from tests.system.conftest import axe_check, sign_in


@pytest.fixture
def records(agencies, districts, password):
    user = UserFactory(
        username="records",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.RECORDS_MANAGER],
    )
    user.set_password(password)
    user.save()
    return user


def _old_person(agencies, districts, family_name):
    person = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Ola",
        family_name=family_name,
    )
    chronology.add(
        person, "contact", timezone.now() - timedelta(days=365 * 8), summary="Old contact (synthetic)"
    )
    return person


def test_records_manager_retains_one_record_and_disposes_of_another(
    page, records, agencies, districts, password
):
    keep = _old_person(agencies, districts, "Keepington")
    dispose = _old_person(agencies, districts, "Goneby")
    services.schedule()

    sign_in(page, "records", password)
    page.get_by_role("link", name="Record reviews").click()
    axe_check(page)
    expect(page.locator("table").first).to_contain_text("Keepington")

    page.get_by_role("link", name="Ola Keepington").click()
    axe_check(page)
    page.get_by_label("Retain: still needed for a policing purpose").check()
    page.get_by_label("Reason for the decision").fill("Linked to an open investigation (synthetic)")
    page.get_by_role("button", name="Record the decision").click()
    axe_check(page)  # the error summary: no next review date
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the next review")
    next_review = (timezone.localdate() + timedelta(days=365)).strftime("%d/%m/%Y")
    page.get_by_label("Next review date (DD/MM/YYYY), if retained").fill(next_review)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("retained")
    axe_check(page)

    page.get_by_role("link", name="Ola Goneby").click()
    page.get_by_label("Dispose of: remove the personal data, keep the statistics").check()
    page.get_by_label("Reason for the decision").fill("No policing purpose remains (synthetic)")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("disposed of")
    axe_check(page)

    assert Person.objects.get(pk=dispose.pk).family_name == "record"
    assert Person.objects.get(pk=keep.pk).family_name == "Keepington"
